package road

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// cityNetwork is the city-wide road-link layer of the shared data folder.
const cityNetwork = "../../../shared/data/mlit_probe_road_links_kumamoto_city_union_2026.geojson"

// loadCity reads the city network's lines and joins them (car).
func loadCity(b *testing.B) *network.Graph {
	links, _, err := data.LoadNetwork(cityNetwork, data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var ls []network.Line
	for _, l := range links {
		for _, part := range l.Geometry {
			ls = append(ls, network.Line{Points: part, Oneway: l.Oneway, SpeedKmh: l.SpeedKmh, Class: l.Class})
		}
	}
	g, _, err := network.FromLines(ls, network.Car, network.LineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkCityNetwork loads the 4 MB city-wide line layer (15,102 links)
// into a network, and routes 1,000 random points in the city to the
// nearest of the 19 embedded offices.
func BenchmarkCityNetwork(b *testing.B) {
	if _, err := os.Stat(cityNetwork); err != nil {
		b.Skipf("SKIPPING: %s is absent", cityNetwork)
	}
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			loadCity(b)
		}
	})
	g := loadCity(b)
	ds, _, err := data.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	bd := g.Bound()
	origins := make([]catchment.Place, 1000)
	for i := range origins {
		origins[i] = catchment.Place{ID: fmt.Sprint(i), Location: orb.Point{bd.Min[0] + r.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + r.Float64()*(bd.Max[1]-bd.Min[1])}}
	}
	dests := make([]catchment.Place, len(ds.Offices))
	for i, o := range ds.Offices {
		dests[i] = catchment.Place{ID: o.ID, Location: o.Location}
	}
	b.Run("route-1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := Metric{Graph: g, By: network.Time, MaxSnapM: 5000}.Measure(origins, dests)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Nearest(nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
