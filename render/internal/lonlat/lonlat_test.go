package lonlat

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestForEachPosition(t *testing.T) {
	ring := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	for _, c := range []struct {
		name string
		g    orb.Geometry
		n    int
	}{
		{"point", orb.Point{1, 2}, 1},
		{"ring", ring, 4},
		{"bound", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}, 5},
		{"polygon", orb.Polygon{ring, ring}, 8},
		{"multipolygon", orb.MultiPolygon{{ring}, {ring, ring}}, 12},
		{"lines", orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}}}, 3},
		{"nil", nil, 0},
	} {
		n := 0
		ForEachPosition(c.g, func(orb.Point) { n++ })
		if n != c.n {
			t.Errorf("%s: %d positions, want %d", c.name, n, c.n)
		}
	}
}

func TestCheckGeometry(t *testing.T) {
	if err := CheckGeometry(orb.MultiPoint{{130, 32}, {-180, 90}}); err != nil {
		t.Errorf("lon/lat rejected: %v", err)
	}
	for _, g := range []orb.Geometry{orb.Point{-20000, 30000}, orb.LineString{{130, 32}, {130, 91}}} {
		if err := CheckGeometry(g); err == nil {
			t.Errorf("%v accepted", g)
		}
	}
}
