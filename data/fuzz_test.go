package data

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// fuzzLoad loads one file of layer from memory and fails on a panic (the
// fuzzing engine reports those), on a hang and on an error without text.
func fuzzLoad(t *testing.T, layer Layer, files map[string][]byte, main string) {
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		_, _, err = LoadFS(fsys, Paths{layer: main}, Options{})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("loading %s took more than 10 s", main)
	}
	if err != nil && strings.TrimSpace(err.Error()) == "" {
		t.Fatalf("error without a message")
	}
}

// seedFiles adds every file of dir with one of exts as a seed.
func seedFiles(f *testing.F, dir string, exts ...string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
					f.Add(b)
				}
			}
		}
	}
}

func FuzzReadGeoJSON(f *testing.F) {
	seedFiles(f, "../testdata/bad", ".geojson")
	seedFiles(f, "kumamoto", ".geojson")
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzLoad(t, LayerDistricts, map[string][]byte{"d.geojson": b}, "d.geojson")
		fuzzLoad(t, LayerOffices, map[string][]byte{"o.geojson": b}, "o.geojson")
	})
}

func FuzzReadCSV(f *testing.F) {
	seedFiles(f, "../testdata/bad", ".csv")
	seedFiles(f, "../testdata/good", ".csv")
	seedFiles(f, "kumamoto", ".csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzLoad(t, LayerOffices, map[string][]byte{"o.csv": b}, "o.csv")
		fuzzLoad(t, LayerDistricts, map[string][]byte{"d.csv": b}, "d.csv")
	})
}

// FuzzReadShapefile mutates the .shp, .dbf and .prj of a Shapefile.
func FuzzReadShapefile(f *testing.F) {
	for _, base := range []string{"../testdata/formats/districts_6670", "../testdata/formats/offices_sjis"} {
		shp, _ := os.ReadFile(base + ".shp")
		dbf, _ := os.ReadFile(base + ".dbf")
		prj, _ := os.ReadFile(base + ".prj")
		f.Add(shp, dbf, prj)
	}
	f.Fuzz(func(t *testing.T, shp, dbf, prj []byte) {
		files := map[string][]byte{"x.shp": shp, "x.dbf": dbf, "x.prj": prj}
		fuzzLoad(t, LayerDistricts, files, "x.shp")
		fuzzLoad(t, LayerOffices, files, "x.shp")
		if _, err := parseWKT(string(prj)); err == nil {
			_ = crsFromWKT(string(prj))
		}
	})
}

func FuzzReadGeoPackage(f *testing.F) {
	seedFiles(f, "../testdata/formats", ".gpkg")
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzLoad(t, LayerDistricts, map[string][]byte{"x.gpkg": b}, "x.gpkg")
		fuzzLoad(t, LayerOffices, map[string][]byte{"x.gpkg": b}, "x.gpkg")
	})
}

// FuzzGPKGGeometry fuzzes the GeoPackage geometry blob decoder alone: the
// whole-file fuzzer runs SQLite per input and manages only a few inputs a
// second.
func FuzzGPKGGeometry(f *testing.F) {
	for _, g := range []orb.Geometry{
		orb.Point{130.7, 32.8},
		orb.Polygon{{{130, 32}, {131, 32}, {131, 33}, {130, 32}}},
		orb.MultiPolygon{{{{130, 32}, {131, 32}, {131, 33}, {130, 32}}}, {{{132, 32}, {133, 32}, {133, 33}, {132, 32}}}},
		orb.MultiPoint{{130, 32}},
		orb.LineString{{130, 32}, {131, 33}},
	} {
		body, _ := wkb.Marshal(g, binary.LittleEndian)
		f.Add(append([]byte{'G', 'P', 0, 0x01, 0xE6, 0x10, 0, 0}, body...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := decodeGPKGGeometry(b)
		if s.msg == "" && s.g != nil {
			_, _ = s.point()
			_, _, _ = s.polygons()
		}
	})
}
