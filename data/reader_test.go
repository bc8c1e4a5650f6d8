package data_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// fakeReader stands for a reader in another package: it accepts the
// sources that start or end with match ("PG:" as a database reader would,
// ".fake" as a file reader would) and returns layer, or err. With
// readFile set it first reads the source through ReadRequest.ReadFile.
type fakeReader struct {
	match    string
	layer    data.RawLayer
	err      error
	readFile bool
	// got is the last request.
	got *data.ReadRequest
}

func (f *fakeReader) Accepts(source string) bool {
	return strings.HasPrefix(source, f.match) || strings.HasSuffix(source, f.match)
}

func (f *fakeReader) Read(req data.ReadRequest) (*data.RawLayer, error) {
	f.got = &req
	if f.readFile {
		if _, err := req.ReadFile(req.Source); err != nil {
			return nil, err
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	l := f.layer
	return &l, nil
}

// streamer is a fakeReader that streams: it hands over the features one
// at a time in one reused map, with only the properties the request asks
// for, and lists the names of all in Names.
type streamer struct{ *fakeReader }

func (s streamer) Stream(req data.ReadRequest, fn func(data.RawFeature)) (*data.RawLayer, error) {
	l, err := s.Read(req)
	if err != nil {
		return nil, err
	}
	props := map[string]any{}
	names := map[string]bool{}
	for _, f := range l.Features {
		clear(props)
		for k, v := range f.Properties {
			names[k] = true
			if req.Wants(k) {
				props[k] = v
			}
		}
		f.Properties = props
		fn(f)
	}
	l.Features = nil
	l.Names = []string{}
	for n := range names {
		l.Names = append(l.Names, n)
	}
	return l, nil
}

// chuo and nishi are two ward offices in WGS84 longitude/latitude.
var chuo, nishi = orb.Point{130.7079, 32.8031}, orb.Point{130.64761, 32.77685}

// zone2 projects to JGD2011 plane rectangular zone II (EPSG:6670).
func zone2(p orb.Point) orb.Point {
	tm, err := geo.JapanPlaneRectangular(2)
	if err != nil {
		panic(err)
	}
	return tm.Forward(p)
}

// officeFeatures are two offices as a database table could hold them:
// Japanese column names, a primary key as the id of one, numbers of
// several Go types.
func officeFeatures(pos func(orb.Point) orb.Point) []data.RawFeature {
	return []data.RawFeature{
		{Index: 0, ID: int64(7), Properties: map[string]any{"名称": "中央区役所", "種別": "区役所", "counter_count": int32(120000), "published_km": float32(2.5)}, Geometry: pos(chuo)},
		{Index: 1, Properties: map[string]any{"id": "nishi", "名称": "西区役所", "種別": "ward", "counter_count": uint16(9), "published_km": math.NaN()}, Geometry: orb.MultiPoint{pos(nishi)}},
	}
}

func same(p orb.Point) orb.Point { return p }

// TestReaders loads offices through readers of sources the loader does not
// read itself and checks that it maps, converts and checks their features
// as it does for its own formats.
func TestReaders(t *testing.T) {
	for _, c := range []struct {
		name   string
		source string
		reader *fakeReader
		opt    data.Options
		// want are substrings of the error; none means loading must succeed.
		want []string
		// warn are substrings of the warnings.
		warn []string
		// check looks at the loaded offices.
		check func(t *testing.T, ds *data.Dataset)
	}{
		{
			name:   "epsg code converted",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "offices", CRS: data.CRS{Authority: "EPSG", Code: 6670}, Features: officeFeatures(zone2)}},
			check: func(t *testing.T, ds *data.Dataset) {
				o := ds.Offices
				if len(o) != 2 || o[0].ID != "7" || o[0].Name != "中央区役所" || o[1].ID != "nishi" || o[1].Kind != data.Ward {
					t.Fatalf("offices %+v", o)
				}
				for i, want := range []orb.Point{chuo, nishi} {
					if d := geo.Distance(o[i].Location, want); d > 0.001 {
						t.Errorf("office %d is %.4f m from %v", i, d, want)
					}
				}
				if *o[0].CounterCount != 120000 || *o[0].PublishedKm != 2.5 || *o[1].CounterCount != 9 || o[1].PublishedKm != nil {
					t.Errorf("numbers %v %v %v %v", *o[0].CounterCount, *o[0].PublishedKm, *o[1].CounterCount, o[1].PublishedKm)
				}
				if ds.Sources[data.LayerOffices] != "PG:dbname=city" {
					t.Errorf("source %q", ds.Sources[data.LayerOffices])
				}
			},
		},
		{
			name:   "wkt definition without a code",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{CRS: data.CRS{Authority: "LOCAL", Code: 1, WKT: jgd2011Zone2WKT}, Features: officeFeatures(zone2)}},
			check: func(t *testing.T, ds *data.Dataset) {
				if d := geo.Distance(ds.Offices[0].Location, chuo); d > 0.001 {
					t.Errorf("office 0 is %.4f m off", d)
				}
			},
		},
		{
			name:   "no crs: longitude/latitude",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Features: officeFeatures(same)}},
		},
		{
			name:   "crs named only",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "t", CRS: data.CRS{Name: "undefined (srid 0)"}, Features: officeFeatures(same)}},
			warn:   []string{`PG:dbname=city (table t): field crs: the file declares no CRS (undefined (srid 0)); the coordinates are read as WGS84 longitude/latitude — give --crs offices=EPSG:NNNN if they are not`},
		},
		{
			name:   "unknown code",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 99999}, Features: officeFeatures(same)}},
			want:   []string{"PG:dbname=city: crs: EPSG:99999 is not a CRS this loader converts", "ogr2ogr -t_srs EPSG:4326", "--crs offices=EPSG:NNNN"},
		},
		{
			name:   "unknown code, --crs given",
			source: "PG:dbname=city",
			opt:    data.Options{CRS: map[data.Layer]string{"": "EPSG:4326"}},
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 99999}, Features: officeFeatures(same)}},
			warn:   []string{"field crs: the file's CRS (EPSG:99999) is not one this loader converts; --crs EPSG:4326 (WGS 84) is used instead"},
		},
		{
			name:   "projected crs not converted",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 30162}, Features: officeFeatures(same)}},
			want:   []string{"PG:dbname=city: crs: EPSG:30162 (Tokyo / Japan Plane Rectangular CS II) is plane rectangular on the old Tokyo datum"},
		},
		{
			name:   "--crs overrides the source",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 4326}, Features: officeFeatures(zone2)}},
			opt:    data.Options{CRS: map[data.Layer]string{"": "EPSG:6670"}},
			warn:   []string{"the file says its CRS is EPSG:4326 (WGS 84); --crs EPSG:6670 (JGD2011 / Japan Plane Rectangular CS II) is used instead"},
		},
		{
			name:   "field mapping and table",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "public.offices", Features: []data.RawFeature{
				{Index: 0, Properties: map[string]any{"code": "c", "label": "中央区役所", "kind": "ward"}, Geometry: chuo},
			}}},
			opt: data.Options{
				Fields: map[data.Layer]map[string]string{data.LayerOffices: {"id": "code", "name": "label"}},
				Tables: map[data.Layer]string{data.LayerOffices: "public.offices"},
			},
			check: func(t *testing.T, ds *data.Dataset) {
				if o := ds.Offices[0]; o.ID != "c" || o.Name != "中央区役所" {
					t.Errorf("office %+v", o)
				}
			},
		},
		{
			name:   "a mapping names no property",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "t", Features: officeFeatures(same)}},
			opt:    data.Options{Fields: map[data.Layer]map[string]string{data.LayerOffices: {"name": "label"}}},
			want:   []string{"PG:dbname=city (table t): field name: the mapping offices.name=label names no property of the file; properties are counter_count, id, published_km, 名称, 種別"},
		},
		{
			name:   "feature problems name table, feature and field",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "t", Features: []data.RawFeature{
				{Index: 0, Properties: map[string]any{"id": "a", "name": "A", "kind": "ward"}, GeometryErr: errors.New("the geometry is a CircularString")},
				{Index: 1, Properties: map[string]any{"id": "b", "name": "B", "kind": "ward"}},
				{Index: 2, Properties: map[string]any{"id": "c", "name": "C", "kind": "ward"}, Geometry: orb.Point{-27000, -21000}},
				{Index: 3, Properties: map[string]any{"id": "d", "name": "D", "kind": "ward", "counter_count": true}, Geometry: chuo},
				{Index: 4, Properties: map[string]any{"id": "e", "name": "E", "kind": "ward"}, Geometry: orb.LineString{chuo, nishi}},
			}}},
			want: []string{
				"PG:dbname=city (table t): feature 0 (id=a): field geometry: the geometry is a CircularString",
				"PG:dbname=city (table t): feature 1 (id=b): field geometry: the geometry is empty (null); every feature needs a Point",
				"PG:dbname=city (table t): feature 2 (id=c): field geometry: position [-27000, -21000] is not in degrees",
				"PG:dbname=city (table t): feature 3 (id=d): field counter_count: true is not a number",
				"PG:dbname=city (table t): feature 4 (id=e): field geometry: the geometry is a LineString; this layer needs Point geometries",
			},
		},
		{
			name:   "source warnings",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Table: "t", Features: officeFeatures(same), Warnings: []string{"the table has no spatial index"}}},
			warn:   []string{"PG:dbname=city (table t): the table has no spatial index"},
		},
		{
			name:   "reader error",
			source: "PG:dbname=city",
			reader: &fakeReader{match: "PG:", err: errors.New(`no table "offices"`)},
			want:   []string{`PG:dbname=city: no table "offices"`},
		},
		{
			name:   "missing file reported as for every format",
			source: "nope.fake",
			reader: &fakeReader{match: ".fake", readFile: true},
			want:   []string{"layer offices: open nope.fake: no such file or directory"},
		},
		{
			name:   "a reader comes before the loader's own",
			source: "../testdata/bad/offices_empty.csv",
			reader: &fakeReader{match: ".csv", readFile: true, layer: data.RawLayer{Features: officeFeatures(same)}},
		},
		{
			name:   "a GeoPackage without its reader",
			source: "../testdata/formats/offices.gpkg",
			reader: &fakeReader{match: "PG:"},
			want:   []string{"../testdata/formats/offices.gpkg: layer offices: GeoPackage input needs the reader in github.com/kumamoto-gis/catchment/data/gpkg: add gpkg.Reader{} to Options.Readers (the catchment command has it)"},
		},
		{
			name:   "a reader that accepts nothing is not asked",
			source: "../testdata/bad/offices_empty.csv",
			reader: &fakeReader{match: "PG:", layer: data.RawLayer{Features: officeFeatures(same)}},
			want:   []string{"offices_empty.csv"},
		},
	} {
		for _, stream := range []bool{false, true} {
			name, reader := c.name, data.Reader(c.reader)
			if stream {
				name, reader = name+" (streamed)", streamer{c.reader}
			}
			t.Run(name, func(t *testing.T) {
				opt := c.opt
				opt.Readers = []data.Reader{nil, reader}
				ds, warns, err := data.Load(data.Paths{data.LayerOffices: c.source}, opt)
				if len(c.want) == 0 && err != nil {
					t.Fatal(err)
				}
				for _, w := range c.want {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("error %v\nwant it to contain %q", err, w)
					}
				}
				for _, w := range c.warn {
					if !strings.Contains(fmt.Sprint(warns), w) {
						t.Errorf("warnings %v\nwant one to contain %q", warns, w)
					}
				}
				if c.reader.match == "PG:" && strings.HasPrefix(c.source, "PG:") {
					if g := c.reader.got; g == nil || g.Source != c.source || g.Layer != data.LayerOffices || g.Table != c.opt.Tables[data.LayerOffices] {
						t.Errorf("request %+v", g)
					}
				}
				if c.check != nil && err == nil {
					c.check(t, ds)
				}
				if stream && err == nil && !slices.Contains(c.reader.got.Fields, "published_km") {
					t.Errorf("Fields %q, want the names of the offices' fields", c.reader.got.Fields)
				}
			})
		}
	}
}

// jgd2011Zone2WKT is JGD2011 / Japan Plane Rectangular CS II as WKT 1 without
// an EPSG code.
const jgd2011Zone2WKT = `PROJCS["JGD2011 / zone II",GEOGCS["JGD2011",DATUM["Japanese_Geodetic_Datum_2011",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",33],PARAMETER["central_meridian",131],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]`

// TestReaderValues checks how the loader reads the property values a
// reader may return.
func TestReaderValues(t *testing.T) {
	when := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		value any
		want  string // the office's name read from the value; "" for empty
	}{
		{"西区役所", "西区役所"},
		{int8(-8), "-8"},
		{int64(1 << 53), "9007199254740992"},
		{uint64(1<<64 - 1), "18446744073709552000"}, // numbers are read as float64, as in GeoJSON
		{float32(0.1), "0.1"},
		{0.1, "0.1"},
		{1e21, "1000000000000000000000"},
		{math.Inf(-1), ""},
		{json.Number("12"), "12"},
		{true, "true"},
		{when, when.String()},
		{nil, ""},
	} {
		r := &fakeReader{match: "PG:", layer: data.RawLayer{Features: []data.RawFeature{
			{Properties: map[string]any{"id": "w", "kind": "ward", "name": c.value}, Geometry: nishi},
		}}}
		ds, _, err := data.Load(data.Paths{data.LayerOffices: "PG:x"}, data.Options{Readers: []data.Reader{r}})
		switch {
		case c.want == "":
			if err == nil || !strings.Contains(err.Error(), "field name: missing") {
				t.Errorf("%T %v: error %v, want a missing name", c.value, c.value, err)
			}
		case err != nil:
			t.Errorf("%T %v: %v", c.value, c.value, err)
		case ds.Offices[0].Name != c.want:
			t.Errorf("%T %v: name %q, want %q", c.value, c.value, ds.Offices[0].Name, c.want)
		}
	}
}

// TestReaderFiles checks that file readers read through the loader's file
// system and that LoadDir finds the files a reader accepts.
func TestReaderFiles(t *testing.T) {
	r := &fakeReader{match: ".fake", readFile: true, layer: data.RawLayer{Features: officeFeatures(same)}}
	fsys := fstest.MapFS{"in/offices.fake": {Data: []byte("x")}}
	if _, _, err := data.LoadFS(fsys, data.Paths{data.LayerOffices: "in/offices.fake"}, data.Options{Readers: []data.Reader{r}}); err != nil {
		t.Errorf("LoadFS: %v", err)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "offices.fake"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, _, err := data.LoadDir(dir, data.Options{Readers: []data.Reader{r}})
	if err != nil || len(ds.Offices) != 2 {
		t.Errorf("LoadDir with the reader: %v", err)
	}
	if _, _, err := data.LoadDir(dir, data.Options{}); err == nil || !strings.Contains(err.Error(), "no layer files found") {
		t.Errorf("LoadDir without the reader: %v, want no layer files found", err)
	}
}

// TestReaderPopulation loads population layers through a reader that
// returns its features and one that streams them: the same cells,
// warnings and errors, in feature order.
func TestReaderPopulation(t *testing.T) {
	cell := orb.Polygon{{{130.70, 32.80}, {130.71, 32.80}, {130.71, 32.81}, {130.70, 32.80}}}
	for _, c := range []struct {
		name  string
		layer data.RawLayer
		want  []string // substrings of the error, in order; none: success
		warn  string
		cells int
	}{
		{
			name: "points in zone II and a polygon",
			layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 6670}, Features: []data.RawFeature{
				{Index: 0, Properties: map[string]any{"人口": int32(120), "other": "x"}, Geometry: zone2(chuo)},
				{Index: 1, ID: "n", Properties: map[string]any{"Population": 7.5}, Geometry: orb.MultiPoint{zone2(nishi)}},
			}},
			cells: 2,
		},
		{
			name: "undefined crs",
			layer: data.RawLayer{CRS: data.CRS{Name: "undefined (srid 0)"}, Features: []data.RawFeature{
				{Index: 0, Properties: map[string]any{"population": 3, "id": "a"}, Geometry: cell},
			}},
			warn:  "the file declares no CRS (undefined (srid 0))",
			cells: 1,
		},
		{
			name: "feature problems in order",
			layer: data.RawLayer{Features: []data.RawFeature{
				{Index: 0, Properties: map[string]any{"population": 1}, Geometry: chuo},
				{Index: 1, Properties: map[string]any{"population": "many"}, Geometry: chuo},
				{Index: 2, Properties: map[string]any{"population": 2}, GeometryErr: errors.New("the geometry is a CircularString")},
				{Index: 3, Properties: map[string]any{"population": 2}, Geometry: orb.LineString{chuo, nishi}},
				{Index: 4, Properties: map[string]any{"population": 2}, Geometry: orb.Point{-27000, -21000}},
			}},
			want: []string{"feature 1: field population:", "feature 2: field geometry: the geometry is a CircularString", "feature 3: field geometry:", "the population layer needs Points, Polygons or MultiPolygons", "feature 4: field geometry: position"},
		},
		{
			name:  "no population property",
			layer: data.RawLayer{Features: []data.RawFeature{{Index: 0, Properties: map[string]any{"people": 1}, Geometry: chuo}}},
			want:  []string{"PG:x: field population: no feature has a population property"},
		},
		{
			name:  "projected crs",
			layer: data.RawLayer{CRS: data.CRS{Authority: "EPSG", Code: 30162}, Features: []data.RawFeature{{Index: 0, Properties: map[string]any{"population": 1}, Geometry: chuo}}},
			want:  []string{"PG:x: crs:"},
		},
	} {
		var results []string
		for _, stream := range []bool{false, true} {
			fake := &fakeReader{match: "PG:", layer: c.layer}
			var r data.Reader = fake
			if stream {
				r = streamer{fake}
			}
			cells, warns, err := data.LoadPopulation("PG:x", data.Options{Readers: []data.Reader{r}})
			results = append(results, fmt.Sprintf("%v|%v|%v", cells, warns, err))
			if len(c.want) == 0 && err != nil {
				t.Errorf("%s (stream %v): %v", c.name, stream, err)
				continue
			}
			if len(c.want) > 0 {
				at := 0
				for _, w := range c.want {
					i := -1
					if err != nil {
						i = strings.Index(err.Error()[at:], w)
					}
					if i < 0 {
						t.Errorf("%s (stream %v): error %v\nwant %q after byte %d", c.name, stream, err, w, at)
						break
					}
					at += i + len(w)
				}
				continue
			}
			if len(cells) != c.cells {
				t.Errorf("%s (stream %v): %d cells, want %d", c.name, stream, len(cells), c.cells)
			}
			if c.warn != "" && !strings.Contains(fmt.Sprint(warns), c.warn) {
				t.Errorf("%s (stream %v): warnings %v, want %q", c.name, stream, warns, c.warn)
			}
			if c.name == "points in zone II and a polygon" {
				if d := geo.Distance(cells[0].Point, chuo); d > 0.001 || cells[0].ID != "population-0" || cells[1].ID != "population-1" || cells[1].Population != 7.5 {
					t.Errorf("%s (stream %v): cells %+v", c.name, stream, cells)
				}
			}
		}
		if results[0] != results[1] {
			t.Errorf("%s: read and streamed differ:\n%s\n%s", c.name, results[0], results[1])
		}
	}
}
