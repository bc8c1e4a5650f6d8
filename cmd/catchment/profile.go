package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// profileFlag is --cpuprofile or --trace: a file that records where a
// command spends its time, for users who report slowness. Profiling starts
// once the command's flags are parsed and stops when the command returns.
type profileFlag struct {
	kind string // "cpuprofile" or "trace"
	path string
	e    *env
	// started is set once the profile runs, so that parsing twice
	// starts it once.
	started bool
}

func (f *profileFlag) String() string     { return f.path }
func (f *profileFlag) Set(s string) error { f.path = s; return nil }

// addProfileFlags registers --cpuprofile and --trace on fs.
func addProfileFlags(e *env, fs *flag.FlagSet) {
	fs.Var(&profileFlag{kind: "cpuprofile", e: e}, "cpuprofile", "write a CPU profile of the command to this file (read it with go tool pprof)")
	fs.Var(&profileFlag{kind: "trace", e: e}, "trace", "write an execution trace of the command to this file (read it with go tool trace)")
}

// startProfiles starts the profiles fs's flags ask for; env.stopProfiles
// ends them.
func startProfiles(fs *flag.FlagSet) error {
	for _, name := range []string{"cpuprofile", "trace"} {
		fl := fs.Lookup(name)
		if fl == nil {
			continue
		}
		pf, ok := fl.Value.(*profileFlag)
		if !ok || pf.path == "" || pf.e == nil || pf.started {
			continue
		}
		if err := pf.start(); err != nil {
			return fmt.Errorf("--%s %s: %w", name, pf.path, err)
		}
	}
	return nil
}

func (f *profileFlag) start() error {
	out, err := os.Create(f.path)
	if err != nil {
		return err
	}
	var stop func()
	switch f.kind {
	case "cpuprofile":
		err = pprof.StartCPUProfile(out)
		stop = pprof.StopCPUProfile
	default:
		err = trace.Start(out)
		stop = trace.Stop
	}
	if err != nil {
		out.Close()
		return err
	}
	f.started = true
	f.e.stops = append(f.e.stops, func() error {
		stop()
		return out.Close()
	})
	return nil
}

// stopProfiles ends the profiles the command started, writing their files.
func (e *env) stopProfiles() error {
	var errs []error
	for _, stop := range e.stops {
		errs = append(errs, stop())
	}
	e.stops = nil
	return errors.Join(errs...)
}
