package geoparquet_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/geoparquet"
	"github.com/kumamoto-gis/catchment/internal/geoparquetwrite"
)

// TestStreamFields streams every source (in row groups of 7 rows) with
// several ReadRequest.Fields and compares with Read: the same rows and
// geometries, the columns asked for (empty ones too), and Names listing
// every property column.
func TestStreamFields(t *testing.T) {
	dir := t.TempDir()
	for _, s := range sources {
		t.Run(filepath.Base(s.file), func(t *testing.T) {
			file := convert(t, s.file, dir, geoparquetwrite.Options{RowGroupRows: 7})
			all, err := readRaw(file)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for k := range all.Features[0].Properties {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, c := range []struct {
				name   string
				fields []string
			}{
				{"all", nil},
				{"none", []string{}},
				{"id and name", []string{"id", "name"}},
				{"other case", []string{"NAME", "Population", "N03_004"}},
				{"absent", []string{"nothing"}},
			} {
				t.Run(c.name, func(t *testing.T) {
					req := data.ReadRequest{Source: file, ReadFile: data.ReadInput, Fields: c.fields}
					var got []data.RawFeature
					l, err := geoparquet.Reader{}.Stream(req, func(f data.RawFeature) {
						props := map[string]any{}
						for k, v := range f.Properties { // the map is reused
							props[k] = v
						}
						f.Properties = props
						got = append(got, f)
					})
					if err != nil {
						t.Fatal(err)
					}
					if len(l.Features) != 0 || len(got) != len(all.Features) {
						t.Fatalf("%d features streamed, %d returned, want %d streamed", len(got), len(l.Features), len(all.Features))
					}
					for i, f := range got {
						want := all.Features[i]
						props := map[string]any{}
						for k, v := range want.Properties {
							if req.Wants(k) {
								props[k] = v
							}
						}
						if f.Index != i || !reflect.DeepEqual(f.Geometry, want.Geometry) || !reflect.DeepEqual(f.Properties, props) {
							t.Fatalf("feature %d: %d %v %v, want %d %v %v", i, f.Index, f.Properties, f.Geometry, i, props, want.Geometry)
						}
					}
					gotNames := slices.Clone(l.Names)
					slices.Sort(gotNames)
					switch {
					case c.fields == nil && l.Names != nil:
						t.Errorf("Names %v, want nil when every column is read", l.Names)
					case c.fields != nil && !slices.Equal(gotNames, names):
						t.Errorf("Names %v, want %v", gotNames, names)
					}
				})
			}
		})
	}
}
