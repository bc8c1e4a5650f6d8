// Command orlib runs `catchment optimize` on the OR-Library p-median
// instances (pmed1 … pmed40) through --cost-matrix and checks every answer:
// the p-median objective against the proven optima of pmedopt.txt, the
// p-center radius against the published optimal radii (Pullan 2008; they
// hold on the graphs where the first of a duplicated edge counts, -edges
// first, while Beasley's rule and the p-median optima keep the last). It
// prints a Markdown table with the time of each solve (the whole process:
// reading the 810,000-row CSV included) and the totals.
//
//	go build -o /tmp/catchment ./cmd/catchment
//	go run ./bench/orlib --catchment /tmp/catchment --data ../shared/data/orlib_pmed --model pmedian
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kumamoto-gis/catchment/internal/orlib"
)

func main() {
	bin := flag.String("catchment", "catchment", "the catchment binary")
	dir := flag.String("data", "../shared/data/orlib_pmed", "folder of pmed1.txt … pmed40.txt and pmedopt.txt")
	work := flag.String("work", os.TempDir(), "folder for the cost-matrix CSVs")
	model := flag.String("model", "pmedian", "pmedian or pcenter")
	only := flag.String("only", "", "comma-separated instance numbers (default: all 40)")
	limit := flag.Float64("time-limit", 60, "--time-limit of each solve, seconds")
	keep := flag.Bool("keep", false, "keep the cost-matrix CSVs in -work")
	edges := flag.String("edges", "last", "which cost counts for an edge given twice: last (Beasley's rule, the p-median optima's) or first (the graphs of the published p-center radii)")
	flag.Parse()
	rule := orlib.LastEdge
	switch *edges {
	case "last":
	case "first":
		rule = orlib.FirstEdge
	default:
		fmt.Fprintln(os.Stderr, "orlib: -edges: want last or first")
		os.Exit(2)
	}
	if err := run(*bin, *dir, *work, *model, *only, *limit, *keep, rule); err != nil {
		fmt.Fprintln(os.Stderr, "orlib:", err)
		os.Exit(1)
	}
}

func run(bin, dir, work, model, only string, limit float64, keep bool, rule orlib.EdgeRule) error {
	optima, err := orlib.Optima(filepath.Join(dir, "pmedopt.txt"))
	if err != nil {
		return err
	}
	var which []int
	if only == "" {
		for i := 1; i <= 40; i++ {
			which = append(which, i)
		}
	} else {
		for _, s := range strings.Split(only, ",") {
			i, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || i < 1 || i > 40 {
				return fmt.Errorf("-only %q: want numbers 1–40", only)
			}
			which = append(which, i)
		}
	}
	fmt.Printf("| instance | n | p | known optimum | ours | proven | match | seconds (process) | solve seconds |\n|---|---:|---:|---:|---:|---|---|---:|---:|\n")
	var total, solve time.Duration
	proven, match := 0, 0
	for _, i := range which {
		name := fmt.Sprintf("pmed%d", i)
		in, err := orlib.LoadWith(filepath.Join(dir, name+".txt"), rule)
		if err != nil {
			return err
		}
		csv := filepath.Join(work, name+".csv")
		if err := os.WriteFile(csv, in.CostMatrixCSV(), 0o644); err != nil {
			return err
		}
		want := optima[name]
		if model == "pcenter" {
			want = orlib.CenterRadii[i-1]
		}
		start := time.Now()
		out, err := exec.Command(bin, "optimize", "--model", model, "--k", strconv.Itoa(in.P), "--cost-matrix", csv,
			"--format", "json", "--time-limit", strconv.FormatFloat(limit, 'f', -1, 64), "--quiet").Output()
		took := time.Since(start)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var plan struct {
			Objective float64 `json:"objective"`
			Optimal   bool    `json:"optimal"`
			Seconds   float64 `json:"seconds"`
		}
		if err := json.Unmarshal(out, &plan); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		total += took
		solve += time.Duration(plan.Seconds * float64(time.Second))
		if plan.Optimal {
			proven++
		}
		ok := plan.Objective == want
		if ok {
			match++
		}
		fmt.Printf("| %s | %d | %d | %g | %g | %v | %v | %.2f | %.2f |\n", name, in.N, in.P, want, plan.Objective, plan.Optimal, ok, took.Seconds(), plan.Seconds)
		if !keep {
			os.Remove(csv)
		}
	}
	fmt.Printf("\n%s on %d instances: %d proven optimal, %d equal to the published value; %.1f s in all (processes), %.1f s solving.\n",
		model, len(which), proven, match, total.Seconds(), solve.Seconds())
	return nil
}
