package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/locate"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func optimizeCommand() command {
	c := command{name: "optimize", summary: "which offices to keep: p-median, p-center, MCLP or LSCP, proven optimal or with its gap"}
	c.usage = `Chooses which offices to keep open. Demand is the districts at their
(population-weighted) representative points, weighted by population (1 each
when there is none); --districts may also hold Point features (demand points,
used as given). Candidates are the offices. --keep-kind and --keep are
open in every plan and count in K.

  --model pmedian  least Σ population × distance to the nearest open office (person-metres)
  --model pcenter  least largest distance to the nearest open office (unweighted)
  --model mclp     most population within --service-km of an open office, with K offices
  --model lscp     fewest offices putting every district within --service-km; districts no
                   office can reach are listed as uncovered and left out (--strict: exit 2)

--extra stores,posts adds convenience stores and post offices as certificate
points that are always open and count in no K: a district near one needs a
counter less.

Small cases (the Kumamoto default, a few dozen candidates) are proven optimal;
large ones end with a lower bound and the gap when --time-limit is reached.
Under --metric road or time costs are route metres or seconds (then the
service limit is --service-min). --cost-matrix F.csv with no layer flags
optimises the matrix alone: origins are the demand (weight 1, or a weight
column), destinations the candidates; every pair must be in it.

--curve A-B solves every K from A to B (the trade-off curve) and draws it
(--chart FILE.png; default beside -o, else optimize_curve.png).
--write-scenario plan.yaml writes the plan as a scenario that
"catchment whatif --scenario" reads, its closures staged by least impact.

--format json gives one object (an array with --curve): model, k, service_m,
kept, open, closed, objective, objective_unit, optimal, lower_bound,
upper_bound, gap, total_population, covered_population, uncovered,
mean_distance_m, max_distance_m, seconds and assignment rows (district_id,
office_id, distance_m, population, covered). --format csv gives the
assignment rows (one row per K with --curve).

Example:
  catchment optimize --model pmedian --k 10 --keep-kind ward
  catchment optimize --model pmedian --curve 5-19 --keep-kind ward --format json -o curve.json
  catchment optimize --model mclp --k 8 --service-km 3 --extra stores,posts --keep-kind ward
  catchment optimize --model lscp --service-km 4 --format json
  catchment optimize --model pmedian --k 12 --keep-kind ward --write-scenario plan.yaml
  catchment optimize --model pmedian --k 5 --cost-matrix pmed1.csv --format json
`
	c.run = func(e *env, args []string) error { return runOptimize(e, &c, args) }
	return c
}

// optimizeFlags are the flags of optimize besides layers, metric and output.
type optimizeFlags struct {
	model                 string
	k                     int
	keepKind, keep        string
	serviceKm, serviceMin float64
	extra, curve          string
	timeLimit             float64
	strict                bool
	scenario, chart       string
	width                 int
	font                  string
	latin                 bool
}

// optimizeJob is what the flags ask for, checked.
type optimizeJob struct {
	model   locate.Model
	ks      []int // one K, or the curve's (nil for LSCP)
	curve   bool
	keep    []string
	kind    data.OfficeKind
	extra   []string // "stores", "posts"
	service float64  // km or min as given; 0: none
	timed   bool     // the service limit is in minutes
	limit   time.Duration
}

func runOptimize(e *env, c *command, args []string) error {
	fs := newFlagSet(e, c)
	lf := addLayerFlags(fs, data.LayerOffices, data.LayerDistricts, data.LayerStores, data.LayerPosts)
	lf.pointDistricts = true // demand points are used as given
	of := addOutputFlags(fs, "table", "csv", "json")
	var f optimizeFlags
	fs.StringVar(&f.model, "model", "pmedian", "pmedian | pcenter | mclp | lscp")
	fs.IntVar(&f.k, "k", 0, "number of open offices, kept ones included (pmedian, pcenter, mclp)")
	fs.StringVar(&f.keepKind, "keep-kind", "", "keep every office of this kind open (ward or branch); they count in K")
	fs.StringVar(&f.keep, "keep", "", "ids of offices kept open, comma-separated; they count in K")
	fs.Float64Var(&f.serviceKm, "service-km", 0, "service distance in km (mclp, lscp; with pmedian or pcenter it only counts who is within it)")
	fs.Float64Var(&f.serviceMin, "service-min", 0, "service time in minutes, for --metric time or a cost matrix of times")
	fs.StringVar(&f.extra, "extra", "", "always-open certificate points that count in no K: stores, posts or stores,posts")
	fs.StringVar(&f.curve, "curve", "", "A-B: solve every K from A to B (the trade-off curve) and draw it")
	fs.Float64Var(&f.timeLimit, "time-limit", locate.DefaultTimeLimit.Seconds(), "seconds each solve may take; then the best plan found, its bound and gap are given")
	fs.BoolVar(&f.strict, "strict", false, "exit with status 2 when some district cannot be served (or, for mclp and lscp, covered) by any office")
	fs.StringVar(&f.scenario, "write-scenario", "", "write the plan as a scenario file (.yaml, .yml or .json) for whatif --scenario, closures staged by least impact")
	fs.StringVar(&f.chart, "chart", "", "PNG file of the --curve chart (default: beside -o, else optimize_curve.png)")
	fs.IntVar(&f.width, "width", 1600, "chart width in pixels")
	fs.StringVar(&f.font, "font", "", "Japanese font file for the chart (default: search the machine)")
	fs.BoolVar(&f.latin, "latin", false, "chart: romanised labels only")
	mf := addMetricFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := of.check(); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	job, err := f.check(set)
	if err != nil {
		return err
	}

	// The problem: a study of layers, or a cost matrix alone.
	var (
		pb              *locate.Problem
		metric          catchment.Metric
		study           *catchment.Study
		ds              *data.Dataset
		names, namesEn  map[string]string
		matrixOnly      bool
		table           *data.CostTable
		matrixNoDefault bool
	)
	if mf.costMatrix != "" {
		if table, err = mf.table(e, lf.quiet); err != nil {
			return err
		}
		if !lf.given() {
			def, _, err := data.Default()
			if err != nil {
				return err
			}
			matrixNoDefault = !namesAny(table, def)
			matrixOnly = matrixNoDefault
		}
	}
	if matrixOnly {
		switch {
		case job.kind != "":
			return fmt.Errorf("--keep-kind needs an offices layer; a cost matrix alone has no kinds (use --keep)")
		case len(job.extra) > 0:
			return fmt.Errorf("--extra needs the stores or posts layer; a cost matrix alone has none")
		case f.scenario != "":
			return fmt.Errorf("--write-scenario needs the offices and districts layers; a cost matrix alone has none")
		}
		if pb, err = matrixProblem(table, job.keep); err != nil {
			return err
		}
		metric = pb.Metric
		if !lf.quiet {
			fmt.Fprintf(e.stderr, "optimising the cost matrix alone: %d origins (demand) × %d destinations (candidates)\n", len(pb.Demand), len(pb.Sites))
		}
	} else {
		if ds, err = lf.load(e); err != nil {
			return err
		}
		if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
			return err
		}
		if table != nil {
			if err := checkMatrix(table, ds, job.extra); err != nil {
				return err
			}
			metric = catchment.NewCostMatrix(table)
		} else if metric, err = mf.measure(e, lf.quiet, lf.opt); err != nil {
			return err
		}
		if study, err = lf.study(ds, metric, 0); err != nil {
			return err
		}
		var extra []catchment.Place
		for _, x := range job.extra {
			pts, kind := ds.Stores, "store"
			if x == "posts" {
				pts, kind = ds.Posts, "post office"
			}
			if len(pts) == 0 {
				return fmt.Errorf("--extra %s: the study has no %s layer: give --%s FILE or --data DIR", x, x, x)
			}
			extra = append(extra, catchment.ServicePlaces(pts, kind)...)
		}
		pb, err = locate.FromStudy(study, locate.StudyOptions{Keep: job.keep, KeepKind: job.kind, Extra: extra})
		printWarnings(e, lf.quiet, study.Warnings())
		if err != nil {
			return fmt.Errorf("%w (--keep, --keep-kind)", err)
		}
		names, namesEn = map[string]string{}, map[string]string{}
		for _, o := range ds.Offices {
			names[o.ID], namesEn[o.ID] = o.Name, o.NameEn
		}
	}
	service, err := job.serviceIn(metric)
	if err != nil {
		return err
	}
	for _, k := range job.ks {
		what := "--k"
		if job.curve {
			what = "--curve " + f.curve
		}
		switch {
		case k > len(pb.Sites):
			return fmt.Errorf("%s: K = %d is more than the %d candidate offices", what, k, len(pb.Sites))
		case k < len(pb.Kept):
			return fmt.Errorf("%s: K = %d is fewer than the %d kept offices (--keep, --keep-kind), which count in K", what, k, len(pb.Kept))
		}
	}

	// Solve every K (once for LSCP).
	ks := job.ks
	if job.model == locate.LSCP {
		ks = []int{0}
	}
	var plans []render.Plan
	var sols []*locate.Solution
	for _, k := range ks {
		sol, err := locate.Solve(context.Background(), pb, locate.Options{Model: job.model, K: k, Service: service, TimeLimit: job.limit})
		if err != nil {
			return err
		}
		if len(sol.Unreachable) > 0 && f.strict {
			return &exitError{code: 2, err: fmt.Errorf("--strict: %d districts cannot be %s by any office%s: %s",
				len(sol.Unreachable), map[bool]string{true: "covered", false: "served"}[job.model.Covering()],
				map[bool]string{true: " or extra point", false: ""}[len(pb.Extra) > 0], idList(pb, sol.Unreachable))}
		}
		pl := render.PlanOf(pb, sol, metric.Quantity(), metric.Name())
		plans = append(plans, pl)
		sols = append(sols, sol)
		if !lf.quiet {
			proof := "proven optimal"
			if !sol.Optimal {
				proof = fmt.Sprintf("not proven: bounds %s–%s, gap %.4f %%", compact(sol.LowerBound), compact(sol.UpperBound), 100*sol.Gap)
			}
			fmt.Fprintf(e.stderr, "%s K=%d: objective %s %s, %s (%.3f s)\n", job.model, sol.K, compact(sol.Objective), pl.ObjectiveUnit, proof, sol.Elapsed.Seconds())
			if n := len(sol.Unreachable); n > 0 {
				fmt.Fprintf(e.stderr, "warning: %d districts cannot be reached by any office and are left out: %s\n", n, idList(pb, sol.Unreachable))
			}
		}
	}

	// Encode every output in memory, then write.
	var main bytes.Buffer
	switch {
	case of.format == "json" && job.curve:
		err = writeJSON(&main, plans)
	case of.format == "json":
		err = writeJSON(&main, plans[0])
	case of.format == "csv" && job.curve:
		err = render.PlanSummaryTable(plans).WriteCSV(&main)
	case of.format == "csv":
		err = render.PlanAssignmentTable(plans[0]).WriteCSV(&main)
	case of.format == "xlsx":
		tables := []render.NamedTable{render.Named("optimize_plans", render.PlanSummaryTable(plans))}
		if !job.curve {
			tables = append(tables, render.Named("optimize_assignment", render.PlanAssignmentTable(plans[0])))
		}
		err = of.workbook(of.title("catchment ", "catchment の出力: catchment ")+"optimize", ds, plans[0].Metric, tables)(&main)
	default:
		err = writeOptimizeText(&main, plans, pb, names, ds, job)
	}
	if err != nil {
		return err
	}
	type file struct {
		path string
		data []byte
	}
	var files []file
	if job.curve {
		png, err := curvePNG(e, &f, plans, names, namesEn, study, ds, job, lf.quiet)
		if err != nil {
			return err
		}
		path := f.chart
		if path == "" {
			path = "optimize_curve.png"
			if of.out != "" {
				path = strings.TrimSuffix(of.out, filepath.Ext(of.out)) + ".png"
			}
		}
		files = append(files, file{path, png})
	}
	if f.scenario != "" {
		b, err := planScenario(study, pb, plans[0], sols[0], f.scenario)
		if err != nil {
			return err
		}
		files = append(files, file{f.scenario, b})
	}
	if err := of.write(e, func(w io.Writer) error { _, err := w.Write(main.Bytes()); return err }); err != nil {
		return err
	}
	for _, fl := range files {
		if err := atomicfile.WriteFile(fl.path, func(w io.Writer) error { _, err := w.Write(fl.data); return err }); err != nil {
			return fmt.Errorf("write %s: %w", fl.path, err)
		}
		if !lf.quiet {
			fmt.Fprintf(e.stderr, "wrote %s\n", fl.path)
		}
	}
	return nil
}

// check validates the flags that need no data.
func (f *optimizeFlags) check(set map[string]bool) (optimizeJob, error) {
	var job optimizeJob
	var err error
	if job.model, err = locate.ParseModel(f.model); err != nil {
		return job, fmt.Errorf("--model: %w", err)
	}
	switch {
	case job.model == locate.LSCP && (set["k"] || f.curve != ""):
		return job, fmt.Errorf("--model lscp finds the number of offices itself: leave out --k and --curve")
	case set["k"] && f.curve != "":
		return job, fmt.Errorf("give either --k or --curve, not both")
	case job.model != locate.LSCP && !set["k"] && f.curve == "":
		return job, fmt.Errorf("--model %s needs --k N (open offices, kept ones included) or --curve A-B", job.model)
	case set["k"] && f.k < 1:
		return job, fmt.Errorf("--k must be at least 1, got %d", f.k)
	}
	if set["k"] {
		job.ks = []int{f.k}
	}
	if f.curve != "" {
		a, b, ok := strings.Cut(f.curve, "-")
		lo, err1 := strconv.Atoi(strings.TrimSpace(a))
		hi, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || lo < 1 || hi < lo || hi-lo > 1000 {
			return job, fmt.Errorf("--curve %q: want A-B with 1 ≤ A ≤ B (at most 1,000 apart), e.g. 5-19", f.curve)
		}
		for k := lo; k <= hi; k++ {
			job.ks = append(job.ks, k)
		}
		job.curve = true
	}
	positive := func(name string, v float64, unit string) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("--%s must be a positive number of %s, got %g", name, unit, v)
		}
		return nil
	}
	switch {
	case set["service-km"] && set["service-min"]:
		return job, fmt.Errorf("give either --service-km or --service-min, not both")
	case set["service-km"]:
		if err := positive("service-km", f.serviceKm, "km"); err != nil {
			return job, err
		}
		job.service = f.serviceKm
	case set["service-min"]:
		if err := positive("service-min", f.serviceMin, "minutes"); err != nil {
			return job, err
		}
		job.service, job.timed = f.serviceMin, true
	case job.model.Covering():
		return job, fmt.Errorf("--model %s needs --service-km S (or --service-min M under travel times)", job.model)
	}
	if err := positive("time-limit", f.timeLimit, "seconds"); err != nil {
		return job, err
	}
	if f.timeLimit > 7*24*3600 {
		return job, fmt.Errorf("--time-limit %g s is more than a week", f.timeLimit)
	}
	job.limit = time.Duration(f.timeLimit * float64(time.Second))
	if job.keep, err = catchment.ParseIDList(f.keep); err != nil {
		return job, fmt.Errorf("--keep: %w", err)
	}
	switch f.keepKind {
	case "":
	case string(data.Ward), string(data.Branch):
		job.kind = data.OfficeKind(f.keepKind)
	default:
		return job, fmt.Errorf("--keep-kind %q: want ward or branch", f.keepKind)
	}
	if f.extra != "" {
		items, err := catchment.ParseIDList(f.extra)
		if err != nil {
			return job, fmt.Errorf("--extra: %w", err)
		}
		for _, x := range items {
			if x != "stores" && x != "posts" {
				return job, fmt.Errorf("--extra %q: want stores, posts or stores,posts", f.extra)
			}
			if !slices.Contains(job.extra, x) {
				job.extra = append(job.extra, x)
			}
		}
	}
	if f.scenario != "" {
		if job.curve {
			return job, fmt.Errorf("--write-scenario writes one plan: give --k, not --curve")
		}
		switch strings.ToLower(filepath.Ext(f.scenario)) {
		case ".yaml", ".yml", ".json":
		default:
			return job, fmt.Errorf("--write-scenario %s: want a .yaml, .yml or .json file", f.scenario)
		}
	}
	if f.chart != "" && !job.curve {
		return job, fmt.Errorf("--chart draws the --curve: give --curve A-B")
	}
	if f.width < 300 || f.width > 20000 {
		return job, fmt.Errorf("--width %d: want 300–20000 pixels", f.width)
	}
	return job, nil
}

// serviceIn is the service limit in the metric's quantity (metres or
// seconds); 0 when none.
func (job optimizeJob) serviceIn(m catchment.Metric) (float64, error) {
	if job.service == 0 {
		return 0, nil
	}
	timeMetric := m.Quantity() == catchment.Time
	switch {
	case job.timed && !timeMetric:
		return 0, fmt.Errorf("--service-min needs travel times (--metric time, or a cost matrix of times); the %s metric measures metres: give --service-km", m.Name())
	case !job.timed && timeMetric:
		return 0, fmt.Errorf("the %s metric measures travel time: give --service-min instead of --service-km", m.Name())
	case job.timed:
		return job.service * 60, nil
	}
	return job.service * 1000, nil
}

// given reports whether any layer flag or --data was given.
func (lf *layerFlags) given() bool {
	if lf.dir != "" || (lf.population != nil && *lf.population != "") {
		return true
	}
	for _, p := range lf.paths {
		if *p != "" {
			return true
		}
	}
	return false
}

// namesAny reports whether the table names any district of ds among its
// origins: then it is meant for ds.
func namesAny(t *data.CostTable, ds *data.Dataset) bool {
	ids := map[string]bool{}
	for _, d := range ds.Districts {
		ids[d.ID] = true
	}
	for _, r := range t.Rows {
		if ids[r.Origin] {
			return true
		}
	}
	return false
}

// checkMatrix checks a cost matrix against the layers: every id is a
// district or office (origins), an office, store or post office
// (destinations), and every district has a cost to every office and to
// every extra point asked for.
func checkMatrix(t *data.CostTable, ds *data.Dataset, extra []string) error {
	origin, dest := map[string]int{}, map[string]int{}
	for i, d := range ds.Districts {
		origin[d.ID] = i
	}
	n := len(ds.Districts)
	kinds := map[string]string{}
	addDest := func(id, kind string, count bool) {
		if _, ok := kinds[id]; !ok {
			kinds[id] = kind
		}
		if count {
			if _, ok := dest[id]; !ok {
				dest[id] = len(dest)
			}
		}
	}
	for _, o := range ds.Offices {
		addDest(o.ID, "office", true)
	}
	for _, s := range ds.Stores {
		addDest(s.ID, "store", slices.Contains(extra, "stores"))
	}
	for _, p := range ds.Posts {
		addDest(p.ID, "post office", slices.Contains(extra, "posts"))
	}
	offices := map[string]bool{}
	for _, o := range ds.Offices {
		offices[o.ID] = true
	}
	have := make([]bool, n*len(dest))
	for _, r := range t.Rows {
		bad := func(field, format string, a ...any) error {
			return &data.InputError{File: t.Source, Feature: fmt.Sprintf("line %d", r.Line), Field: field, Message: fmt.Sprintf(format, a...)}
		}
		i, isDistrict := origin[r.Origin]
		if !isDistrict && !offices[r.Origin] {
			return bad("origin", "%q is not the id of a district or office of the layers", r.Origin)
		}
		if _, ok := kinds[r.Dest]; !ok {
			return bad("dest", "%q is not the id of an office, store or post office of the layers", r.Dest)
		}
		if j, ok := dest[r.Dest]; ok && isDistrict {
			have[i*len(dest)+j] = true
		}
	}
	destIDs := make([]string, len(dest))
	for id, j := range dest {
		destIDs[j] = id
	}
	return missingPairs(t.Source, have, len(dest), func(i int) string { return "district " + ds.Districts[i].ID },
		func(j int) string { return kinds[destIDs[j]] + " " + destIDs[j] })
}

// missingPairs reports the pairs have lacks (origin-major, m destinations
// per origin) in an error naming the first.
func missingPairs(source string, have []bool, m int, origin, dest func(int) string) error {
	missing, first := 0, -1
	for k, h := range have {
		if !h {
			if first < 0 {
				first = k
			}
			missing++
		}
	}
	if missing == 0 {
		return nil
	}
	more := ""
	if missing > 1 {
		more = fmt.Sprintf(" (and %d more pairs)", missing-1)
	}
	return &data.InputError{File: source, Message: fmt.Sprintf("no cost from %s to %s%s: optimize needs a cost for every pair (it does not take a missing pair as unreachable)",
		origin(first/m), dest(first%m), more)}
}

// matrixProblem is the problem of a cost matrix alone: its origins (in
// order of appearance) the demand, weighted by the weight column or 1
// each, its destinations the candidates.
func matrixProblem(t *data.CostTable, keep []string) (*locate.Problem, error) {
	origin, dest := map[string]int{}, map[string]int{}
	p := &locate.Problem{Metric: catchment.NewCostMatrix(t)}
	for _, r := range t.Rows {
		if _, ok := origin[r.Origin]; !ok {
			origin[r.Origin] = len(p.Demand)
			p.Demand = append(p.Demand, catchment.Place{ID: r.Origin, Kind: "origin", Label: "origin " + r.Origin})
			w := 1.0
			if t.HasWeight {
				w = r.Weight
			}
			p.Weights = append(p.Weights, w)
		}
		if _, ok := dest[r.Dest]; !ok {
			dest[r.Dest] = len(p.Sites)
			p.Sites = append(p.Sites, catchment.Place{ID: r.Dest, Kind: "destination", Label: "destination " + r.Dest})
		}
	}
	m := len(p.Sites)
	have := make([]bool, len(p.Demand)*m)
	for _, r := range t.Rows {
		have[origin[r.Origin]*m+dest[r.Dest]] = true
	}
	if err := missingPairs(t.Source, have, m, func(i int) string { return "origin " + p.Demand[i].ID },
		func(j int) string { return "destination " + p.Sites[j].ID }); err != nil {
		return nil, err
	}
	for _, id := range keep {
		j, ok := dest[id]
		if !ok {
			return nil, fmt.Errorf("--keep: %q is not a destination of the cost matrix %s", id, t.Source)
		}
		if !slices.Contains(p.Kept, j) {
			p.Kept = append(p.Kept, j)
		}
	}
	return p, nil
}

// idList names demand points for a message: up to 12 ids.
func idList(p *locate.Problem, idx []int) string {
	var ids []string
	for _, i := range idx {
		ids = append(ids, p.Demand[i].ID)
	}
	if len(ids) > 12 {
		return strings.Join(ids[:12], ", ") + fmt.Sprintf(" and %d more", len(ids)-12)
	}
	return strings.Join(ids, ", ")
}

// compact formats a figure for a message: whole numbers as such, else 4
// significant digits after the point at most.
func compact(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeOptimizeText prints a plan's figures and offices, or a curve's
// table, for a terminal.
func writeOptimizeText(w io.Writer, plans []render.Plan, pb *locate.Problem, names map[string]string, ds *data.Dataset, job optimizeJob) error {
	var b strings.Builder
	section := func(title string, t vector.Table) error {
		if title != "" {
			fmt.Fprintf(&b, "%s\n\n", title)
		}
		if err := t.WriteText(&b); err != nil {
			return err
		}
		b.WriteString("\n")
		return nil
	}
	if job.curve {
		t := render.PlanSummaryTable(plans)
		if len(pb.Sites) > 40 {
			t = dropColumns(t, "open", "closed")
		} else {
			t = dropColumns(t, "open")
		}
		if err := section(fmt.Sprintf("Best plans of %s for K = %d to %d", job.model, plans[0].K, plans[len(plans)-1].K), t); err != nil {
			return err
		}
	} else {
		p := plans[0]
		if err := section("", render.PlanFigures(p)); err != nil {
			return err
		}
		if err := section("Offices", render.PlanOfficeTable(p, pb.Sites, names)); err != nil {
			return err
		}
	}
	if ds != nil {
		if synth := syntheticLayers(ds); len(synth) > 0 {
			fmt.Fprintf(&b, "Note: %s are SYNTHETIC demo layers; populations and distances from them are not real.\n", strings.Join(synth, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// dropColumns is t without the named columns.
func dropColumns(t vector.Table, names ...string) vector.Table {
	var keep []int
	out := vector.Table{}
	for k, c := range t.Columns {
		if !slices.Contains(names, c) {
			keep = append(keep, k)
			out.Columns = append(out.Columns, c)
		}
	}
	for _, r := range t.Rows {
		row := make([]any, len(keep))
		for k, c := range keep {
			row[k] = r[c]
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// curvePNG draws the trade-off curve, with the distance rule's plan beside
// it when the study has ward and branch offices (p-median).
func curvePNG(e *env, f *optimizeFlags, plans []render.Plan, names, namesEn map[string]string, study *catchment.Study, ds *data.Dataset, job optimizeJob, quiet bool) ([]byte, error) {
	pts, text := render.CurveChart(plans, names, namesEn)
	var marks []draw.CurveMark
	if study != nil && job.model == locate.PMedian && study.Metric().Quantity() == catchment.Distance {
		if m, ok := ruleMark(study, catchment.DefaultMaxKm); ok {
			marks = append(marks, m)
		}
	}
	var fonts *draw.Fonts
	if f.latin {
		fonts = draw.LatinFonts()
	} else {
		fs, warns, err := draw.LoadFonts(f.font)
		if err != nil {
			return nil, err
		}
		warn(e, quiet, warns)
		fonts = fs
	}
	source := ""
	if ds != nil {
		source = render.SourceLine(ds)
	}
	if len(plans[0].Kept) > 0 {
		source = strings.TrimPrefix(source+fmt.Sprintf("; kept in every plan: %d offices", len(plans[0].Kept)), "; ")
	}
	img, warns, err := draw.RenderCurve(pts, marks, text, draw.ChartOptions{Width: f.width, Height: f.width * 5 / 8, Fonts: fonts, Source: source})
	if err != nil {
		return nil, fmt.Errorf("curve chart: %w", err)
	}
	warn(e, quiet, warns)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ruleMark is the plan of the distance rule (close every branch office
// within 5 km of a ward office) as a mark for the curve: its office count
// and mean distance, km.
func ruleMark(s *catchment.Study, maxKm float64) (draw.CurveMark, bool) {
	closed, mean := ruleOutcome(s, maxKm)
	if len(closed) == 0 || math.IsNaN(mean) {
		return draw.CurveMark{}, false
	}
	k := len(s.Offices()) - len(closed)
	return draw.CurveMark{X: float64(k), Y: mean / 1000,
		Label:   fmt.Sprintf("%g km ルール（%d 出張所を廃止）", maxKm, len(closed)),
		LabelEn: fmt.Sprintf("%g km rule (closes %d branch offices)", maxKm, len(closed))}, true
}

// ruleOutcome is what the distance rule closes (the branch offices within
// maxKm of a ward office) and the population-weighted mean distance to
// the nearest office it leaves, metres (NaN when unknown).
func ruleOutcome(s *catchment.Study, maxKm float64) (closed []string, meanM float64) {
	rows, err := s.Candidates(maxKm)
	if err != nil || len(rows) == 0 {
		return nil, math.NaN()
	}
	for _, r := range rows {
		closed = append(closed, r.Office.ID)
	}
	a, err := s.Assign(closed...)
	if err != nil {
		return closed, math.NaN()
	}
	var sum, pop float64
	for _, d := range a.Districts {
		if d.Reached() && !math.IsNaN(d.DistanceM) {
			sum += d.District.Pop() * d.DistanceM
			pop += d.District.Pop()
		}
	}
	if pop == 0 {
		return closed, math.NaN()
	}
	return closed, sum / pop
}

// planScenario is the plan as a scenario file: the offices it closes,
// staged by least impact.
func planScenario(s *catchment.Study, pb *locate.Problem, pl render.Plan, sol *locate.Solution, path string) ([]byte, error) {
	closed := pl.Closed
	if len(closed) == 0 {
		return nil, fmt.Errorf("--write-scenario: the plan closes no office: nothing to stage")
	}
	w, err := s.WhatIf()
	if err != nil {
		return nil, err
	}
	stages, err := w.StageClosures(closed)
	if err != nil {
		return nil, err
	}
	proof := "proven optimal"
	if !pl.Optimal {
		proof = fmt.Sprintf("not proven optimal (gap %.4f %%)", 100*sol.Gap)
	}
	sc := catchment.Scenario{Name: fmt.Sprintf("%s K=%d", pl.Model, pl.K),
		Description: fmt.Sprintf("The %s plan keeping %d offices (%s), from catchment optimize under the %s metric; kept in every plan: %s. Closures are staged by least impact.",
			pl.Model, pl.K, proof, pl.Metric, joinOr(pl.Kept, "none"))}
	for k, ids := range stages {
		sc.Stages = append(sc.Stages, catchment.Stage{Name: fmt.Sprintf("%d: close %s", k+1, strings.Join(ids, ", ")), Close: ids})
	}
	format := "yaml"
	if strings.EqualFold(filepath.Ext(path), ".json") {
		format = "json"
	}
	var b bytes.Buffer
	if err := catchment.EncodeScenario(&b, sc, format); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func joinOr(ids []string, none string) string {
	if len(ids) == 0 {
		return none
	}
	return strings.Join(ids, ", ")
}
