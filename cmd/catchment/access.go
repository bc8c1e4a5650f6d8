package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func accessCommand() command {
	c := command{name: "access", summary: "accessibility index per district: 2SFCA, enhanced 2SFCA, gravity (PySAL access definitions)"}
	c.usage = `Measures how well each district is served when offices are shared: a
district near one office shared by 90,000 residents is worse served than one
near an office shared by 20,000. The definitions are PySAL access's.

Floating-catchment family (2sfca, e2sfca, gravity2sfca), the weights W used
in both steps:
  R_j = S_j / Σ_i W_ij·P_i   (0 when no demand reaches office j)
  A_i = Σ_j W_ij·R_j         (0 when no office is in range; PySAL gives NaN)
  2sfca         W = 1 for d ≤ d0 (--catchment-km)
  e2sfca        --decay step: PySAL's {10:1, 20:0.68, 30:0.22} rescaled to
                d0/3, 2d0/3, d0 (or --steps LIMIT:WEIGHT,...; W of the first
                step with d ≤ LIMIT, 0 beyond the last);
                --decay gaussian (Dai 2010): W = (exp(−½(d/d0)²) − e^−½) / (1 − e^−½);
                --decay pysal-gaussian: W = exp(−d²/2σ²) (--sigma-km), cut at d0
  gravity2sfca  W = (max(d, --min-km) / --scale-km)^−β (--beta), no catchment
gravity: A_i = Σ_j S_j·(max(d, --min-km) / --scale-km)^−β, no catchment.
Costs d ≤ d0 are inside the catchment (PySAL keeps d < d0). With
--catchment-km the gravity methods are cut at d0 too.
Supply S_j is the office's counter_count (--supply-field counter_count) or 1
each (none); demand P_i is the district's population. access_norm is A_i
divided by the population-weighted mean of A (PySAL's normalisation).
Distances are measured from each district's representative point under the
metric: geodesic (WGS84 ellipsoid), road, time or --cost-matrix. Under a time
metric give the costs in minutes: --catchment-min, --sigma-min, --scale-min,
--min-min, and --steps in minutes.

Rows (--level district): district_id, district_name, population, access,
access_norm, offices_reached. --level office: office_id, office_name, supply,
weighted_demand (Σ_i W_ij·P_i), ratio (R_j; null for gravity).
--map FILE.png draws the index by district (quintiles; --normalize draws
access_norm).

What if (--close IDS or --scenario FILE): the index with every office open
and after the change; closed offices supply nothing, a service corner keeps
--certificate-share of its supply. Rows: access_before, access_after, change,
access_norm_before, access_norm_after (both over today's mean),
offices_reached_before, offices_reached_after; --map draws the change.

Example:
  catchment access
  catchment access --method 2sfca --catchment-km 3 --supply-field none --format json
  catchment access --decay gaussian --map access.png
  catchment access --method gravity --beta 1.5 --level office --format csv
  catchment access --close oe,akitsu --map access_change.png
  catchment access --metric time --network chuo.json --catchment-min 10
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices, data.LayerDistricts, data.LayerBoundary)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		method := fs.String("method", "e2sfca", "index: 2sfca | e2sfca | gravity | gravity2sfca")
		decay := fs.String("decay", "step", "e2sfca decay: step | gaussian | pysal-gaussian")
		catchKm := fs.Float64("catchment-km", 5, "catchment d0 in km: offices at d ≤ d0 count (gravity methods: none unless given)")
		catchMin := fs.Float64("catchment-min", 10, "catchment d0 in minutes, under a time metric")
		sigmaKm := fs.Float64("sigma-km", 0, "pysal-gaussian width σ in km (0: half the catchment, 2.5 at 5 km)")
		sigmaMin := fs.Float64("sigma-min", 0, "pysal-gaussian width σ in minutes, under a time metric (0: half the catchment)")
		steps := fs.String("steps", "", "step decay as LIMIT:WEIGHT,... ascending, in km (minutes under a time metric); default PySAL's rescaled to the catchment: 1.6667:1,3.3333:0.68,5:0.22 at 5 km")
		beta := fs.Float64("beta", 1, "gravity exponent β > 0")
		scaleKm := fs.Float64("scale-km", 1, "gravity scale in km")
		scaleMin := fs.Float64("scale-min", 1, "gravity scale in minutes, under a time metric")
		minKm := fs.Float64("min-km", 0.1, "gravity minimum distance in km (nearer counts as this)")
		minMin := fs.Float64("min-min", 0.1, "gravity minimum time in minutes, under a time metric")
		supply := fs.String("supply-field", "counter_count", "office supply: counter_count | none (1 per office)")
		normalize := fs.Bool("normalize", false, "map access_norm (A over its population-weighted mean) instead of A; JSON, CSV and GeoJSON always carry both")
		level := fs.String("level", "district", "rows: district | office")
		closeIDs := fs.String("close", "", "what if: ids of offices to close, comma-separated")
		scenarioPath := fs.String("scenario", "", "what if: scenario file (.yaml, .yml or .json) with stages")
		stage := fs.Int("stage", 0, "what if: the scenario stage shown (default: the last)")
		share := fs.Float64("certificate-share", 0, "what if: the share (0..1) of a service corner's supply it keeps (0: a corner counts as closed)")
		mapPath := fs.String("map", "", "also draw the index by district (or its change, in a what-if) to FILE.png")
		pf := &pictureFlags{}
		fs.IntVar(&pf.width, "width", 1600, "map width in pixels")
		fs.Float64Var(&pf.dpi, "dpi", 0, "map dots per inch (0: 144 × width/1600)")
		fs.StringVar(&pf.font, "font", "", "Japanese font file for the map; default: search the machine")
		fs.BoolVar(&pf.latin, "latin", false, "map with romanised labels only, no Japanese font")
		mf := addMetricFlags(fs)
		if err := parse(fs, args); err != nil {
			return err
		}
		if err := of.check(); err != nil {
			return err
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

		// Every flag is checked before any data is read.
		for _, f := range []struct {
			name string
			v    float64
		}{{"catchment-km", *catchKm}, {"catchment-min", *catchMin}, {"sigma-km", *sigmaKm}, {"sigma-min", *sigmaMin},
			{"beta", *beta}, {"scale-km", *scaleKm}, {"scale-min", *scaleMin}, {"min-km", *minKm}, {"min-min", *minMin},
			{"certificate-share", *share}, {"dpi", pf.dpi}} {
			if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
				return fmt.Errorf("--%s must be a finite number, got %g", f.name, f.v)
			}
		}
		m := catchment.AccessMethod(*method)
		if !contains(accessMethodNames(), *method) {
			return fmt.Errorf("--method %q: want one of %s", *method, strings.Join(accessMethodNames(), ", "))
		}
		gravity := m == catchment.AccessGravity || m == catchment.AccessGravity2SFCA
		switch {
		case set["decay"] && m != catchment.AccessE2SFCA:
			return fmt.Errorf("--decay is for --method e2sfca (%s has its own weight)", m)
		case *decay != "step" && *decay != "gaussian" && *decay != "pysal-gaussian":
			return fmt.Errorf("--decay %q: want step, gaussian or pysal-gaussian", *decay)
		case (set["sigma-km"] || set["sigma-min"]) && (m != catchment.AccessE2SFCA || *decay != "pysal-gaussian"):
			return fmt.Errorf("--sigma-km and --sigma-min are for --decay pysal-gaussian")
		case set["steps"] && (m != catchment.AccessE2SFCA || *decay != "step"):
			return fmt.Errorf("--steps is for --method e2sfca with --decay step")
		case !gravity && (set["beta"] || set["scale-km"] || set["scale-min"] || set["min-km"] || set["min-min"]):
			return fmt.Errorf("--beta, --scale-km, --scale-min, --min-km and --min-min are for --method gravity or gravity2sfca")
		case *catchKm <= 0:
			return fmt.Errorf("--catchment-km must be a distance > 0 km, got %g", *catchKm)
		case *catchMin <= 0:
			return fmt.Errorf("--catchment-min must be a time > 0 minutes, got %g", *catchMin)
		case *sigmaKm < 0 || (set["sigma-km"] && *sigmaKm == 0):
			return fmt.Errorf("--sigma-km must be > 0 km, got %g", *sigmaKm)
		case *sigmaMin < 0 || (set["sigma-min"] && *sigmaMin == 0):
			return fmt.Errorf("--sigma-min must be > 0 minutes, got %g", *sigmaMin)
		case *beta <= 0:
			return fmt.Errorf("--beta must be > 0, got %g", *beta)
		case *scaleKm <= 0:
			return fmt.Errorf("--scale-km must be > 0 km, got %g", *scaleKm)
		case *scaleMin <= 0:
			return fmt.Errorf("--scale-min must be > 0 minutes, got %g", *scaleMin)
		case *minKm < 0:
			return fmt.Errorf("--min-km must not be negative, got %g", *minKm)
		case *minMin < 0:
			return fmt.Errorf("--min-min must not be negative, got %g", *minMin)
		case *supply != string(catchment.SupplyCounterCount) && *supply != string(catchment.SupplyNone):
			return fmt.Errorf("--supply-field %q: want counter_count or none (1 per office)", *supply)
		case *level != "district" && *level != "office":
			return fmt.Errorf("--level %q: want district or office", *level)
		case *share < 0 || *share > 1:
			return fmt.Errorf("--certificate-share must be between 0 and 1, got %g", *share)
		case *closeIDs != "" && *scenarioPath != "":
			return fmt.Errorf("give either --close or --scenario, not both")
		case set["stage"] && *scenarioPath == "":
			return fmt.Errorf("--stage needs --scenario")
		case *mapPath != "" && !strings.HasSuffix(strings.ToLower(*mapPath), ".png"):
			return fmt.Errorf("--map %q: the map is a PNG: give FILE.png", *mapPath)
		case *mapPath != "" && *mapPath == of.out:
			return fmt.Errorf("--map and -o name the same file %s", of.out)
		}
		var parsedSteps [][2]float64
		if set["steps"] {
			var err error
			if parsedSteps, err = parseSteps(*steps); err != nil {
				return fmt.Errorf("--steps %q: %w", *steps, err)
			}
		}
		sc, err := accessScenario(*closeIDs, *scenarioPath)
		if err != nil {
			return err
		}
		if sc != nil && sc.Options.CertificateShare != nil && !set["certificate-share"] {
			*share = *sc.Options.CertificateShare
		}

		ds, err := begin(e, fs, nil, lf, nil, data.LayerOffices, data.LayerDistricts)
		if err != nil {
			return err
		}
		of.dataset = ds
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		// The options in the metric's unit: metres, or seconds for time.
		q := s.Metric().Quantity()
		unit, suffix, other := 1000.0, "km", "min"
		if q == catchment.Time {
			unit, suffix, other = 60, "min", "km"
		}
		for _, name := range []string{"catchment", "sigma", "scale", "min"} {
			if set[name+"-"+other] {
				return fmt.Errorf("--%s-%s does not apply: the %s metric measures %s; give --%s-%s", name, other, s.Metric().Name(), q, name, suffix)
			}
		}
		pick := func(km, min float64) float64 {
			if q == catchment.Time {
				return min * unit
			}
			return km * unit
		}
		opt := catchment.AccessOptions{Method: m, Supply: catchment.SupplyField(*supply), CornerShare: *share}
		if m == catchment.AccessE2SFCA {
			opt.Decay = catchment.Decay(*decay)
		}
		if !gravity || set["catchment-"+suffix] {
			opt.Catchment = pick(*catchKm, *catchMin)
		}
		if opt.Decay == catchment.DecayPySALGaussian {
			opt.Sigma = pick(*sigmaKm, *sigmaMin)
		}
		if parsedSteps != nil {
			for _, st := range parsedSteps {
				opt.Steps = append(opt.Steps, catchment.WeightStep{Limit: st[0] * unit, Weight: st[1]})
			}
			last := opt.Steps[len(opt.Steps)-1].Limit
			switch {
			case !set["catchment-"+suffix]:
				opt.Catchment = last
			case last > opt.Catchment:
				return fmt.Errorf("--steps: the last step, %g %s, is beyond --catchment-%s %g", parsedSteps[len(parsedSteps)-1][0], suffix, suffix, opt.Catchment/unit)
			}
		}
		if gravity {
			opt.Beta, opt.Scale, opt.Min = *beta, pick(*scaleKm, *scaleMin), pick(*minKm, *minMin)
		}

		var (
			idx    catchment.Accessibility
			shown  *catchment.AccessComparison
			stages []catchment.AccessComparison
		)
		if sc == nil {
			idx, err = s.Access(opt)
		} else {
			stages, err = s.AccessRun(*sc, opt)
		}
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return accessFlagError(err, *supply)
		}
		if sc != nil {
			k := len(stages)
			if *stage != 0 {
				if *stage < 1 || *stage > len(stages) {
					return fmt.Errorf("--stage %d: the scenario has stages 1 to %d", *stage, len(stages))
				}
				k = *stage
			}
			shown = &stages[k-1]
			idx = shown.Before
			seen := map[string]bool{}
			for _, st := range stages {
				for _, w := range st.Warnings {
					if !seen[w.String()] {
						seen[w.String()] = true
						printWarnings(e, lf.quiet, []data.Warning{w})
					}
				}
			}
		}
		if !lf.quiet {
			fmt.Fprintf(e.stderr, "access: %s; %s metric\n", idx.Options.Describe(q), idx.Metric)
			noAccessNote(e, idx, "")
			if shown != nil {
				noAccessNote(e, shown.After, " after "+shown.Change.Name)
			}
		}

		// The map is drawn before anything is written.
		var img image.Image
		if *mapPath != "" {
			fonts, err := pf.fonts(e, lf.quiet)
			if err != nil {
				return err
			}
			md := render.AccessMapData(ds, idx, *normalize)
			if shown != nil {
				md = render.AccessChangeMapData(ds, *shown, *normalize)
			}
			var warns []string
			if img, warns, err = draw.RenderValueMap(md, draw.MapOptions{Width: pf.width, DPI: pf.dpi, Fonts: fonts, Projections: &pf.projections}); err != nil {
				return fmt.Errorf("--map %s: %w", *mapPath, err)
			}
			warn(e, lf.quiet, warns)
		}
		var t vector.Table
		var features func() []vector.Feature
		layer := "access"
		switch {
		case shown == nil && *level == "district":
			t, features = render.AccessTable(idx), func() []vector.Feature { return render.AccessFeatures(idx) }
		case shown == nil:
			t, features, layer = render.AccessOfficeTable(idx), func() []vector.Feature { return render.AccessOfficeFeatures(idx) }, "access_offices"
		case *level == "district":
			t, features, layer = render.AccessChangeTable(*shown), func() []vector.Feature { return render.AccessChangeFeatures(*shown) }, "access_change"
		default:
			t, features, layer = render.AccessChangeOfficeTable(*shown), func() []vector.Feature { return render.AccessChangeOfficeFeatures(*shown) }, "access_offices"
		}
		if of.format == "table" {
			t = render.Significant(t, 4)
			if shown != nil {
				err = of.write(e, func(w io.Writer) error {
					if err := writeAccessSummary(w, stages, *shown); err != nil {
						return err
					}
					return t.WriteText(w)
				})
			} else {
				err = of.emit(e, t, layer, features)
			}
		} else {
			err = of.emit(e, t, layer, features)
		}
		if err != nil {
			return err
		}
		if img != nil {
			if err := draw.WritePNG(*mapPath, img); err != nil {
				return err
			}
			if !lf.quiet {
				fmt.Fprintf(e.stderr, "wrote %s\n", *mapPath)
			}
		}
		return nil
	}
	return c
}

func accessMethodNames() []string {
	out := make([]string, len(catchment.AccessMethods))
	for i, m := range catchment.AccessMethods {
		out[i] = string(m)
	}
	return out
}

// parseSteps reads LIMIT:WEIGHT,... with limits ascending and > 0 and
// weights ≥ 0, all finite.
func parseSteps(s string) ([][2]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("no steps: want LIMIT:WEIGHT,... such as 1.6667:1,3.3333:0.68,5:0.22")
	}
	var out [][2]float64
	for i, item := range strings.Split(s, ",") {
		lim, w, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok {
			return nil, fmt.Errorf("step %d %q: want LIMIT:WEIGHT, such as 1.6667:1", i+1, item)
		}
		l, err1 := strconv.ParseFloat(strings.TrimSpace(lim), 64)
		v, err2 := strconv.ParseFloat(strings.TrimSpace(w), 64)
		switch {
		case err1 != nil || math.IsNaN(l) || math.IsInf(l, 0) || l <= 0:
			return nil, fmt.Errorf("step %d %q: the limit %q is not a number > 0", i+1, item, lim)
		case err2 != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
			return nil, fmt.Errorf("step %d %q: the weight %q is not a number ≥ 0", i+1, item, w)
		case i > 0 && l <= out[i-1][0]:
			return nil, fmt.Errorf("step %d %q: the limit %g is not above the step before (%g): limits must ascend", i+1, item, l, out[i-1][0])
		}
		out = append(out, [2]float64{l, v})
	}
	return out, nil
}

// accessScenario is the what-if of --close or --scenario (nil: none).
func accessScenario(closeIDs, path string) (*catchment.Scenario, error) {
	switch {
	case path != "":
		sc, err := catchment.LoadScenario(path)
		if err != nil {
			return nil, err
		}
		return &sc, nil
	case closeIDs != "":
		ids, err := catchment.ParseIDList(closeIDs)
		if err != nil {
			return nil, fmt.Errorf("--close: %w", err)
		}
		name := flagScenarioName(ids, nil)
		return &catchment.Scenario{Name: name, Source: "--close", Stages: []catchment.Stage{{Name: name, Close: ids}}}, nil
	}
	return nil, nil
}

// accessFlagError names --supply-field in an error about a missing supply.
func accessFlagError(err error, supply string) error {
	var se *catchment.SupplyError
	if errors.As(err, &se) {
		return fmt.Errorf("--supply-field %s: %w", supply, err)
	}
	return err
}

// noAccessNote says on stderr which districts have no office in range,
// and how many of them the metric does not route at all.
func noAccessNote(e *env, a catchment.Accessibility, when string) {
	var ids []string
	var pop float64
	note := ""
	for _, d := range a.Districts {
		if d.OfficesReached == 0 && !d.Unrouted {
			ids = append(ids, d.District.ID)
			pop += d.Population
			note = d.Note
		}
	}
	if n := len(ids); n > 0 {
		if n > 12 {
			ids = append(ids[:12], fmt.Sprintf("… (%d more)", n-12))
		}
		fmt.Fprintf(e.stderr, "note: %d districts (%s residents)%s have %s: access 0 (PySAL gives NaN): %s\n",
			n, strconv.FormatFloat(pop, 'f', 0, 64), when, note, strings.Join(ids, ", "))
	}
	if a.Unrouted > 0 {
		fmt.Fprintf(e.stderr, "note: %d districts%s are not routed by the %s metric (see the warnings): access 0, unknown rather than low\n", a.Unrouted, when, a.Metric)
	}
}

// writeAccessSummary prints a what-if's stages and key figures above its
// table.
func writeAccessSummary(w io.Writer, stages []catchment.AccessComparison, shown catchment.AccessComparison) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Access with every office open vs after each stage (%s):\n", shown.Before.Options.Describe(shown.Before.Quantity))
	for i, st := range stages {
		s := st.Summary
		fmt.Fprintf(&b, "  stage %d, %s: %d districts lose access (%.0f residents), %d gain; population-weighted mean %.4g → %.4g; no office in range %d → %d districts\n",
			i+1, st.Change.Name, s.Lost, s.LostPopulation, s.Gained, s.MeanBefore, s.MeanAfter, s.NoAccessBefore, s.NoAccessAfter)
	}
	fmt.Fprintf(&b, "\nDistricts, %s:\n\n", shown.Change.Name)
	_, err := io.WriteString(w, b.String())
	return err
}
