package road

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// routeMatrix measures every district–office cost one office at a time:
// a study with that office alone assigns every district to it (one
// multi-source search, read by Nearest), independently of Costs.Within.
// NaN marks a pair the network does not route.
func routeMatrix(t *testing.T, ds []data.District, offices []data.Office, m Metric) [][]float64 {
	t.Helper()
	cost := make([][]float64, len(ds))
	for i := range cost {
		cost[i] = make([]float64, len(offices))
	}
	for j, o := range offices {
		s := studyOf(t, &data.Dataset{Districts: ds, Offices: []data.Office{o}}, m)
		a, err := s.Assign()
		for i := range ds {
			cost[i][j] = math.NaN()
			if err != nil || !a.Districts[i].Reached() {
				continue
			}
			cost[i][j] = a.Districts[i].DistanceM
			if m.By == network.Time {
				cost[i][j] = a.Districts[i].TimeS
			}
		}
	}
	return cost
}

// bruteRoad is the index by the formulas over a full cost matrix:
// weights w for costs within limit, FCA or gravity.
func bruteRoad(cost [][]float64, pop, supply []float64, limit float64, fca bool, w func(float64) float64) (access []float64, reached []int) {
	n, m := len(cost), len(supply)
	demand := make([]float64, m)
	in := func(d float64) bool { return !math.IsNaN(d) && d <= limit }
	for j := range m {
		for i := range n {
			if in(cost[i][j]) {
				demand[j] += w(cost[i][j]) * pop[i]
			}
		}
	}
	access, reached = make([]float64, n), make([]int, n)
	for i := range n {
		for j := range m {
			if !in(cost[i][j]) {
				continue
			}
			reached[i]++
			switch {
			case !fca:
				access[i] += w(cost[i][j]) * supply[j]
			case demand[j] > 0:
				access[i] += w(cost[i][j]) * supply[j] / demand[j]
			}
		}
	}
	return access, reached
}

// roadCases are the indices checked under a road metric, limits in the
// metric's unit.
func roadCases(d0 float64) []struct {
	opt catchment.AccessOptions
	fca bool
	w   func(float64) float64
} {
	e := math.Exp(-0.5)
	return []struct {
		opt catchment.AccessOptions
		fca bool
		w   func(float64) float64
	}{
		{catchment.AccessOptions{Method: catchment.Access2SFCA, Catchment: d0}, true, func(float64) float64 { return 1 }},
		{catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: d0}, true, func(d float64) float64 {
			switch {
			case d <= d0/3:
				return 1
			case d <= 2*d0/3:
				return 0.68
			}
			return 0.22
		}},
		{catchment.AccessOptions{Method: catchment.AccessE2SFCA, Decay: catchment.DecayGaussian, Catchment: d0}, true, func(d float64) float64 {
			return (math.Exp(-0.5*(d/d0)*(d/d0)) - e) / (1 - e)
		}},
		{catchment.AccessOptions{Method: catchment.AccessE2SFCA, Decay: catchment.DecayPySALGaussian, Catchment: d0}, true, func(d float64) float64 {
			return math.Exp(-d * d / (2 * (d0 / 2) * (d0 / 2)))
		}},
		{catchment.AccessOptions{Method: catchment.AccessGravity, Beta: 1, Scale: d0 / 5, Min: d0 / 50}, false, func(d float64) float64 {
			return 1 / (math.Max(d, d0/50) / (d0 / 5))
		}},
		{catchment.AccessOptions{Method: catchment.AccessGravity2SFCA, Beta: 2, Scale: d0 / 5, Min: d0 / 50}, true, func(d float64) float64 {
			return 1 / math.Pow(math.Max(d, d0/50)/(d0/5), 2)
		}},
	}
}

func checkRoadAccess(t *testing.T, name string, s *catchment.Study, cost [][]float64, supply []float64, d0 float64) {
	t.Helper()
	pop := make([]float64, len(s.Districts()))
	for i, d := range s.Districts() {
		pop[i] = d.Pop()
	}
	field := catchment.SupplyCounterCount
	if supply == nil {
		field = catchment.SupplyNone
		supply = make([]float64, len(s.Offices()))
		for j := range supply {
			supply[j] = 1
		}
	}
	for _, c := range roadCases(d0) {
		c.opt.Supply = field
		a, err := s.Access(c.opt)
		if err != nil {
			t.Fatalf("%s %s: %v", name, c.opt.Method, err)
		}
		limit := math.Inf(1)
		if c.opt.Catchment > 0 {
			limit = c.opt.Catchment
		}
		want, reached := bruteRoad(cost, pop, supply, limit, c.fca, c.w)
		for i, d := range a.Districts {
			if d.OfficesReached != reached[i] {
				t.Errorf("%s %s %s: district %s: %d offices reached, brute force %d", name, c.opt.Method, c.opt.Decay, d.District.ID, d.OfficesReached, reached[i])
			}
			if d.Access != want[i] && math.Abs(d.Access-want[i]) > 1e-9*math.Max(math.Abs(d.Access), math.Abs(want[i])) {
				t.Errorf("%s %s %s: district %s: access %.17g, brute force %.17g", name, c.opt.Method, c.opt.Decay, d.District.ID, d.Access, want[i])
			}
		}
	}
}

func TestAccessRoadOnHandMadeNetwork(t *testing.T) {
	g := fixture.RoadLine(t)
	pop := func(v float64) *float64 { return &v }
	offices := []data.Office{
		{ID: "w", Name: "west", Kind: data.Ward, Location: orb.Point{130.60, 32.8}},
		{ID: "m", Name: "middle", Kind: data.Branch, Location: orb.Point{130.70, 32.8}},
		{ID: "e", Name: "east", Kind: data.Branch, Location: orb.Point{130.80, 32.8}},
		{ID: "far", Name: "far away", Kind: data.Branch, Location: orb.Point{130.70, 32.9}},
	}
	pts := []orb.Point{{130.62, 32.8}, {130.655, 32.8}, {130.68, 32.8}, {130.73, 32.8}, {130.77, 32.8}, {130.70, 32.95}, {130.71, 32.80009}}
	ds := make([]data.District, len(pts))
	for i, p := range pts {
		ds[i] = data.District{ID: fmt.Sprintf("d%d", i), Name: fmt.Sprintf("district %d", i), Population: pop(100 * float64(i+1)),
			Geometry: orb.MultiPolygon{fixture.Square(p[0]-1e-4, p[1]-1e-4, p[0]+1e-4, p[1]+1e-4)}}
	}
	for _, by := range []network.Metric{network.Road, network.Time} {
		m := Metric{Graph: g, By: by, MaxSnapM: 200}
		s := studyOf(t, &data.Dataset{Districts: ds, Offices: offices}, m)
		d0 := 4000.0
		if by == network.Time {
			d0 = 400 // 36 km/h: 4 km
		}
		checkRoadAccess(t, string(by), s, routeMatrix(t, ds, offices, m), nil, d0)
		a, err := s.Access(catchment.AccessOptions{Method: catchment.Access2SFCA, Catchment: d0, Supply: catchment.SupplyNone})
		if err != nil {
			t.Fatal(err)
		}
		// d5 lies 16 km off the road: not routed, with the metric's note.
		if d := a.Districts[5]; d.OfficesReached != 0 || !d.Unrouted || !strings.Contains(d.Note, "outside network coverage") {
			t.Errorf("%s: district 5: %+v", by, d)
		}
		// d1 (lon 130.655) is 5.1 km from w and 4.2 km from m along the
		// road: none within 4 km, but on the network. d2 reaches m only.
		if d := a.Districts[1]; d.OfficesReached != 0 || d.Unrouted || !strings.HasPrefix(d.Note, "no open office within ") {
			t.Errorf("%s: district 1: %+v", by, d)
		}
		if a.Districts[2].OfficesReached != 1 {
			t.Errorf("%s: district 2 reaches %d offices within 4 km of road, want 1", by, a.Districts[2].OfficesReached)
		}
		if want := alongLine(130.68, 130.70); by == network.Road {
			cost := routeMatrix(t, ds, offices, m)[2][1]
			if math.Abs(cost-want) > 0.01 {
				t.Errorf("route cost %.3f m, along the line %.3f m", cost, want)
			}
		}
	}
}

// TestAccessRoadOnChuo runs every index on the real 中央区 drive network
// with the embedded Kumamoto offices and districts (most lie outside the
// network and are reported so) against the brute force.
func TestAccessRoadOnChuo(t *testing.T) {
	g := chuoGraph(t)
	ds := kumamotoDataset(t)
	for _, by := range []network.Metric{network.Road, network.Time} {
		m := Metric{Graph: g, By: by}
		s := studyOf(t, ds, m)
		d0 := 5000.0
		if by == network.Time {
			d0 = 480
		}
		supply := make([]float64, len(ds.Offices))
		for j, o := range ds.Offices {
			supply[j] = *o.CounterCount
		}
		cost := routeMatrix(t, s.Districts(), ds.Offices, m)
		checkRoadAccess(t, "chuo "+string(by), s, cost, supply, d0)
		a, err := s.Access(catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: d0})
		if err != nil {
			t.Fatal(err)
		}
		var in, out int
		for _, d := range a.Districts {
			switch {
			case d.OfficesReached > 0:
				in++
			case d.Unrouted && strings.Contains(d.Note, "outside network coverage"):
				out++
			}
		}
		if in == 0 || out == 0 || out != a.Unrouted {
			t.Errorf("%s: %d districts with an office in range, %d outside the network", by, in, out)
		}
	}
}

// BenchmarkAccessChuo times E2SFCA on the 中央区 network from a fresh
// study: snapping, one search per office (Within) and both steps.
func BenchmarkAccessChuo(b *testing.B) {
	g := chuoGraph(b)
	ds := kumamotoDataset(b)
	for _, by := range []network.Metric{network.Road, network.Time} {
		b.Run(string(by), func(b *testing.B) {
			d0 := 5000.0
			if by == network.Time {
				d0 = 600
			}
			for i := 0; i < b.N; i++ {
				s := studyOf(b, ds, Metric{Graph: g, By: by})
				start := time.Now()
				if _, err := s.Access(catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: d0}); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "ms/access")
			}
		})
	}
}
