package render

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// smallServiceAreas computes walking service areas of two offices on the
// hand-made network of testdata/network (and one office far from it).
func smallServiceAreas(t *testing.T, m network.Metric, limits []float64) ([]data.Office, []data.District, network.ServiceAreas) {
	t.Helper()
	g, _, err := network.Load(filepath.Join("..", "testdata", "network", "small.json"), network.Walk)
	if err != nil {
		t.Fatal(err)
	}
	offices := []data.Office{
		{ID: "street", Name: "street office", NameEn: "Street", Kind: data.Ward, Location: orb.Point{130.7015, 32.8}},
		{ID: "foot", Name: "footway office", NameEn: "Footway", Kind: data.Branch, Location: orb.Point{130.700, 32.801}},
		{ID: "far", Name: "far office", NameEn: "Far", Kind: data.Branch, Location: orb.Point{130.75, 32.85}},
	}
	pts := []orb.Point{{130.701, 32.8}, {130.7015, 32.801}}
	var ds []data.District
	var facs []orb.Point
	for _, o := range offices {
		facs = append(facs, o.Location)
	}
	pops := []float64{100, 200}
	for i, p := range pts {
		pop := pops[i]
		ds = append(ds, data.District{ID: []string{"a", "b"}[i], Name: []string{"near", "middle"}[i], Population: &pop,
			Geometry: orb.MultiPolygon{{{{p[0] - 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] - 1e-4}}}}})
	}
	sa, _, err := g.ServiceAreas(facs, pts, pops, m, 0, network.IsochroneOptions{Limits: limits, CellM: 10, BufferM: 20})
	if err != nil {
		t.Fatal(err)
	}
	return offices, ds, sa
}

func TestIsochroneTableAndLayer(t *testing.T) {
	offices, ds, sa := smallServiceAreas(t, network.Time, []float64{60, 180})
	tb := IsochroneTable(offices, ds, sa, "walk")
	want := []string{"office_id", "office_name", "kind", "scope", "metric", "profile", "minutes", "area_km2", "districts", "population", "district_ids"}
	if strings.Join(tb.Columns, ",") != strings.Join(want, ",") {
		t.Fatalf("columns %v", tb.Columns)
	}
	if len(tb.Rows) != 6 {
		t.Fatalf("%d rows, want 2 offices on the network + union, × 2 limits", len(tb.Rows))
	}
	last := tb.Rows[5]
	if last[0] != nil || last[3] != "union" || last[6] != 3.0 || last[9] != 300.0 || last[10] != "a b" {
		t.Errorf("union 3 min row %v", last)
	}
	for _, r := range tb.Rows {
		if r[0] == "far" {
			t.Errorf("row for the office off the network: %v", r)
		}
	}
	var buf bytes.Buffer
	fs := IsochroneFeatures(offices, ds, sa, "walk")
	if err := vector.WriteGeoJSON(&buf, "isochrones", fs); err != nil {
		t.Fatal(err)
	}
	if fs[0].ID != "street-1min" || fs[5].ID != "all-3min" {
		t.Errorf("ids %q, %q", fs[0].ID, fs[5].ID)
	}
	_, _, road := smallServiceAreas(t, network.Road, []float64{100, 250})
	rt := IsochroneTable(offices, ds, road, "walk")
	if rt.Columns[6] != "km" || rt.Rows[1][6] != 0.25 {
		t.Errorf("road table: %v %v", rt.Columns, rt.Rows[1])
	}
}

func TestRenderIsochroneMap(t *testing.T) {
	offices, ds, sa := smallServiceAreas(t, network.Time, []float64{60, 120, 180})
	md := IsochroneMap(offices, ds, nil, sa, "walk", "Sources: hand-made test network")
	if len(md.Bands) != 3 || !md.OffNetwork[2] || md.OfficeAreas[0] == nil {
		t.Fatalf("map data: %d bands, off network %v", len(md.Bands), md.OffNetwork)
	}
	img, warns, err := RenderIsochroneMap(md, MapOptions{Width: 900, NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %q", warns)
	// Every band colour shows somewhere: the bands are drawn nested, the
	// smallest on top.
	cols := bandColours(3)
	seen := make([]bool, 3)
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			for k, c := range cols {
				if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(b>>8) == c.B {
					seen[k] = true
				}
			}
		}
	}
	for k, ok := range seen {
		if !ok {
			t.Errorf("band %d (%g min) colour not on the map", k, md.Bands[k].Limit)
		}
	}
	if bd.Dx() != 900 || bd.Dy() < 400 {
		t.Errorf("image %v", bd)
	}

	bad := func(name string, f func(d *IsochroneMapData)) {
		d := md
		d.Bands = append([]MapBand(nil), md.Bands...)
		f(&d)
		if _, _, err := RenderIsochroneMap(d, MapOptions{Width: 900, NoFont: true}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	bad("no bands", func(d *IsochroneMapData) { d.Bands = nil })
	bad("descending", func(d *IsochroneMapData) { d.Bands[0], d.Bands[1] = d.Bands[1], d.Bands[0] })
	bad("geodesic", func(d *IsochroneMapData) { d.Metric = network.Geodesic })
	bad("flags", func(d *IsochroneMapData) { d.OffNetwork = []bool{true} })
}

func TestBandColoursDarkestNearest(t *testing.T) {
	for n := 1; n <= 6; n++ {
		c := bandColours(n)
		for k := 1; k < n; k++ {
			lum := func(i int) int { return int(c[i].R) + int(c[i].G) + int(c[i].B) }
			if lum(k) <= lum(k-1) {
				t.Errorf("n=%d: band %d not lighter than band %d", n, k, k-1)
			}
		}
	}
}
