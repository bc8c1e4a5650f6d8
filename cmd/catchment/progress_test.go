package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressOffWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	for _, quiet := range []bool{false, true} {
		p := newProgress(&env{stderr: &buf}, quiet, "step")
		p.step("x")
		p.update(1, 2)
		p.done()
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a non-terminal", buf.String())
	}
	var nilP *progress
	nilP.update(1, 2) // no panic
}

func TestProgressPercentages(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p := &progress{w: &buf, label: "gen", lastPc: -1, now: func() time.Time { return now }}
	tests := []struct {
		done, total int
		advance     time.Duration
		want        string // "" when nothing is written
	}{
		{0, 10, time.Second, "  0%"},
		{1, 10, 10 * time.Millisecond, ""}, // too soon
		{2, 10, time.Second, " 20%"},
		{2, 10, time.Second, ""}, // same percentage
		{10, 10, 0, "100%"},      // the end is always shown
		{5, 0, time.Second, ""},  // no total
	}
	for _, tc := range tests {
		now = now.Add(tc.advance)
		buf.Reset()
		p.update(tc.done, tc.total)
		got := buf.String()
		if tc.want == "" {
			if got != "" {
				t.Errorf("update(%d, %d) wrote %q, want nothing", tc.done, tc.total, got)
			}
			continue
		}
		if !strings.HasPrefix(got, "\rgen [") || !strings.HasSuffix(got, tc.want) {
			t.Errorf("update(%d, %d) = %q, want a bar ending %q", tc.done, tc.total, got, tc.want)
		}
	}
	buf.Reset()
	p.done()
	if buf.String() != "\r\033[K" {
		t.Errorf("done wrote %q", buf.String())
	}
}

func TestPhases(t *testing.T) {
	var buf bytes.Buffer
	if p := newPhases(&env{stderr: &buf}, false, "report"); p.w != nil {
		t.Error("phases on a non-terminal")
	}
	now := time.Unix(0, 0)
	p := &phases{w: &buf, command: "report", last: now, now: func() time.Time { return now }}
	now = now.Add(1500 * time.Millisecond)
	p.done("load")
	now = now.Add(250 * time.Millisecond)
	p.done("dissolve")
	if got, want := buf.String(), "report: load 1.50 s\nreport: dissolve 0.25 s\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	(&phases{}).done("x") // disabled: no panic, nothing written
}
