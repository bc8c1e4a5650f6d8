package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderAndChartsLatin draws every map and chart with no Japanese font:
// the images must still be written, at the requested size.
func TestRenderAndChartsLatin(t *testing.T) {
	out := t.TempDir()
	for _, args := range [][]string{
		{"render", "--latin", "--width", "900", "--out", out},
		{"chart", "scatter", "--latin", "--width", "900", "--out", out},
		{"chart", "trend", "--latin", "--width", "900", "--out", out},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	for _, f := range []string{"map_catchments.png", "map_distance.png", "map_gaps.png", "chart_scatter.png", "chart_trend.png"} {
		fh, err := os.Open(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if cfg.Width != 900 {
			t.Errorf("%s: width %d, want 900", f, cfg.Width)
		}
	}
}

func TestPictureErrors(t *testing.T) {
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"render", "--map", "heat", "--out", out}, 1, `unknown "heat"`},
		{[]string{"render", "--width", "10", "--out", out}, 1, "--width 10"},
		{[]string{"chart"}, 2, "say which chart"},
		{[]string{"chart", "pie"}, 2, `unknown chart "pie"`},
		{[]string{"chart", "trend", "--counts", "../../testdata/counts/unknown_office.csv", "--out", out}, 1, `unknown office id "zz"`},
		{[]string{"render", "--font", "/nonexistent/font.ttf", "--out", out}, 1, "/nonexistent/font.ttf"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed commands wrote %d files", len(entries))
	}
}
