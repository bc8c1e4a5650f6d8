package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// numericFlags lists each command's float and int flags, read from its -h.
func numericFlags(t *testing.T) map[string][]string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^\s+-([a-z0-9-]+) (float|int)\b`)
	out := map[string][]string{}
	for _, c := range commands() {
		_, _, stderr := runCLI(t, c.name, "-h")
		for _, m := range re.FindAllStringSubmatch(stderr, -1) {
			out[c.name] = append(out[c.name], m[1])
		}
	}
	return out
}

// TestNumericFlagsRefuseNonFinite gives every numeric flag of every command
// NaN, ±Inf and a huge value: each must fail at once, naming the flag,
// before any data is read. Before, --max-km NaN gave an empty list with
// exit 0 and --dpi NaN allocated until the machine ran out of memory.
func TestNumericFlagsRefuseNonFinite(t *testing.T) {
	flags := numericFlags(t)
	if len(flags["render"]) == 0 || len(flags["candidates"]) == 0 {
		t.Fatalf("no numeric flags found in -h: %v", flags)
	}
	n := 0
	for cmd, names := range flags {
		for _, name := range names {
			for _, v := range []string{"NaN", "Inf", "-Inf", "1e308"} {
				start := time.Now()
				args := []string{cmd, "--" + name, v}
				if cmd == "chart" {
					args = []string{cmd, "scatter", "--" + name, v}
				}
				code, _, stderr := runCLI(t, args...)
				n++
				// int flags are refused by the flag package, as "flag -name"
				if code == 0 || !(strings.Contains(stderr, "--"+name+" ") || strings.Contains(stderr, "flag -"+name+":")) {
					t.Errorf("%s --%s %s: exit %d, %.300q; want an error naming --%s", cmd, name, v, code, stderr, name)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("%s --%s %s took %v to refuse", cmd, name, v, d)
				}
			}
		}
	}
	t.Logf("%d refusals over %d commands", n, len(flags))
}

// TestFlagRanges checks the ranges the flag names imply.
func TestFlagRanges(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for accepted
	}{
		{[]string{"candidates", "--max-km", "-1"}, "--max-km -1: want a distance in km from 0 to 20037.5"},
		{[]string{"candidates", "--max-km", "20038"}, "from 0 to 20037.5"},
		{[]string{"candidates", "--max-km", "0.5"}, ""},
		{[]string{"whatif", "--close", "oe", "--certificate-share", "1.5"}, "want a fraction from 0 to 1"},
		{[]string{"render", "--width", "100000", "--out", "x"}, "want an image width in pixels from 200 to 20000"},
		{[]string{"gaps", "--within-m", "-5"}, "--within-m -5"},
		{[]string{"gaps", "--within-m", "250"}, ""},
		{[]string{"access", "--beta", "0"}, "want an exponent above 0 and at most 10"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		switch {
		case tc.want == "" && code != 0:
			t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
		case tc.want != "" && (code == 0 || !strings.Contains(stderr, tc.want)):
			t.Errorf("%v: exit %d, %.300q; want %q", tc.args, code, stderr, tc.want)
		}
	}
}

// printsOnly are the commands that write nothing unless a flag says so.
var printsOnly = map[string]bool{"nearest": true, "candidates": true, "assign": true, "gaps": true,
	"catchments": true, "whatif": true, "isochrones": true, "access": true, "optimize": true, "service": true}

// writes are the flags that name an output.
var writes = map[string]bool{"o": true, "out": true, "map": true, "pg-out": true, "write-scenario": true}

// FuzzCommandLine runs random command lines: whatever the arguments, the
// command returns an exit code (no panic) without hanging.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{
		"candidates --max-km 5",
		"candidates --max-km NaN",
		"render --dpi 1e-300 --out /nonexistent/x",
		"whatif --close oe,,akitsu --downgrade oe",
		"whatif --close oe --stage -3",
		"gaps --within-m 0x1p-1074",
		"access --steps 1:1,1:0.5",
		"access --steps 5:NaN",
		"isochrones --minutes 0,5,1e9",
		"nearest --format json --table nope",
		"assign --population -",
		"report --out",
		"-h",
		"serve --addr :::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		// Keep the fuzzer away from the file system and the network: only
		// commands that print, and no flag that names an output.
		if len(args) == 0 || !printsOnly[args[0]] {
			t.Skip()
		}
		for _, a := range args {
			name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if strings.Contains(a, "/") || writes[name] {
				t.Skip()
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			runCLI(t, args...)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%q did not end within 30 s", line)
		}
	})
}
