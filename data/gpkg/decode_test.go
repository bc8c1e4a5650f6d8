package gpkg

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// wkbWriter writes WKB for the decoder tests, in either byte order and with
// XY, XYZ, XYM or XYZM coordinates (dims 0, 1000, 2000, 3000 added to the
// ISO type code); Z and M values are 7.
type wkbWriter struct {
	bo   binary.AppendByteOrder
	dims uint32
	b    []byte
}

func (w *wkbWriter) u32(v uint32) *wkbWriter { w.b = w.bo.AppendUint32(w.b, v); return w }

func (w *wkbWriter) f64(v float64) *wkbWriter {
	w.b = w.bo.AppendUint64(w.b, math.Float64bits(v))
	return w
}

// head writes the byte order and the type code typ plus the dimensions.
func (w *wkbWriter) head(typ uint32) *wkbWriter {
	order := byte(1)
	if w.bo == binary.BigEndian {
		order = 0
	}
	w.b = append(w.b, order)
	return w.u32(typ + w.dims)
}

// pos writes one position.
func (w *wkbWriter) pos(p orb.Point) *wkbWriter {
	w.f64(p[0]).f64(p[1])
	if w.dims != 0 {
		w.f64(7)
	}
	if w.dims == 3000 {
		w.f64(7)
	}
	return w
}

func (w *wkbWriter) point(p orb.Point) *wkbWriter { return w.head(1).pos(p) }

func (w *wkbWriter) polygon(rings ...orb.Ring) *wkbWriter {
	w.head(3).u32(uint32(len(rings)))
	for _, r := range rings {
		w.u32(uint32(len(r)))
		for _, p := range r {
			w.pos(p)
		}
	}
	return w
}

// blob wraps WKB in a GeoPackage geometry header with flags and an
// envelope of env bytes.
func blob(flags byte, env int, body []byte) []byte {
	b := append([]byte{'G', 'P', 0, flags, 0xE6, 0x10, 0, 0}, make([]byte, env)...)
	return append(b, body...)
}

// le returns a little-endian XY writer.
func le() *wkbWriter { return &wkbWriter{bo: binary.LittleEndian} }

var (
	square  = orb.Ring{{130, 32}, {131, 32}, {131, 33}, {130, 32}}
	hole    = orb.Ring{{130.5, 32.2}, {130.9, 32.2}, {130.9, 32.6}, {130.5, 32.2}}
	square2 = orb.Ring{{132, 32}, {133, 32}, {133, 33}, {132, 32}}
	nan     = orb.Point{math.NaN(), math.NaN()}
)

// TestDecodeGeometry pins what the decoder reads: every dimension and byte
// order, empty geometries, envelope kinds, types a layer cannot use, and
// damaged blobs, including counts that claim more elements than the blob
// holds (a decoder that allocates before it checks dies of them).
func TestDecodeGeometry(t *testing.T) {
	type tc struct {
		name string
		blob []byte
		want orb.Geometry
		err  string
	}
	var cases []tc
	for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, dims := range []uint32{0, 1000, 2000, 3000} {
			w := func() *wkbWriter { return &wkbWriter{bo: bo, dims: dims} }
			name := func(s string) string {
				return s + "/" + bo.String() + "/" + map[uint32]string{0: "XY", 1000: "XYZ", 2000: "XYM", 3000: "XYZM"}[dims]
			}
			mp := w().head(6).u32(2)
			mp.b = append(mp.b, w().polygon().b...)
			mp.b = append(mp.b, w().polygon(square2).b...)
			mpt := w().head(4).u32(3)
			mpt.b = append(append(append(mpt.b, w().point(orb.Point{130.1, 32.1}).b...), w().point(nan).b...), w().point(orb.Point{130.2, 32.2}).b...)
			mixed := w().head(6).u32(1)
			mixed.b = append(mixed.b, (&wkbWriter{bo: bo, dims: (dims + 1000) % 4000}).polygon(square).b...)
			cases = append(cases,
				tc{name: name("point"), blob: blob(1, 0, w().point(orb.Point{130.7, 32.8}).b), want: orb.Point{130.7, 32.8}},
				tc{name: name("polygon with a hole"), blob: blob(1, 0, w().polygon(square, hole).b), want: orb.Polygon{square, hole}},
				tc{name: name("multipolygon with an empty part"), blob: blob(1, 0, mp.b), want: orb.MultiPolygon{{square2}}},
				tc{name: name("multipoint with an empty point"), blob: blob(1, 0, mpt.b), want: orb.MultiPoint{{130.1, 32.1}, {130.2, 32.2}}},
				tc{name: name("parts of other dimensions"), blob: blob(1, 0, mixed.b), want: orb.MultiPolygon{{square}}},
				tc{name: name("empty point (NaN)"), blob: blob(1, 0, w().point(nan).b)},
				tc{name: name("empty polygon"), blob: blob(1, 0, w().polygon().b)},
				tc{name: name("empty multipolygon"), blob: blob(1, 0, w().head(6).u32(0).b)},
				tc{name: name("empty multipoint"), blob: blob(1, 0, w().head(4).u32(0).b)},
				tc{name: name("empty collection"), blob: blob(1, 0, w().head(7).u32(0).b)},
				tc{name: name("polygon with an empty ring"), blob: blob(1, 0, w().polygon(orb.Ring{}).b), want: orb.Polygon{{}}},
				tc{name: name("point half NaN"), blob: blob(1, 0, w().point(orb.Point{math.NaN(), 32.8}).b),
					err: "the geometry's WKB cannot be read: invalid WKB syntax: point contains mixed NaN values"},
				tc{name: name("linestring"), blob: blob(1, 0, w().head(2).u32(2).pos(orb.Point{130, 32}).pos(orb.Point{131, 33}).b),
					err: "the geometry is a LineString; a layer needs points or polygons"},
			)
		}
	}
	point := le().point(orb.Point{130.7, 32.8}).b
	for env, size := range []int{0, 32, 48, 48, 64} {
		cases = append(cases,
			tc{name: "envelope " + string(rune('0'+env)), blob: blob(byte(1|env<<1), size, point), want: orb.Point{130.7, 32.8}},
			tc{name: "envelope " + string(rune('0'+env)) + " flagged empty", blob: blob(byte(1|env<<1|0x10), size, point)},
			tc{name: "envelope " + string(rune('0'+env)) + " cut short", blob: blob(byte(1|env<<1), size, nil)[:8+size/2], err: map[bool]string{true: "the geometry's WKB cannot be read: invalid WKB syntax: unexpected EOF", false: "the geometry blob is cut short"}[size == 0]},
		)
	}
	for env := 5; env < 8; env++ {
		cases = append(cases, tc{name: "envelope " + string(rune('0'+env)), blob: blob(byte(1|env<<1), 0, point), err: "the geometry header has an invalid envelope code " + string(rune('0'+env))})
	}
	for _, typ := range []uint32{2, 3, 4, 5, 6, 7} {
		cases = append(cases, tc{name: "count of 2^32-16 in type " + string(rune('0'+typ)), blob: blob(1, 0, le().head(typ).u32(0xFFFFFFF0).b),
			err: "the geometry's WKB cannot be read: invalid WKB syntax: unexpected EOF"})
	}
	cases = append(cases,
		tc{name: "null", blob: nil},
		tc{name: "flagged empty without WKB", blob: blob(0x11, 0, nil)},
		tc{name: "trailing bytes", blob: blob(1, 0, append(append([]byte{}, point...), 1, 2, 3)), want: orb.Point{130.7, 32.8}},
		tc{name: "no GP header", blob: []byte("XX\x00\x01\x00\x00\x00\x00abcdefgh"), err: `the geometry is not a GeoPackage geometry blob (no "GP" header)`},
		tc{name: "header cut short", blob: []byte("GP\x00"), err: `the geometry is not a GeoPackage geometry blob (no "GP" header)`},
		tc{name: "bad byte order", blob: blob(1, 0, append([]byte{7}, point[1:]...)), err: "the geometry's WKB cannot be read: invalid WKB syntax: invalid byte order: 0x7"},
		tc{name: "ring count of 2^32-16", blob: blob(1, 0, le().head(3).u32(1).u32(0xFFFFFFF0).b), err: "the geometry's WKB cannot be read: invalid WKB syntax: unexpected EOF"},
		tc{name: "curve polygon", blob: blob(1, 0, le().head(10).u32(0).b), err: "the geometry is a CurvePolygon, with curved edges, which are not read; linearise the curves first, e.g. ogr2ogr -nlt CONVERT_TO_LINEAR out.gpkg in.gpkg"},
		tc{name: "multi surface ZM", blob: blob(1, 0, le().head(3012).u32(0).b), err: "the geometry is a MultiSurface, with curved edges, which are not read; linearise the curves first, e.g. ogr2ogr -nlt CONVERT_TO_LINEAR out.gpkg in.gpkg"},
		tc{name: "TIN", blob: blob(1, 0, le().head(16).u32(0).b), err: "the geometry is a TIN; a layer needs points or polygons"},
		tc{name: "EWKB Z flag (not GeoPackage WKB)", blob: blob(1, 0, le().head(0x80000001).f64(130).f64(32).f64(1).b), err: "the geometry's WKB cannot be read: invalid WKB syntax: invalid or unknown geometry type in geom code: 2147483649"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := decodeGeometry(c.blob)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if msg != c.err {
				t.Errorf("error %q, want %q", msg, c.err)
			}
			if !reflect.DeepEqual(g, c.want) {
				t.Errorf("geometry %#v, want %#v", g, c.want)
			}
		})
	}
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
		g, err := decodeGeometry(b)
		if err != nil && g != nil {
			t.Fatalf("a geometry (%v) and an error (%v)", g, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}
