package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress reports how far a long step has got, as a percentage on one
// stderr line that is rewritten in place. It writes nothing unless stderr is
// a terminal and --quiet is off, so logs and pipes stay clean.
type progress struct {
	mu     sync.Mutex
	w      io.Writer // nil: disabled
	label  string
	last   time.Time
	lastPc int
	now    func() time.Time
}

// newProgress returns a progress line for the step label on e's stderr, or a
// disabled one when quiet or when stderr is not a terminal.
func newProgress(e *env, quiet bool, label string) *progress {
	if quiet || !isTerminal(e.stderr) {
		return &progress{}
	}
	return &progress{w: e.stderr, label: label, lastPc: -1, now: time.Now}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update shows done out of total, at most ten times a second. It may be
// called from several goroutines.
func (p *progress) update(done, total int) {
	if p == nil || p.w == nil || total <= 0 {
		return
	}
	pc := 100 * done / total
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if pc == p.lastPc || (pc < 100 && t.Sub(p.last) < 100*time.Millisecond) {
		return
	}
	p.last, p.lastPc = t, pc
	const width = 30
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < width*pc/100 {
			bar[i] = '='
		}
	}
	fmt.Fprintf(p.w, "\r%s [%s] %3d%%", p.label, bar, pc)
}

// step shows the name of the current sub-step with no percentage.
func (p *progress) step(name string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s: %s…", p.label, name)
}

// done ends the progress line.
func (p *progress) done() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

// phases tells, one stderr line a phase, how long each phase of a command
// took ("report: dissolve 1.40 s"), so that a user sees where the time
// goes. Like progress it writes nothing unless stderr is a terminal and
// --quiet is off.
type phases struct {
	w       io.Writer // nil: disabled
	command string
	last    time.Time
	now     func() time.Time
}

// newPhases starts timing command's first phase.
func newPhases(e *env, quiet bool, command string) *phases {
	if quiet || !isTerminal(e.stderr) {
		return &phases{}
	}
	return &phases{w: e.stderr, command: command, last: time.Now(), now: time.Now}
}

// done ends the phase name and starts the next.
func (p *phases) done(name string) {
	if p.w == nil {
		return
	}
	t := p.now()
	fmt.Fprintf(p.w, "%s: %s %.2f s\n", p.command, name, t.Sub(p.last).Seconds())
	p.last = t
}
