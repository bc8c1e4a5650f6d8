package road

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// lineStudy is three offices on roadLine (one 11 km off it) and districts
// along it, for service areas.
func lineStudy(t *testing.T, by network.Metric, opt catchment.Options) *catchment.Study {
	t.Helper()
	g := fixture.RoadLine(t)
	offices := []data.Office{
		{ID: "w", Name: "west", Kind: data.Ward, Location: orb.Point{130.60, 32.8}},
		{ID: "e", Name: "east", Kind: data.Branch, Location: orb.Point{130.80, 32.8}},
		{ID: "far", Name: "far away", Kind: data.Branch, Location: orb.Point{130.70, 32.9}},
	}
	var ds []data.District
	for k, lon := range []float64{130.605, 130.64, 130.69, 130.72, 130.795} {
		pop := float64(10 * (k + 1))
		ds = append(ds, data.District{ID: fmt.Sprintf("d%d", k), Name: fmt.Sprintf("district %d", k), Population: &pop,
			Geometry: orb.MultiPolygon{fixture.Square(lon-0.004, 32.796, lon+0.004, 32.804)}})
	}
	// one district far from the road
	pop := 1000.0
	ds = append(ds, data.District{ID: "x", Name: "off road", Population: &pop, Geometry: orb.MultiPolygon{fixture.Square(130.69, 32.94, 130.70, 32.95)}})
	return studyOf(t, &data.Dataset{Offices: offices, Districts: ds}, Metric{Graph: g, By: by, MaxSnapM: 300}, opt)
}

// TestServiceAreasCountByPointInPolygon checks the bands' districts against
// an independent point-in-polygon (orb's planar) of the districts'
// representative points in the drawn polygons, and that each place belongs
// to the office it is cheapest to reach.
func TestServiceAreasCountByPointInPolygon(t *testing.T) {
	s := lineStudy(t, network.Time, catchment.Options{})
	// 2, 5, 10, 20 minutes at 36 km/h: 1.2, 3, 6, 12 km of road.
	limits := []float64{120, 300, 600, 1200}
	sa, err := s.ServiceAreas(catchment.AreaOptions{Limits: limits, CellM: 10, BufferM: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Skipped) != 1 || sa.Skipped[0].ID != "far" || sa.Metric != "time" || sa.Quantity != catchment.Time {
		t.Errorf("skipped %v, metric %s %s", sa.Skipped, sa.Metric, sa.Quantity)
	}
	if len(sa.Areas) != 12 { // 2 offices + union, × 4 limits
		t.Fatalf("%d areas, want 12", len(sa.Areas))
	}
	pts := s.Points()
	officeSum := map[float64][]string{}
	for k, ar := range sa.Areas {
		office := "all"
		if ar.Office != nil {
			office = ar.Office.ID
		}
		var want []string
		var pop float64
		for i, d := range s.Districts() {
			if planar.MultiPolygonContains(ar.Geometry, pts[i]) {
				want = append(want, d.ID)
				pop += d.Pop()
			}
		}
		var got []string
		for _, d := range ar.Districts {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, want) || ar.Population != pop {
			t.Errorf("band %d (%s, %v s): districts %v population %v; their points in the polygon: %v %v", k, office, ar.Limit, got, ar.Population, want, pop)
		}
		if ar.Office != nil {
			officeSum[ar.Limit] = append(officeSum[ar.Limit], got...)
		} else {
			slices.Sort(officeSum[ar.Limit])
			if !slices.Equal(officeSum[ar.Limit], got) {
				t.Errorf("%v s: the offices' bands hold %v, the union's %v", ar.Limit, officeSum[ar.Limit], got)
			}
		}
		if k%4 > 0 {
			prev := sa.Areas[k-1]
			if !(ar.AreaM2 >= prev.AreaM2) || len(ar.Districts) < len(prev.Districts) {
				t.Errorf("band %d not monotone after the one before", k)
			}
		}
	}
	// 6 km of road in 10 minutes: d0, d1 from the west, d4 from the east.
	if u := sa.Areas[10]; u.Office != nil || len(u.Districts) != 3 || u.Population != 80 {
		t.Errorf("union 10 min band: %d districts, population %v; want d0, d1 and d4 (80)", len(u.Districts), u.Population)
	}
	// In 20 minutes both offices reach past the middle of the road
	// (130.70): d2 (130.69) is cheaper to reach from the west, d3 (130.72)
	// from the east, and the border between their bands is the middle.
	west, east := sa.Areas[3], sa.Areas[7]
	ids := func(a catchment.ServiceArea) (out []string) {
		for _, d := range a.Districts {
			out = append(out, d.ID)
		}
		return out
	}
	if !slices.Equal(ids(west), []string{"d0", "d1", "d2"}) || !slices.Equal(ids(east), []string{"d3", "d4"}) {
		t.Errorf("20 min: west holds %v, east %v; want d0 d1 d2 and d3 d4", ids(west), ids(east))
	}
	for _, tc := range []struct {
		lon  float64
		band catchment.ServiceArea
	}{{130.6985, west}, {130.7015, east}} {
		for _, lat := range []float64{32.8, 32.8003, 32.7997} {
			q := orb.Point{tc.lon, lat}
			if !planar.MultiPolygonContains(tc.band.Geometry, q) {
				t.Errorf("%v is not in the band of %s, the office cheapest to reach from it", q, tc.band.Office.ID)
			}
		}
	}

	if _, err := studyOf(t, s.Dataset(), catchment.Geodesic{}).ServiceAreas(catchment.AreaOptions{Limits: []float64{60}}); err == nil {
		t.Error("geodesic service areas accepted")
	}
	if _, err := s.ServiceAreas(catchment.AreaOptions{Limits: []float64{120, 60}}); err == nil {
		t.Error("descending limits accepted")
	}
	if _, err := s.ServiceAreas(catchment.AreaOptions{Limits: []float64{math.NaN()}}); err == nil {
		t.Error("NaN limit accepted")
	}
	off := studyOf(t, &data.Dataset{Offices: s.Offices()[2:], Districts: s.Districts()}, Metric{Graph: fixture.RoadLine(t), By: network.Time, MaxSnapM: 300})
	if _, err := off.ServiceAreas(catchment.AreaOptions{Limits: []float64{60}}); !errors.Is(err, catchment.ErrUnreachable) {
		t.Errorf("no office on the network: %v", err)
	}
}

// TestServiceAreasUsePopulationWeightedPoints is the regression test of a
// bug: the isochrones used district centroids while assign used the
// population-weighted points, so a district whose centroid lies far from
// every road but whose people live by the road was routed by assign and
// counted in no isochrone band.
func TestServiceAreasUsePopulationWeightedPoints(t *testing.T) {
	// A tall district whose centroid is 2 km north of the road, with all
	// its people in a cell by the road.
	pop := 0.0
	tall := data.District{ID: "tall", Name: "tall", Population: &pop, Geometry: orb.MultiPolygon{fixture.Square(130.70, 32.799, 130.71, 32.84)}}
	cells := []data.PopulationCell{{ID: "c1", Population: 500, Point: orb.Point{130.705, 32.8005}}}
	offices := []data.Office{{ID: "m", Name: "middle", Kind: data.Branch, Location: orb.Point{130.70, 32.8}}}
	ds := &data.Dataset{Offices: offices, Districts: []data.District{tall}}
	m := Metric{Graph: fixture.RoadLine(t), By: network.Time}
	s := studyOf(t, ds, m, catchment.Options{Population: cells})
	a, err := s.Assign()
	if err != nil {
		t.Fatal(err)
	}
	if !a.Districts[0].Reached() {
		t.Fatalf("assign does not route the district from its weighted point: %+v", a.Districts[0])
	}
	sa, err := s.ServiceAreas(catchment.AreaOptions{Limits: []float64{300}})
	if err != nil {
		t.Fatal(err)
	}
	union := sa.Areas[len(sa.Areas)-1]
	if len(union.Districts) != 1 || union.Population != 500 {
		t.Errorf("the 5-minute band holds %d districts, population %v; want the district and its 500 people", len(union.Districts), union.Population)
	}
	// Without the population layer the centroid is off the network: not
	// routed, in no band, and named in a warning.
	plain := studyOf(t, ds, m)
	sa, err = plain.ServiceAreas(catchment.AreaOptions{Limits: []float64{300}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sa.Areas[len(sa.Areas)-1].Districts); n != 0 || !strings.Contains(warningText(plain.Warnings()), "district tall (tall)") {
		t.Errorf("centroid study: %d districts in the band, warnings %q", n, warningText(plain.Warnings()))
	}
}

// BenchmarkServiceAreasChuo draws 10/20/30-minute car service areas of the
// embedded offices on the 中央区 network and counts the districts in them.
func BenchmarkServiceAreasChuo(b *testing.B) {
	g := chuoGraph(b)
	ds := kumamotoDataset(b)
	s := studyOf(b, ds, Metric{Graph: g, By: network.Time})
	b.ResetTimer()
	for range b.N {
		if _, err := s.ServiceAreas(catchment.AreaOptions{Limits: []float64{600, 1200, 1800}}); err != nil {
			b.Fatal(err)
		}
	}
}
