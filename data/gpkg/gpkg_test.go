package gpkg_test

import (
	"database/sql"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/gpkg"
	"github.com/kumamoto-gis/catchment/data/internal/datatest"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// withReader is the loader's options with the GeoPackage reader.
func withReader(opt data.Options) data.Options {
	opt.Readers = []data.Reader{gpkg.Reader{}}
	return opt
}

// formats holds the committed fixtures (made with ogr2ogr from the embedded
// Kumamoto layers; the fuzz seeds).
const formats = "../../testdata/formats/"

// TestFormatsAndCRS converts the Kumamoto fixtures with ogr2ogr into
// GeoPackages in several CRSs and checks that they load to the same
// features as their GeoJSON sources, within 1 cm.
func TestFormatsAndCRS(t *testing.T) {
	dir := t.TempDir()
	offSrc, distSrc := datatest.MakeSources(t, "../kumamoto", dir)
	base, _, err := data.Load(data.Paths{data.LayerOffices: offSrc, data.LayerDistricts: distSrc}, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, srs := range []string{"EPSG:4326", "EPSG:6670", "EPSG:2444"} {
		t.Run(srs, func(t *testing.T) {
			paths := data.Paths{}
			for layer, src := range map[data.Layer]string{data.LayerOffices: offSrc, data.LayerDistricts: distSrc} {
				out := filepath.Join(dir, strings.ReplaceAll(srs, ":", "_")+"_"+string(layer)+".gpkg")
				ogrtest.Convert(t, "-f", "GPKG", "-t_srs", srs, "-nln", string(layer), out, src)
				paths[layer] = out
			}
			ds, _, err := data.Load(paths, withReader(data.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			datatest.CompareDatasets(t, base, ds, 0.01)
		})
	}
}

// TestCommittedFixtures loads the GeoPackages of testdata/formats, which
// needs no GDAL.
func TestCommittedFixtures(t *testing.T) {
	emb, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := &data.Dataset{Districts: emb.Districts[:3], Offices: emb.Offices}
	paths := data.Paths{data.LayerDistricts: formats + "districts_6670.gpkg", data.LayerOffices: formats + "offices.gpkg"}
	for _, opt := range []data.Options{
		{},
		{Tables: map[data.Layer]string{data.LayerDistricts: "districts"}},
	} {
		ds, _, err := data.Load(paths, withReader(opt))
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Offices {
			// The fixtures keep id, name and kind only.
			want.Offices[i].Ward = ds.Offices[i].Ward
		}
		datatest.CompareDatasets(t, want, ds, 0.01)
	}
}

// TestMessages checks what loading a GeoPackage says when it cannot: each
// message names the file (and table) and says what to do.
func TestMessages(t *testing.T) {
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "offices.gpkg")
	if err := os.WriteFile(notSQLite, []byte("id,name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		layer data.Layer
		file  string
		opt   data.Options
		want  string
	}{
		{"no such table", data.LayerDistricts, formats + "districts_6670.gpkg", data.Options{Tables: map[data.Layer]string{"": "nope"}},
			formats + `districts_6670.gpkg: no feature table "nope"; its feature tables are districts`},
		{"not SQLite", data.LayerOffices, notSQLite, data.Options{},
			notSQLite + ": not a GeoPackage: the file is not an SQLite database"},
		{"missing file", data.LayerOffices, "nope.gpkg", data.Options{},
			"layer offices: open nope.gpkg: no such file or directory"},
		{"wrong geometry", data.LayerDistricts, formats + "offices.gpkg", data.Options{},
			formats + "offices.gpkg (table offices): feature 0 (id=chuo): field geometry: the geometry is a Point; this layer needs Polygon or MultiPolygon geometries"},
		{"mapping names no column", data.LayerDistricts, formats + "districts_6670.gpkg", data.Options{Fields: map[data.Layer]map[string]string{data.LayerDistricts: {"name": "A27_004"}}},
			formats + "districts_6670.gpkg (table districts): field name: the mapping districts.name=A27_004 names no property of the file; properties are fid, id, name, name_en, population"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := data.Load(data.Paths{c.layer: c.file}, withReader(c.opt))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// TestLoadDir checks that LoadDir reads offices.gpkg and districts.gpkg,
// and that without the reader it says where the reader is.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for from, to := range map[string]string{"offices.gpkg": "offices.gpkg", "districts_6670.gpkg": "districts.gpkg"} {
		raw, err := os.ReadFile(formats + from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ds, _, err := data.LoadDir(dir, withReader(data.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Offices) != 19 || len(ds.Districts) != 3 {
		t.Errorf("%d offices, %d districts; want 19, 3", len(ds.Offices), len(ds.Districts))
	}
	_, _, err = data.LoadDir(dir, data.Options{})
	want := "offices.gpkg: layer offices: GeoPackage input needs the reader in github.com/kumamoto-gis/catchment/data/gpkg: add gpkg.Reader{} to Options.Readers (the catchment command has it)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("without the reader: %v\nwant %q", err, want)
	}
}

func FuzzReadGeoPackage(f *testing.F) {
	datatest.SeedFiles(f, formats, ".gpkg")
	opt := withReader(data.Options{})
	f.Fuzz(func(t *testing.T, b []byte) {
		datatest.FuzzLoad(t, opt, data.LayerDistricts, map[string][]byte{"x.gpkg": b}, "x.gpkg")
		datatest.FuzzLoad(t, opt, data.LayerOffices, map[string][]byte{"x.gpkg": b}, "x.gpkg")
	})
}

func BenchmarkLoadGeoPackage6670(b *testing.B) {
	p := data.Paths{data.LayerDistricts: formats + "districts_6670.gpkg", data.LayerOffices: formats + "offices.gpkg"}
	opt := withReader(data.Options{})
	for b.Loop() {
		if _, _, err := data.Load(p, opt); err != nil {
			b.Fatal(err)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// corpus holds GDAL's own GeoPackage test files (autotest/ogr/data/gpkg and
// more), in the shared data folder beside the repository.
const corpus = "../../../shared/data/gdal_autotest"

// TestGDALCorpus reads every feature table of every GeoPackage of GDAL's
// test corpus, then loads each file as each layer, and compares what the
// reader returns and the loader says with testdata/gdal_corpus.golden: the
// standard is to read what GDAL reads the same way, or to refuse with a
// message naming the file, table, feature and field.
func TestGDALCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("SKIPPING GDAL CORPUS TEST: %s is absent (%v); GDAL's GeoPackages are not checked", corpus, err)
	}
	var files []string
	err := filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".gpkg") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, file := range files {
		fmt.Fprintf(&got, "== %s\n", strings.TrimPrefix(file, corpus+"/"))
		readTables(t, &got, file)
		for _, layer := range []data.Layer{data.LayerOffices, data.LayerDistricts, data.LayerBoundary} {
			ds, warns, err := data.Load(data.Paths{layer: file}, withReader(data.Options{}))
			fmt.Fprintf(&got, "%s: ", layer)
			if err != nil {
				fmt.Fprintf(&got, "error:\n  %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
			} else {
				var all orb.Collection
				if len(ds.Boundary) > 0 {
					all = append(all, ds.Boundary)
				}
				for _, d := range ds.Districts {
					all = append(all, d.Geometry)
				}
				for _, o := range ds.Offices {
					all = append(all, o.Location)
				}
				fmt.Fprintf(&got, "%d offices, %d districts, %d boundary polygons within %.6f\n", len(ds.Offices), len(ds.Districts), len(ds.Boundary), all.Bound())
			}
			for _, w := range warns {
				fmt.Fprintf(&got, "  warning: %s\n", w)
			}
		}
	}
	text := strings.ReplaceAll(got.String(), corpus+"/", "")
	const golden = "testdata/gdal_corpus.golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./data/gpkg -update to create it)", err)
	}
	if string(want) != text {
		t.Errorf("messages differ from %s (run with -update after checking them):\n--- got\n%s", golden, text)
	}
}

// readTables writes what Reader.Read returns for each feature table of
// file: the table's CRS and, per feature, the geometry's type and extent in
// the file's CRS, or why it cannot be read.
func readTables(t *testing.T, w io.Writer, file string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT table_name FROM gpkg_geometry_columns ORDER BY table_name`)
	if err == nil {
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, name)
		}
		rows.Close()
	}
	for _, table := range tables {
		l, err := gpkg.Reader{}.Read(data.ReadRequest{Source: file, Table: table, ReadFile: os.ReadFile})
		if err != nil {
			fmt.Fprintf(w, "read table %s: error: %v\n", table, err)
			continue
		}
		fmt.Fprintf(w, "read table %s: %d features, CRS %s:%d %q\n", l.Table, len(l.Features), l.CRS.Authority, l.CRS.Code, l.CRS.Name)
		for _, f := range l.Features {
			switch {
			case f.GeometryErr != nil:
				fmt.Fprintf(w, "  feature %d: %v\n", f.Index, f.GeometryErr)
			case f.Geometry == nil:
				fmt.Fprintf(w, "  feature %d: empty\n", f.Index)
			default:
				fmt.Fprintf(w, "  feature %d: %s within %.6f\n", f.Index, f.Geometry.GeoJSONType(), f.Geometry.Bound())
			}
		}
	}
}

// TestRasterOnly: a GeoPackage of tiles alone is refused saying so (issue
// 21: it said "not a GeoPackage (SQL logic error…)").
func TestRasterOnly(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("SKIPPING RASTER GEOPACKAGE TEST: %s is absent (%v)", corpus, err)
	}
	_, _, err := data.Load(data.Paths{data.LayerDistricts: corpus + "/gpkg/gdrivers/byte.gpkg"}, withReader(data.Options{}))
	want := `byte.gpkg: the GeoPackage holds only raster data ("byte" (tiles)), no table of features; a layer needs points or polygons`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "SQL") {
		t.Errorf("error %v\nwant it to contain %q", err, want)
	}
}

// TestStreamAgreesWithRead streams the committed GeoPackages and checks the
// features against Read's: every property when Fields is nil; with Fields,
// only the properties asked for, and Names lists every property any row
// holds. A feature's map is reused, so each is compared during the call.
func TestStreamAgreesWithRead(t *testing.T) {
	for _, tc := range []struct {
		file   string
		layer  data.Layer
		fields []string
	}{
		{"districts_6670.gpkg", data.LayerDistricts, nil},
		{"districts_6670.gpkg", data.LayerDistricts, []string{"ID", " name "}},
		{"offices.gpkg", data.LayerOffices, nil},
		{"offices.gpkg", data.LayerOffices, []string{"kind"}},
	} {
		t.Run(fmt.Sprintf("%s %v", tc.file, tc.fields), func(t *testing.T) {
			req := data.ReadRequest{Source: formats + tc.file, Layer: tc.layer, ReadFile: os.ReadFile}
			whole, err := gpkg.Reader{}.Read(req)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, f := range whole.Features {
				for k := range f.Properties {
					names[k] = true
				}
			}
			req.Fields = tc.fields
			n := 0
			streamed, err := gpkg.Reader{}.Stream(req, func(f data.RawFeature) {
				w := whole.Features[n]
				n++
				if f.Index != w.Index || fmt.Sprint(f.ID) != fmt.Sprint(w.ID) || fmt.Sprint(f.Geometry) != fmt.Sprint(w.Geometry) || (f.GeometryErr == nil) != (w.GeometryErr == nil) {
					t.Errorf("feature %d: index, id or geometry differ from Read's", w.Index)
				}
				want := map[string]any{}
				for k, v := range w.Properties {
					if req.Wants(k) {
						want[k] = v
					}
				}
				if fmt.Sprint(f.Properties) != fmt.Sprint(want) {
					t.Errorf("feature %d: properties %v, want %v", w.Index, f.Properties, want)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != len(whole.Features) || n == 0 {
				t.Errorf("streamed %d features, Read gives %d", n, len(whole.Features))
			}
			if streamed.CRS != whole.CRS || streamed.Table != whole.Table || len(streamed.Features) != 0 {
				t.Errorf("layer: table %q CRS %v (%d features), Read: %q %v", streamed.Table, streamed.CRS, len(streamed.Features), whole.Table, whole.CRS)
			}
			got := map[string]bool{}
			for _, k := range streamed.Names {
				got[k] = true
			}
			if fmt.Sprint(got) != fmt.Sprint(names) {
				t.Errorf("Names %v, want %v", streamed.Names, names)
			}
		})
	}
}
