package gpkg

import (
	"encoding/binary"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

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
		g, err := decodeGeometry(b)
		if err != nil && g != nil {
			t.Fatalf("a geometry (%v) and an error (%v)", g, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}
