package geoparquet

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// slowWKB is decodeWKB through go-geom alone.
func slowWKB(b []byte) (orb.Geometry, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	if g == nil || g.Empty() {
		return nil, nil
	}
	return toOrb(g)
}

// TestQuickWKB checks that quickWKB reads what go-geom reads, in both byte
// orders, whole, cut at every byte and with a byte too many, and that it
// takes the common geometries itself.
func TestQuickWKB(t *testing.T) {
	ring := func(x float64) []geom.Coord {
		return []geom.Coord{{x, 32}, {x + 1, 32}, {x + 1, 33}, {x, 32}}
	}
	for _, c := range []struct {
		name  string
		g     geom.T
		quick bool // quickWKB reads it whole
	}{
		{"point", geom.NewPoint(geom.XY).MustSetCoords(geom.Coord{130.7, 32.8}), true},
		{"polygon", geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{ring(130)}), true},
		{"polygon with a hole", geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{ring(130), {{130.2, 32.2}, {130.3, 32.2}, {130.3, 32.3}, {130.2, 32.2}}}), true},
		{"multipolygon", geom.NewMultiPolygon(geom.XY).MustSetCoords([][][]geom.Coord{{ring(130)}, {ring(132), ring(133)}}), true},
		{"empty polygon", geom.NewPolygon(geom.XY), false},
		{"empty multipolygon", geom.NewMultiPolygon(geom.XY), false},
		{"polygon with z", geom.NewPolygon(geom.XYZ).MustSetCoords([][]geom.Coord{{{130, 32, 1}, {131, 32, 1}, {131, 33, 1}, {130, 32, 1}}}), false},
		{"point with m", geom.NewPoint(geom.XYM).MustSetCoords(geom.Coord{130.7, 32.8, 5}), false},
		{"line", geom.NewLineString(geom.XY).MustSetCoords(ring(130)), false},
	} {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			whole, err := wkb.Marshal(c.g, order)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if _, ok := quickWKB(whole); ok != c.quick {
				t.Errorf("%s %v: quickWKB took it %v, want %v", c.name, order, ok, c.quick)
			}
			inputs := [][]byte{append(whole[:len(whole):len(whole)], 0)}
			for i := 0; i <= len(whole); i++ {
				inputs = append(inputs, whole[:i])
			}
			for _, b := range inputs {
				fast, ok := quickWKB(b)
				if !ok {
					continue
				}
				slow, err := slowWKB(b)
				if err != nil || !reflect.DeepEqual(fast, slow) {
					t.Errorf("%s %v, %d of %d bytes: quickWKB %v, go-geom %v, %v", c.name, order, len(b), len(whole), fast, slow, err)
				}
			}
		}
	}
	// Counts that claim more than the bytes hold are left to go-geom.
	huge := []byte{1, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f}
	if _, ok := quickWKB(huge); ok {
		t.Errorf("a polygon of 2^31 rings in 9 bytes was taken")
	}
	// Points with NaN: both is WKB's empty point.
	for _, y := range []float64{32, math.NaN()} {
		b := binary.LittleEndian.AppendUint64([]byte{1, 1, 0, 0, 0}, math.Float64bits(math.NaN()))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(y))
		fast, ok := quickWKB(b)
		slow, err := slowWKB(b)
		if !ok || err != nil || fmt.Sprint(fast) != fmt.Sprint(slow) || (fast == nil) != math.IsNaN(y) {
			t.Errorf("a point of NaN and %v: quickWKB %v %v, go-geom %v %v", y, fast, ok, slow, err)
		}
	}
}

// FuzzQuickWKB checks that whatever quickWKB takes, go-geom reads the same.
func FuzzQuickWKB(f *testing.F) {
	for _, g := range []geom.T{
		geom.NewPoint(geom.XY).MustSetCoords(geom.Coord{130.7, 32.8}),
		geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{{{130, 32}, {131, 32}, {131, 33}, {130, 32}}}),
		geom.NewMultiPolygon(geom.XY).MustSetCoords([][][]geom.Coord{{{{130, 32}, {131, 32}, {131, 33}, {130, 32}}}}),
	} {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			b, err := wkb.Marshal(g, order)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := quickWKB(b)
		if !ok {
			return
		}
		slow, err := slowWKB(b)
		if err != nil || fmt.Sprint(fast) != fmt.Sprint(slow) {
			t.Errorf("quickWKB %v, go-geom %v, %v", fast, slow, err)
		}
	})
}
