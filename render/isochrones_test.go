package render

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/road"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// smallServiceAreas computes walking service areas of two offices on the
// hand-made network of testdata/network (and one office far from it).
func smallServiceAreas(t *testing.T, m network.Metric, limits []float64) (*catchment.Study, catchment.ServiceAreas) {
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
	pops := []float64{100, 200}
	for i, p := range pts {
		pop := pops[i]
		ds = append(ds, data.District{ID: []string{"a", "b"}[i], Name: []string{"near", "middle"}[i], Population: &pop,
			Geometry: orb.MultiPolygon{{{{p[0] - 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] - 1e-4}}}}})
	}
	s, err := catchment.NewStudy(&data.Dataset{Offices: offices, Districts: ds}, catchment.Options{Metric: road.Metric{Graph: g, By: m}})
	if err != nil {
		t.Fatal(err)
	}
	sa, err := s.ServiceAreas(catchment.AreaOptions{Limits: limits, CellM: 10, BufferM: 20})
	if err != nil {
		t.Fatal(err)
	}
	return s, sa
}

func TestIsochroneTableAndLayer(t *testing.T) {
	_, sa := smallServiceAreas(t, network.Time, []float64{60, 180})
	tb := IsochroneTable(sa, "walk")
	want := []string{"office_id", "office_name", "kind", "scope", "metric", "profile", "minutes", "area_km2", "districts", "population", "district_ids"}
	if strings.Join(tb.Columns, ",") != strings.Join(want, ",") {
		t.Fatalf("columns %v", tb.Columns)
	}
	if len(tb.Rows) != 6 {
		t.Fatalf("%d rows, want 2 offices on the network + union, × 2 limits", len(tb.Rows))
	}
	last := tb.Rows[5]
	if last[0] != nil || last[3] != "union" || last[6] != int64(3) || last[9] != int64(300) || last[10] != "a b" {
		t.Errorf("union 3 min row %v", last)
	}
	for _, r := range tb.Rows {
		if r[0] == "far" {
			t.Errorf("row for the office off the network: %v", r)
		}
	}
	var buf bytes.Buffer
	fs := IsochroneFeatures(sa, "walk")
	if err := vector.WriteGeoJSON(&buf, "isochrones", fs); err != nil {
		t.Fatal(err)
	}
	// no feature id: it would duplicate office_id as a text field in QGIS
	if fs[0].ID != "" || fs[0].Properties[0].Key != "office_id" || fs[0].Properties[0].Value != "street" {
		t.Errorf("first feature: id %q, properties %v", fs[0].ID, fs[0].Properties)
	}
	_, roads := smallServiceAreas(t, network.Road, []float64{100, 250})
	rt := IsochroneTable(roads, "walk")
	if rt.Columns[6] != "km" || rt.Rows[1][6] != 0.25 {
		t.Errorf("road table: %v %v", rt.Columns, rt.Rows[1])
	}
}

func TestIsochroneMap(t *testing.T) {
	study, sa := smallServiceAreas(t, network.Time, []float64{60, 120, 180})
	md := IsochroneMap(study, sa, "walk", "Sources: hand-made test network")
	if len(md.Bands) != 3 || !md.OffNetwork[2] || md.OfficeAreas[0] == nil || md.Unit != "min" {
		t.Fatalf("map data: %d bands, off network %v, unit %q", len(md.Bands), md.OffNetwork, md.Unit)
	}
	if md.Bands[2].Limit != 3 || md.Bands[2].Population != 300 || md.Bands[2].Districts != 2 {
		t.Errorf("3 min band %+v", md.Bands[2])
	}
	img, _, err := draw.RenderIsochroneMap(md, draw.MapOptions{Width: 900, NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	if bd := img.Bounds(); bd.Dx() != 900 || bd.Dy() < 400 {
		t.Errorf("image %v", bd)
	}
	study, roads := smallServiceAreas(t, network.Road, []float64{100, 250})
	if md := IsochroneMap(study, roads, "walk", ""); md.Unit != "km" || md.Bands[1].Limit != 0.25 {
		t.Errorf("road map: unit %q, limits %g, %g", md.Unit, md.Bands[0].Limit, md.Bands[1].Limit)
	}
}
