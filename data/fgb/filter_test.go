package fgb_test

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/fgb"
)

// stream reads path with Reader.Stream and req, copying each feature's
// properties (the reader reuses the map).
func stream(t testing.TB, path string, req data.ReadRequest) ([]data.RawFeature, *data.RawLayer, error) {
	t.Helper()
	req.Source = path
	req.ReadFile = os.ReadFile
	var fs []data.RawFeature
	l, err := fgb.Reader{}.Stream(req, func(f data.RawFeature) {
		f.Properties = maps(f.Properties)
		fs = append(fs, f)
	})
	return fs, l, err
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestStreamFields streams files with several ReadRequest.Fields and
// compares with Decode: the same features, geometries and values, only the
// properties asked for, and Names listing every property a feature holds.
func TestStreamFields(t *testing.T) {
	dir := t.TempDir()
	for _, src := range []string{"../kumamoto/districts.geojson", "../kumamoto/posts.geojson", "../kumamoto/boundary.geojson"} {
		for _, index := range []bool{false, true} {
			path := convert(t, dir, src, "EPSG:4326", index)
			all := decodeFile(t, path)
			var names []string
			for _, f := range all.Features {
				for k := range f.Properties {
					if !slices.Contains(names, k) {
						names = append(names, k)
					}
				}
			}
			slices.Sort(names)
			for _, c := range []struct {
				name   string
				fields []string
			}{
				{"all", nil},
				{"none", []string{}},
				{"id and name", []string{"id", "name"}},
				{"other case", []string{"NAME", "Population"}},
				{"absent", []string{"nothing"}},
			} {
				t.Run(filepath.Base(path)+"/"+c.name, func(t *testing.T) {
					got, l, err := stream(t, path, data.ReadRequest{Fields: c.fields})
					if err != nil {
						t.Fatal(err)
					}
					if len(l.Features) != 0 {
						t.Errorf("Stream returned %d Features, want none", len(l.Features))
					}
					if len(got) != len(all.Features) {
						t.Fatalf("%d features, Decode reads %d", len(got), len(all.Features))
					}
					req := data.ReadRequest{Fields: c.fields}
					for i, f := range got {
						want := all.Features[i]
						props := map[string]any{}
						for k, v := range want.Properties {
							if req.Wants(k) {
								props[k] = v
							}
						}
						if f.Index != want.Index || !reflect.DeepEqual(f.Geometry, want.Geometry) || !reflect.DeepEqual(f.Properties, props) {
							t.Fatalf("feature %d: %d %v %v, want %d %v %v", i, f.Index, f.Properties, f.Geometry, want.Index, props, want.Geometry)
						}
					}
					gotNames := slices.Clone(l.Names)
					slices.Sort(gotNames)
					switch {
					case c.fields == nil && l.Names != nil:
						t.Errorf("Names %v, want nil when every property is read", l.Names)
					case c.fields != nil && !slices.Equal(gotNames, names):
						t.Errorf("Names %v, want %v", gotNames, names)
					}
				})
			}
		}
	}
}

// TestWants checks how ReadRequest.Wants matches names.
func TestWants(t *testing.T) {
	for _, c := range []struct {
		fields []string
		name   string
		want   bool
	}{
		{nil, "anything", true},
		{[]string{}, "id", false},
		{[]string{"id", "名称"}, "id", true},
		{[]string{"id", "名称"}, " ID ", true},
		{[]string{"id", "名称"}, "名称", true},
		{[]string{"id", "名称"}, "ids", false},
		{[]string{"population"}, "Population", true},
		{[]string{"population"}, "pop", false},
	} {
		if got := (data.ReadRequest{Fields: c.fields}).Wants(c.name); got != c.want {
			t.Errorf("Fields %q: Wants(%q) = %v, want %v", c.fields, c.name, got, c.want)
		}
	}
}

// TestBound reads indexed files with a ReadRequest.Bound through the packed
// R-tree and compares with a brute-force filter of every feature by its
// bounding box; a file without the index ignores the bound.
func TestBound(t *testing.T) {
	dir := t.TempDir()
	srcs := []string{"../kumamoto/districts.geojson", "../kumamoto/posts.geojson", "../kumamoto/stores.geojson", shared + "/kumamoto_wards_N03-21_simplified1pct_smartnews.geojson"}
	for _, src := range srcs {
		if !haveSource(t, src) {
			continue
		}
		path := convert(t, dir, src, "EPSG:4326", true)
		all := decodeFile(t, path)
		if len(all.Features) < 2 {
			t.Fatalf("%s: %d features", src, len(all.Features))
		}
		var ext orb.Bound
		for i, f := range all.Features {
			if i == 0 {
				ext = f.Geometry.Bound()
			} else {
				ext = ext.Union(f.Geometry.Bound())
			}
		}
		c := ext.Center()
		first := all.Features[len(all.Features)/2].Geometry.Bound()
		for _, b := range []struct {
			name  string
			bound orb.Bound
		}{
			{"extent", ext},
			{"south-west quarter", orb.Bound{Min: ext.Min, Max: c}},
			{"north-east corner", orb.Bound{Min: orb.Point{c[0] + (ext.Max[0]-c[0])/2, c[1]}, Max: ext.Max}},
			{"one feature's box", first},
			{"its corner", orb.Bound{Min: first.Max, Max: first.Max}},
			{"far away", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}},
		} {
			t.Run(filepath.Base(src)+"/"+b.name, func(t *testing.T) {
				var want []data.RawFeature
				for _, f := range all.Features {
					if f.Geometry.Bound().Intersects(b.bound) {
						want = append(want, f)
					}
				}
				got, _, err := stream(t, path, data.ReadRequest{Bound: &b.bound})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d features, brute force finds %d", len(got), len(want))
				}
				for i := range got {
					if got[i].Index != want[i].Index || !reflect.DeepEqual(got[i].Geometry, want[i].Geometry) || !reflect.DeepEqual(got[i].Properties, want[i].Properties) {
						t.Fatalf("feature %d is number %d, want %d", i, got[i].Index, want[i].Index)
					}
				}
				if b.name == "one feature's box" && len(got) == 0 {
					t.Errorf("the box of a feature finds nothing")
				}
			})
		}
		t.Run(filepath.Base(src)+"/no index", func(t *testing.T) {
			far := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}
			got, _, err := stream(t, convert(t, dir, src, "EPSG:4326", false), data.ReadRequest{Bound: &far})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(all.Features) {
				t.Errorf("a file without index: %d features, want all %d", len(got), len(all.Features))
			}
		})
	}
}

// TestDamagedIndex breaks the packed R-tree of an indexed file and reads
// it with a Bound: refused, never a panic or a wrong feature.
func TestDamagedIndex(t *testing.T) {
	path := convert(t, t.TempDir(), "../kumamoto/posts.geojson", "EPSG:4326", true)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l := decodeFile(t, path)
	n := len(l.Features)
	start := 12 + int(binary.LittleEndian.Uint32(good[8:])) // the index
	nodes := n                                              // ogr2ogr writes nodes of 16 children
	for c := n; ; {
		c = (c + 15) / 16
		nodes += c
		if c <= 1 {
			break
		}
	}
	leaves := start + (nodes-n)*40
	world := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	for _, c := range []struct {
		name  string
		at    int
		value uint64
		want  string
	}{
		{"root child out of range", start + 32, math.MaxUint64, "damaged spatial index"},
		{"leaf at a wrong offset", leaves + 32, 3, "damaged spatial index"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := slices.Clone(good)
			binary.LittleEndian.PutUint64(b[c.at:], c.value)
			bad := filepath.Join(t.TempDir(), "posts.fgb")
			if err := os.WriteFile(bad, b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := stream(t, bad, data.ReadRequest{Bound: &world})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if _, err := fgb.Decode(b); err != nil {
				t.Errorf("without a bound the index is not read, yet: %v", err)
			}
		})
	}
}
