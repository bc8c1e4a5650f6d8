package road

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// studyOf makes a study of the districts and offices under metric m.
func studyOf(tb testing.TB, ds *data.Dataset, m catchment.Metric, opts ...catchment.Options) *catchment.Study {
	tb.Helper()
	var opt catchment.Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	opt.Metric = m
	s, err := catchment.NewStudy(ds, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// whatIfOf is the what-if engine of a study of districts and offices under m.
func whatIfOf(tb testing.TB, districts []data.District, offices []data.Office, m catchment.Metric) (*catchment.Study, *catchment.WhatIf) {
	tb.Helper()
	s := studyOf(tb, &data.Dataset{Districts: districts, Offices: offices}, m)
	w, err := s.WhatIf()
	if err != nil {
		tb.Fatal(err)
	}
	return s, w
}

func kumamotoDataset(tb testing.TB) *data.Dataset {
	tb.Helper()
	ds, _, err := data.Default()
	if err != nil {
		tb.Fatalf("embedded default: %v", err)
	}
	return ds
}

// warningText joins warnings for a check.
func warningText(ws []data.Warning) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

// alongLine is the road length between two longitudes on roadLine, metres.
func alongLine(lon0, lon1 float64) float64 {
	if lon0 > lon1 {
		lon0, lon1 = lon1, lon0
	}
	total := 0.0
	for x := lon0; x < lon1-1e-12; {
		next := math.Min(lon1, math.Floor(x/0.01+1e-9)*0.01+0.01)
		total += geo.Distance(orb.Point{x, 32.8}, orb.Point{next, 32.8})
		x = next
	}
	return total
}

func TestWhatIfRoadOnHandMadeNetwork(t *testing.T) {
	g := fixture.RoadLine(t)
	pop := func(v float64) *float64 { return &v }
	offices := []data.Office{
		{ID: "w", Name: "west", Kind: data.Ward, Location: orb.Point{130.60, 32.8}},
		{ID: "m", Name: "middle", Kind: data.Branch, Location: orb.Point{130.70, 32.8}},
		{ID: "e", Name: "east", Kind: data.Branch, Location: orb.Point{130.80, 32.8}},
		{ID: "far", Name: "far away", Kind: data.Branch, Location: orb.Point{130.70, 32.9}}, // 11 km north of the road
	}
	// Districts on the road, one 10 m off it (walked), one far from it.
	pts := []orb.Point{{130.62, 32.8}, {130.68, 32.8}, {130.73, 32.8}, {130.77, 32.8}, {130.70, 32.95}, {130.71, 32.80009}}
	ds := make([]data.District, len(pts))
	for i, p := range pts {
		ds[i] = data.District{ID: fmt.Sprintf("d%d", i), Name: fmt.Sprintf("district %d", i), Population: pop(100 * float64(i+1)),
			Geometry: orb.MultiPolygon{fixture.Square(p[0]-1e-4, p[1]-1e-4, p[0]+1e-4, p[1]+1e-4)}}
	}
	off := geo.Distance(orb.Point{130.71, 32.8}, pts[5]) // the walk to the road
	for _, tc := range []struct {
		by network.Metric
	}{{network.Road}, {network.Time}} {
		t.Run(string(tc.by), func(t *testing.T) {
			st, w := whatIfOf(t, ds, offices, Metric{Graph: g, By: tc.by, MaxSnapM: 200})
			if w.Metric() != string(tc.by) {
				t.Errorf("metric %q", w.Metric())
			}
			warns := st.Warnings()
			joined := warningText(warns)
			if len(warns) != 2 || !strings.Contains(joined, "district 4 (d4)") || !strings.Contains(joined, "office far away (far)") {
				t.Errorf("warnings: %q", joined)
			}
			pts := st.Points()
			base := w.Baseline()
			if base.Unreached != 1 || base.Districts[4].Office != nil || !strings.Contains(base.Districts[4].Note, "outside network coverage") {
				t.Errorf("baseline unreached %d, district 4 %+v", base.Unreached, base.Districts[4])
			}
			c, err := w.Compare(catchment.Change{Name: "close middle", Close: []string{"m"}}, catchment.CompareOptions{MaxKm: 2.5})
			if err != nil {
				t.Fatal(err)
			}
			// Expected offices and road lengths after closing m.
			want := []struct {
				before, after int
				afterM        float64
			}{
				{0, 0, alongLine(130.60, 130.62)},
				{1, 0, alongLine(130.60, 130.68)},
				{1, 2, alongLine(130.73, 130.80)},
				{2, 2, alongLine(130.77, 130.80)},
				{-1, -1, math.NaN()},
				{1, 2, alongLine(130.71, 130.80) + off},
			}
			for i, wd := range want {
				d := c.Districts[i]
				if d.BeforeIndex != wd.before || d.AfterIndex != wd.after {
					t.Errorf("district %d: office %d → %d, want %d → %d", i, d.BeforeIndex, d.AfterIndex, wd.before, wd.after)
				}
				if math.IsNaN(wd.afterM) {
					if !math.IsNaN(d.AfterM) || !math.IsNaN(d.AfterS) || d.Note == "" || d.Routed() {
						t.Errorf("district %d: unrouted, got %+v", i, d)
					}
					continue
				}
				if math.Abs(d.AfterM-wd.afterM) > 0.01 {
					t.Errorf("district %d: %.3f m after, want %.3f", i, d.AfterM, wd.afterM)
				}
				// 36 km/h = 10 m/s on the road, walking speed for the leg to it.
				wantS := (wd.afterM - off*float64(btoi(i == 5))) / 10
				if i == 5 {
					wantS += off / (network.WalkSpeedKmh / 3.6)
				}
				if math.Abs(d.AfterS-wantS) > 0.01 {
					t.Errorf("district %d: %.3f s after, want %.3f", i, d.AfterS, wantS)
				}
				if rd := geo.Distance(pts[i], offices[max(d.AfterIndex, 0)].Location); d.AfterM < rd-0.01 {
					t.Errorf("district %d: road %.1f m shorter than the straight line %.1f m", i, d.AfterM, rd)
				}
			}
			s := c.Summary
			if s.Metric != string(tc.by) || s.Districts != 6 || s.UnroutedBefore != 1 || s.UnroutedAfter != 1 || s.UnroutedPopulationAfter != 500 {
				t.Errorf("summary counts: %+v", s)
			}
			if s.MovedDistricts != 3 || s.MovedPopulation != 200+300+600 {
				t.Errorf("moved %d districts, %g residents; want d1, d2, d5: 3, 1100", s.MovedDistricts, s.MovedPopulation)
			}
			routedPop := 100.0 + 200 + 300 + 400 + 600
			wantAfter := (100*want[0].afterM + 200*want[1].afterM + 300*want[2].afterM + 400*want[3].afterM + 600*want[5].afterM) / routedPop
			if math.Abs(s.WeightedDistanceAfterM-wantAfter) > 0.01 || math.IsNaN(s.WeightedDistanceBeforeM) {
				t.Errorf("weighted distance after %.3f, want %.3f (unrouted district excluded)", s.WeightedDistanceAfterM, wantAfter)
			}
			if !(s.WeightedTimeAfterS > s.WeightedTimeBeforeS) || !(s.MaxTimeChangeS > 0) || math.IsNaN(s.MeanChangeM) {
				t.Errorf("times %+v", s)
			}
			if s.BeyondAfter+s.BeyondBefore == 0 {
				t.Errorf("no district beyond 2.5 km: %+v", s)
			}

			// A new office on the road takes the districts nearer to it; one off
			// the network is warned about and serves nothing.
			out, err := w.Apply(catchment.Change{Name: "move", Close: []string{"m"}, Open: []data.Office{
				{ID: "n", Name: "new", Location: orb.Point{130.725, 32.8}},
				{ID: "n2", Name: "nowhere", Location: orb.Point{130.725, 32.7}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			// Two warnings, both about n2: off the network, and (11 km from
			// every district) far outside the study area.
			text := warningText(out.Warnings)
			if len(out.Warnings) != 2 || !strings.Contains(text, "office nowhere (n2)") || !strings.Contains(text, "new office n2: field lat, lon") {
				t.Errorf("warnings %q", text)
			}
			for _, i := range []int{1, 2, 5} {
				if out.Full.Districts[i].OfficeIndex != 4 || out.Full.Districts[i].Office.ID != "n" {
					t.Errorf("district %d: office %d, want the new office 4", i, out.Full.Districts[i].OfficeIndex)
				}
			}
			if out.Full.Offices[5].Districts != 0 || out.Full.Offices[4].Districts != 3 {
				t.Errorf("loads %+v", out.Full.Offices)
			}
			// Closing every office on the network leaves every district unrouted.
			c, err = w.Compare(catchment.Change{Name: "all on the road", Close: []string{"w", "m", "e"}}, catchment.CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if c.Summary.UnroutedAfter != 6 || c.Summary.WeightedDistanceAfterM != 0 || c.Districts[0].Note == "" {
				t.Errorf("all closed: %+v; district 0 %+v", c.Summary, c.Districts[0])
			}
			imps, err := w.Each(data.Branch, catchment.CompareOptions{})
			if err != nil || len(imps) != 3 {
				t.Fatalf("each: %v, %d impacts", err, len(imps))
			}
			if imps[0].Office.ID != "far" || imps[0].Summary.MovedDistricts != 0 {
				t.Errorf("closing the office off the network should rank first with no impact: %+v", imps[0])
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestWhatIfRoadMatchesAssign checks the road what-if against a fresh
// assignment of a study with the same offices for every change, on a
// random grid network.
func TestWhatIfRoadMatchesAssign(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	b := network.NewBuilder(network.Car)
	const nx, ny = 12, 10
	id := func(i, j int) int32 { return int32(j*nx + i) }
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			b.AddNode(orb.Point{130.65 + 0.004*float64(i), 32.78 + 0.004*float64(j)})
		}
	}
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			if i+1 < nx {
				b.AddSegment(id(i, j), id(i+1, j), r.IntN(3)-1, 20+40*r.Float64())
			}
			if j+1 < ny {
				b.AddSegment(id(i, j), id(i, j+1), 0, 20+40*r.Float64())
			}
		}
	}
	g, _, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	rp := func() orb.Point { return orb.Point{130.645 + 0.05*r.Float64(), 32.775 + 0.042*r.Float64()} }
	var offices []data.Office
	for k := 0; k < 8; k++ {
		offices = append(offices, data.Office{ID: fmt.Sprintf("o%d", k), Name: fmt.Sprintf("office %d", k), Kind: data.Branch, Location: rp()})
	}
	ds, pts := make([]data.District, 150), make([]orb.Point, 150)
	for i := range ds {
		pts[i] = rp()
		pop := float64(r.IntN(1000))
		ds[i] = data.District{ID: fmt.Sprintf("d%d", i), Population: &pop, Geometry: orb.MultiPolygon{fixture.Square(pts[i][0]-1e-4, pts[i][1]-1e-4, pts[i][0]+1e-4, pts[i][1]+1e-4)}}
	}
	for _, by := range []network.Metric{network.Road, network.Time} {
		m := Metric{Graph: g, By: by, MaxSnapM: 150}
		_, w := whatIfOf(t, ds, offices, m)
		for trial := 0; trial < 20; trial++ {
			var ch catchment.Change
			perm := r.Perm(len(offices))
			ch.Close = []string{offices[perm[0]].ID}
			if trial%2 == 1 {
				ch.Downgrade = []string{offices[perm[1]].ID}
			}
			if trial%3 == 0 {
				ch.Open = []data.Office{{ID: "new", Name: "new", Location: rp()}}
			}
			out, err := w.Apply(ch)
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []struct {
				name string
				a    catchment.Assignment
				keep func(catchment.OfficeStatus) bool
			}{{"full", out.Full, fullService}, {"cert", out.Cert, certificates}} {
				var closed []string
				for i, s := range out.Status {
					if !kind.keep(s) {
						closed = append(closed, out.Offices[i].ID)
					}
				}
				ref, err := studyOf(t, &data.Dataset{Districts: ds, Offices: out.Offices}, m).Assign(closed...)
				if err != nil {
					t.Fatal(err)
				}
				for i := range ds {
					got, want := kind.a.Districts[i], ref.Districts[i]
					if got.OfficeIndex != want.OfficeIndex || !sameFloat(got.DistanceM, want.DistanceM) || !sameFloat(got.TimeS, want.TimeS) {
						t.Fatalf("%s trial %d %s: district %d: %+v, Assign %+v", by, trial, kind.name, i, got, want)
					}
				}
				if !sameLoads(kind.a.Offices, ref.Offices) || kind.a.Unreached != ref.Unreached {
					t.Fatalf("%s trial %d %s: loads %+v, Assign %+v", by, trial, kind.name, kind.a.Offices, ref.Offices)
				}
			}
		}
	}
}

// sameLoads compares office loads by office id and figures.
func sameLoads(a, b []catchment.OfficeLoad) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Office.ID != y.Office.ID || x.Index != y.Index || x.Open != y.Open || x.Districts != y.Districts || x.Population != y.Population {
			return false
		}
	}
	return true
}

// sameFloat is equality that treats two NaNs as equal.
func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// chuoDrive is the 中央区 drive network of the shared data folder.
const chuoDrive = "../../../shared/data/osm_overpass_roads_drive_kumamoto_chuo_2023-01-05.json"

// chuoGraph loads the shared 中央区 drive network, skipping loudly when
// the shared data folder is absent.
func chuoGraph(tb testing.TB) *network.Graph {
	tb.Helper()
	if _, err := os.Stat(chuoDrive); err != nil {
		tb.Skipf("SKIPPING: %s is absent (%v); the what-if road tests on the real 中央区 network did not run", chuoDrive, err)
	}
	g, _, err := network.Load(chuoDrive, network.Car)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func TestWhatIfRoadChuo(t *testing.T) {
	g := chuoGraph(t)
	ds := kumamotoDataset(t)
	_, geoW := whatIfOf(t, ds.Districts, ds.Offices, nil)
	for _, by := range []network.Metric{network.Road, network.Time} {
		s, w := whatIfOf(t, ds.Districts, ds.Offices, Metric{Graph: g, By: by})
		warns := s.Warnings()
		if len(warns) == 0 || w.Baseline().Unreached == 0 || w.Baseline().Unreached == len(ds.Districts) {
			t.Fatalf("%s: %d warnings, %d of %d districts unreached: the 中央区 network covers part of the city", by, len(warns), w.Baseline().Unreached, len(ds.Districts))
		}
		start := time.Now()
		c, err := w.Compare(catchment.Change{Name: "close oe", Close: []string{"oe"}}, catchment.CompareOptions{MaxKm: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: close oe compared in %v; %d districts moved, %d unrouted", by, time.Since(start), c.Summary.MovedDistricts, c.Summary.UnroutedAfter)
		gc, err := geoW.Compare(catchment.Change{Name: "close oe", Close: []string{"oe"}}, catchment.CompareOptions{MaxKm: 5})
		if err != nil {
			t.Fatal(err)
		}
		if c.Summary.MovedDistricts == 0 {
			t.Errorf("%s: closing 大江 moves no district", by)
		}
		for i, d := range c.Districts {
			if d.After != nil && d.After.ID == "oe" {
				t.Errorf("district %d still served by the closed office", i)
			}
			if !d.Routed() {
				if d.Note == "" {
					t.Errorf("district %d not routed and no note", i)
				}
				continue
			}
			// A route is never shorter than the straight line to the same office.
			if g := gc.Districts[i]; g.AfterIndex == d.AfterIndex && d.AfterM < g.AfterM-1 {
				t.Errorf("%s: district %d: route %.1f m shorter than straight %.1f m", by, i, d.AfterM, g.AfterM)
			}
			if math.IsNaN(d.AfterS) || d.AfterS <= 0 && d.AfterM > 0 {
				t.Errorf("%s: district %d: time %v", by, i, d.AfterS)
			}
		}
		if s := c.Summary; !(s.WeightedDistanceAfterM >= s.WeightedDistanceBeforeM) || s.UnroutedAfter != s.UnroutedBefore {
			t.Errorf("%s: closing an office made distances shorter or changed coverage: %+v", by, s)
		}
	}
}

func TestWhatIfRoadNoOfficeOnNetwork(t *testing.T) {
	g := fixture.RoadLine(t)
	offices := []data.Office{{ID: "far", Name: "far", Location: orb.Point{130.70, 32.9}}}
	ds, _ := fixture.PointDistricts(rand.New(rand.NewPCG(1, 1)), 3)
	s := studyOf(t, &data.Dataset{Districts: ds, Offices: offices}, Metric{Graph: g, By: network.Road})
	_, err := s.WhatIf()
	if !errors.Is(err, catchment.ErrUnreachable) || !strings.Contains(fmt.Sprint(err), "office far (far)") {
		t.Errorf("err %v: want ErrUnreachable naming the office", err)
	}
}

// fullService and certificates are the what-if's two kinds of service.
func fullService(s catchment.OfficeStatus) bool {
	return s == catchment.StatusOpen || s == catchment.StatusNew
}

func certificates(s catchment.OfficeStatus) bool { return s != catchment.StatusClosed }

// BenchmarkRoadCompareChuo closes 大江 under the travel-time metric on the
// real 中央区 drive network: two multi-source searches (full service and
// certificates) and the comparison, for the embedded default districts.
func BenchmarkRoadCompareChuo(b *testing.B) {
	g := chuoGraph(b)
	ds, _, err := data.Default()
	if err != nil {
		b.Fatal(err)
	}
	_, w := whatIfOf(b, ds.Districts, ds.Offices, Metric{Graph: g, By: network.Time})
	b.ResetTimer()
	for range b.N {
		if _, err := w.Compare(catchment.Change{Close: []string{"oe"}}, catchment.CompareOptions{MaxKm: 5}); err != nil {
			b.Fatal(err)
		}
	}
}
