package data

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// paris returns n points around Paris, where latitude and longitude are both
// below 90 so that a swap is not visible from one point alone.
func paris(n int, swap bool) []ServicePoint {
	var pts []ServicePoint
	for i := range n {
		p := orb.Point{2.30 + 0.01*float64(i), 48.84 + 0.01*float64(i)}
		if swap {
			p = orb.Point{p[1], p[0]}
		}
		pts = append(pts, ServicePoint{ID: string(rune('a' + i)), Location: p})
	}
	return pts
}

func TestValidate(t *testing.T) {
	kumamotoOffices := []Office{
		{ID: "W1", Name: "中央区役所", Kind: Ward, Location: orb.Point{130.7078, 32.8031}},
		{ID: "B1", Name: "幸田出張所", Kind: Branch, Location: orb.Point{130.7232, 32.7745}},
	}
	parisOffices := []Office{
		{ID: "P1", Name: "Hôtel de Ville", Kind: Ward, Location: orb.Point{2.3522, 48.8566}},
		{ID: "P2", Name: "Mairie du 15e", Kind: Branch, Location: orb.Point{2.3003, 48.8412}},
	}
	pop := -3.0
	square := orb.MultiPolygon{{{{130.70, 32.80}, {130.71, 32.80}, {130.71, 32.81}, {130.70, 32.81}, {130.70, 32.80}}}}
	for _, c := range []struct {
		name string
		ds   Dataset
		err  []string // substrings of the error; none for success
		warn string   // substring of a warning
	}{
		{name: "consistent", ds: Dataset{Offices: parisOffices, Stores: paris(4, false), Posts: paris(2, false)}},
		{name: "stores swapped", ds: Dataset{Offices: parisOffices, Stores: paris(4, true), Posts: paris(2, false), Sources: map[Layer]string{LayerStores: "stores.csv"}},
			err: []string{"stores.csv: fields lat/lon: 4 of 4 positions lie far outside", "latitude and longitude look swapped"}},
		{name: "two layers, one swapped", ds: Dataset{Offices: parisOffices, Stores: paris(3, true)},
			err: []string{"the layers offices (layer offices), stores (layer stores) do not overlap", "look swapped in one of them"}},
		{name: "one stray store", ds: Dataset{Offices: kumamotoOffices, Stores: append(paris(1, false), ServicePoint{ID: "k", Location: orb.Point{130.71, 32.79}}, ServicePoint{ID: "k2", Location: orb.Point{130.72, 32.79}})},
			warn: "1 of 3 positions lie far outside the other layers"},
		{name: "far but not swapped", ds: Dataset{Offices: kumamotoOffices, Stores: paris(3, false)},
			warn: "3 of 3 positions lie far outside"},
		{name: "no ward office", ds: Dataset{Offices: kumamotoOffices[1:]}, warn: "no ward office"},
		{name: "duplicate ids", ds: Dataset{Offices: append(kumamotoOffices, kumamotoOffices[0])},
			err: []string{"layer offices: record 2 (id=W1): field id: duplicate id \"W1\", also used by record 0 (id=W1)"}},
		{name: "bad kind and name", ds: Dataset{Offices: []Office{{ID: "X", Kind: "city_hall", Location: orb.Point{130.7, 32.8}}}},
			err: []string{"field name: missing", "unknown kind \"city_hall\""}},
		{name: "swapped office", ds: Dataset{Offices: []Office{{ID: "X", Name: "x", Kind: Ward, Location: orb.Point{32.8, 130.7}}}},
			err: []string{"record 0 (id=X): field geometry", "look swapped"}},
		{name: "negative population", ds: Dataset{Districts: []District{{ID: "D", Name: "d", Population: &pop, Geometry: square}}},
			err: []string{"field population: population -3 must be a number ≥ 0"}},
		{name: "empty district", ds: Dataset{Districts: []District{{ID: "D", Name: "d"}}},
			err: []string{"record 0 (id=D): field geometry: the geometry is empty"}},
		{name: "districts and boundary agree", ds: Dataset{Offices: kumamotoOffices, Districts: []District{{ID: "D", Name: "d", Geometry: square}}, Boundary: square}},
	} {
		t.Run(c.name, func(t *testing.T) {
			warnings, err := Validate(&c.ds)
			if len(c.err) == 0 && err != nil {
				t.Fatalf("want success, got %v", err)
			}
			if len(c.err) > 0 {
				if err == nil {
					t.Fatalf("want error %q, got none (warnings %v)", c.err, warnings)
				}
				for _, s := range c.err {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error does not contain %q:\n%v", s, err)
					}
				}
			}
			found := c.warn == ""
			for _, w := range warnings {
				found = found || strings.Contains(w.String(), c.warn)
			}
			if !found {
				t.Errorf("no warning contains %q: %v", c.warn, warnings)
			}
		})
	}
	if _, err := Validate(nil); err == nil {
		t.Error("Validate(nil) succeeded")
	}
}
