package network

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestServiceAreasSmall(t *testing.T) {
	g, _ := smallGraph(t, Walk)
	facs := []orb.Point{along(2, 3, 0.5), smallNode(6), {130.75, 32.85}} // the last is 6 km away
	points := []orb.Point{smallNode(2), smallNode(1), along(4, 5, 0.5), {130.70, 32.90}}
	weights := []float64{10, 20, 40, 80}
	sa, warns, err := g.ServiceAreas(facs, points, weights, Time, 0, IsochroneOptions{Limits: []float64{60, 120, 600}, CellM: 10, BufferM: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Skipped) != 1 || sa.Skipped[0] != 2 {
		t.Errorf("skipped %v, want [2]", sa.Skipped)
	}
	if len(warns) != 2 || warns[0].Facility != 2 || warns[1].Point != 3 {
		t.Errorf("warnings %v", warns)
	}
	if len(sa.Areas) != 9 { // 2 facilities + union, × 3 limits
		t.Fatalf("%d areas, want 9", len(sa.Areas))
	}
	for k, a := range sa.Areas {
		if a.Facility == 2 {
			t.Errorf("area of the skipped facility: %+v", a.Band)
		}
		if k%3 > 0 { // same facility, the next limit: nested and monotone
			prev := sa.Areas[k-1]
			if prev.Facility != a.Facility || !(a.AreaM2 >= prev.AreaM2) || a.Weight < prev.Weight || len(a.Points) < len(prev.Points) {
				t.Errorf("band %d (facility %d, %v s) not monotone after %v s: area %.0f < %.0f or weight %v < %v",
					k, a.Facility, a.Limit, prev.Limit, a.AreaM2, prev.AreaM2, a.Weight, prev.Weight)
			}
			for _, p := range prev.Points {
				found := false
				for _, q := range a.Points {
					found = found || p == q
				}
				if !found {
					t.Errorf("point %d in the %v s band of facility %d but not in the %v s band", p, prev.Limit, a.Facility, a.Limit)
				}
			}
		}
		// Each point counted is inside its band's polygon (its route
		// reaches the road within the limit, and the buffer covers it).
		for _, p := range a.Points {
			if !planar.MultiPolygonContains(a.Area, points[p]) {
				t.Errorf("point %d counted in facility %d's %v s band but outside its polygon", p, a.Facility, a.Limit)
			}
		}
	}
	union := sa.Areas[6:]
	if union[0].Facility != -1 || union[2].Weight != 70 || len(union[2].Points) != 3 {
		t.Errorf("union 600 s band: %+v weight %v points %v; want the three points on the network (70)", union[2].Band, union[2].Weight, union[2].Points)
	}
	if r := sa.Routes[0]; r.Facility != 0 || math.Abs(r.DistanceM-L(2, 3)/2) > 1e-6 {
		t.Errorf("node 2 routed %+v, want facility 0 at %.2f m", r, L(2, 3)/2)
	}

	if _, _, err := g.ServiceAreas(facs[2:], points, nil, Time, 0, IsochroneOptions{Limits: []float64{60}}); !errors.Is(err, ErrNothingRoutable) {
		t.Errorf("no facility on the network: %v", err)
	}
	if _, _, err := g.ServiceAreas(facs, points, nil, Geodesic, 0, IsochroneOptions{Limits: []float64{60}}); err == nil {
		t.Error("geodesic service areas accepted")
	}
	if _, _, err := g.ServiceAreas(facs, points, weights[:1], Time, 0, IsochroneOptions{Limits: []float64{60}}); err == nil {
		t.Error("short weights accepted")
	}
	if _, _, err := g.ServiceAreas(facs, points, nil, Time, 0, IsochroneOptions{Limits: []float64{120, 60}}); err == nil {
		t.Error("descending limits accepted")
	}
}

// BenchmarkServiceAreasChuo draws 10/20/30-minute car service areas of the
// offices in the 中央区 network's box and counts 2,000 points in them.
func BenchmarkServiceAreasChuo(b *testing.B) {
	g, _, err := Load(sharedFile(b, chuoDrive), Car)
	if err != nil {
		b.Fatal(err)
	}
	facs := append(positions(chuoWardOffices), positions(chuoBranchOffices)...)
	bd := g.Bound()
	pts := make([]orb.Point, 2000)
	for i := range pts {
		f := float64(i) / float64(len(pts))
		pts[i] = orb.Point{bd.Min[0] + f*(bd.Max[0]-bd.Min[0]), bd.Min[1] + math.Mod(f*37, 1)*(bd.Max[1]-bd.Min[1])}
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := g.ServiceAreas(facs, pts, nil, Time, 0, IsochroneOptions{Limits: []float64{600, 1200, 1800}}); err != nil {
			b.Fatal(err)
		}
	}
}
