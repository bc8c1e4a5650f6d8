// Command catchment analyses where public service counters should be: the
// nearest ward office of every branch office, the offices the distance rule
// marks for reorganisation, the districts each office serves, the districts
// with no convenience store, and catchment polygons. Run "catchment help".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/kumamoto-gis/catchment/data"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // the example and details shown by -h
	run     func(env *env, args []string) error
}

// env is what a command reads and writes.
type env struct {
	stdout, stderr io.Writer
	// ctx stops long-running commands (serve) when done; nil means never.
	ctx context.Context
	// listening, when set, receives the page's address once serve is up.
	listening func(url string)
	// stops end the profiles --cpuprofile and --trace started.
	stops []func() error

	mu      sync.Mutex
	printed map[string]bool // warnings printed so far
}

// context is the env's context, never nil.
func (e *env) context() context.Context {
	if e.ctx == nil {
		return context.Background()
	}
	return e.ctx
}

// errUsage marks an error already explained by the flag package.
var errUsage = errors.New("usage")

// exitError is an error that ends the command with its own exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func commands() []command {
	return []command{
		nearestCommand(),
		candidatesCommand(),
		assignCommand(),
		gapsCommand(),
		catchmentsCommand(),
		whatifCommand(),
		accessCommand(),
		serviceCommand(),
		optimizeCommand(),
		isochronesCommand(),
		renderCommand(),
		chartCommand(),
		reportCommand(),
		serveCommand(),
		genCommand(),
	}
}

func main() {
	if os.Getenv("GOGC") == "" {
		// A study keeps its layers (hundreds of MB at nation scale) while
		// the analyses and the encoders make short-lived garbage: collecting
		// at 50 % growth instead of 100 % lowers the peak memory by a fifth
		// at no measurable cost in time (bench/README.md). GOGC overrides.
		debug.SetGCPercent(defaultGCPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// defaultGCPercent is the garbage collector's target when GOGC is unset.
const defaultGCPercent = 50

// run executes the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runEnv(&env{stdout: stdout, stderr: stderr}, args)
}

// runEnv executes args in e and returns the exit code.
func runEnv(e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return runEnv(e, []string{c.name, "-h"})
				}
			}
		}
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		if perr := e.stopProfiles(); perr != nil && err == nil {
			err = perr
		}
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(stderr, "catchment %s: %v\n", c.name, err)
		if ee := (*exitError)(nil); errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	fmt.Fprintf(stderr, "catchment: unknown command %q\n\n", args[0])
	printHelp(stderr)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `catchment — where should public service counters be?

Usage: catchment COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
With no layer flags every command uses the embedded Kumamoto City default
(19 real offices; districts, stores and post offices are SYNTHETIC demo layers).
Run "catchment COMMAND -h" for a command's flags and an example.
`)
}

// newFlagSet makes the flag set of a command, with its usage text.
func newFlagSet(e *env, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "catchment %s — %s\n\n%s\nFlags:\n", c.name, c.summary, strings.TrimLeft(c.usage, "\n"))
		fs.PrintDefaults()
	}
	addProfileFlags(e, fs)
	return fs
}

// parse parses args, turning flag errors into errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q (flags go after the command)\n", fs.Arg(0))
		return errUsage
	}
	if err := checkNumbers(fs); err != nil {
		return err
	}
	return startProfiles(fs)
}

// begin parses args (nil: already parsed), checks the output format (of may
// be nil), loads the dataset and checks that it has the layers in need.
func begin(e *env, fs *flag.FlagSet, args []string, lf *layerFlags, of *outputFlags, need ...data.Layer) (*data.Dataset, error) {
	if args != nil {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
	}
	if of != nil {
		if err := of.check(); err != nil {
			return nil, err
		}
	}
	ds, err := lf.load(e)
	if err != nil {
		return nil, err
	}
	if err := require(ds, need...); err != nil {
		return nil, err
	}
	if of != nil {
		of.dataset = ds
	}
	return ds, nil
}
