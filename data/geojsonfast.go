package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/paulmach/orb"
)

// errNotFast says that the fast GeoJSON decoder met something it does not
// read itself: invalid JSON, a member of an unexpected kind, a duplicate
// name, a name in other letter case. readGeoJSON then reads the file again
// with encoding/json, which accepts or explains it as before.
var errNotFast = errors.New("not for the fast decoder")

// fastGeoJSON reads a FeatureCollection with the streaming tokenizer of
// github.com/go-json-experiment/json/jsontext (strict JSON: valid UTF-8,
// no duplicate names). Coordinates of points and polygons go straight into
// orb values carved from shared blocks, so a feature costs a few
// allocations, not one per number; other geometries keep their raw JSON.
// For every input it accepts it gives the records encoding/json gives.
type fastGeoJSON struct {
	text  []byte
	d     *jsontext.Decoder
	res   *resolver
	keys  map[string]bool
	reuse reuse
	rec   record
	geom  rawGeometry
	// best ranks the names that set each field in the current feature.
	best map[string]bestName
	// pts and sizes are scratch space for the coordinates being read.
	pts   []orb.Point
	sizes [5][]int
	// names holds the member names met so far (see name).
	names map[string]string
	arena geometryArena
}

// reuse says what the fast decoder may hand fn again once fn returns.
type reuse int

const (
	// reuseNothing: fn may keep the records it is handed.
	reuseNothing reuse = iota
	// reuseRecord: fn is handed the same record and rawGeometry each
	// time; it may keep the coordinates' orb values and the values.
	reuseRecord
	// reuseAll: the coordinates' orb values are written over too; fn
	// keeps nothing of a record's geometry.
	reuseAll
)

func readGeoJSONFast(text []byte, res *resolver, keys map[string]bool, reuse reuse, fn func(*record)) (geojsonHeader, error) {
	var hdr geojsonHeader
	f := &fastGeoJSON{text: text, d: jsontext.NewDecoder(bytes.NewBuffer(text)), res: res, keys: keys, reuse: reuse, best: map[string]bestName{}}
	d := f.d
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return hdr, errNotFast
	}
	sawType, sawFeatures := false, false
	for {
		name, more, err := f.member()
		switch {
		case err != nil:
			return hdr, err
		case !more && (!sawType || !sawFeatures):
			return hdr, errNotFast
		case !more:
			return hdr, nil
		}
		switch name {
		case "type":
			tok, err := d.ReadToken()
			if err != nil || tok.Kind() != '"' || tok.String() != "FeatureCollection" {
				return hdr, errNotFast
			}
			sawType = true
		case "crs":
			v, err := d.ReadValue()
			if err != nil {
				return hdr, errNotFast
			}
			hdr.crs = geojsonCRS(json.RawMessage(v))
		case "features":
			sawFeatures = true
			if tok, err := d.ReadToken(); err != nil || tok.Kind() != '[' {
				return hdr, errNotFast
			}
			for index := 0; ; index++ {
				switch d.PeekKind() {
				case ']':
					if _, err := d.ReadToken(); err != nil {
						return hdr, errNotFast
					}
				case '{':
					r, err := f.feature(index)
					if err != nil {
						return hdr, err
					}
					fn(r)
					continue
				default:
					return hdr, errNotFast
				}
				break
			}
		default:
			if err := d.SkipValue(); err != nil {
				return hdr, errNotFast
			}
		}
	}
}

// featureNames are the members of a Feature that encoding/json matches
// without regard to letter case.
var featureNames = []string{"type", "id", "geometry", "properties"}

// otherCase reports whether name is one of names in other letter case.
func otherCase(name string, names []string) bool {
	for _, n := range names {
		if name != n && strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// feature reads one Feature object.
func (f *fastGeoJSON) feature(index int) (*record, error) {
	d := f.d
	if _, err := d.ReadToken(); err != nil { // {
		return nil, errNotFast
	}
	r := &f.rec
	if f.reuse >= reuseRecord {
		clear(r.values)
		*r = record{index: index, values: r.values}
	} else {
		r = &record{index: index}
	}
	if r.values == nil {
		r.values = make(map[string]any, 4)
	}
	clear(f.best)
	for {
		n, more, err := f.member()
		switch {
		case err != nil:
			return nil, err
		case !more:
			return r, nil
		}
		switch n {
		case "type":
			if tok, err := d.ReadToken(); err != nil || tok.Kind() != '"' {
				return nil, errNotFast
			}
		case "id":
			if r.fid, err = f.value(); err != nil {
				return nil, err
			}
		case "geometry":
			if r.geom, err = f.geometry(); err != nil {
				return nil, err
			}
		case "properties":
			if err := f.properties(r); err != nil {
				return nil, err
			}
		default:
			if otherCase(n, featureNames) {
				return nil, errNotFast
			}
			if err := d.SkipValue(); err != nil {
				return nil, errNotFast
			}
		}
	}
}

// value reads a JSON value as encoding/json decodes it into an any with
// UseNumber: string, json.Number, bool, nil, map[string]any or []any.
func (f *fastGeoJSON) value() (any, error) {
	d := f.d
	switch d.PeekKind() {
	case '{', '[':
		raw, err := d.ReadValue()
		if err != nil {
			return nil, errNotFast
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, errNotFast
		}
		return v, nil
	}
	tok, err := d.ReadToken()
	if err != nil {
		return nil, errNotFast
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case '0':
		return json.Number(tok.String()), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	return nil, errNotFast
}

// properties reads the properties object into r's values, as
// featureRecord maps them.
func (f *fastGeoJSON) properties(r *record) error {
	d := f.d
	tok, err := d.ReadToken()
	switch {
	case err != nil:
		return errNotFast
	case tok.Kind() == 'n':
		return nil
	case tok.Kind() != '{':
		return errNotFast
	}
	for {
		k, more, err := f.member()
		if err != nil || !more {
			return err
		}
		if !f.keys[k] {
			f.keys[k] = true
		}
		ms := f.res.lookup(k)
		if len(ms) == 0 {
			if err := d.SkipValue(); err != nil {
				return errNotFast
			}
			continue
		}
		v, err := f.value()
		if err != nil {
			return err
		}
		for _, m := range ms {
			if b, ok := f.best[m.field]; ok && !b.beatenBy(m.rank, k) {
				continue
			}
			f.best[m.field] = bestName{m.rank, k}
			r.values[m.field] = v
		}
	}
}

// geometryNames are the members of a geometry that encoding/json matches
// without regard to letter case.
var geometryNames = []string{"type", "coordinates"}

// depths is how deeply the coordinates of the geometry types the fast
// decoder reads are nested.
var depths = map[string]int{"Point": 1, "MultiPoint": 2, "Polygon": 3, "MultiPolygon": 4}

// geometry reads a geometry object, or null.
func (f *fastGeoJSON) geometry() (*rawGeometry, error) {
	d := f.d
	tok, err := d.ReadToken()
	switch {
	case err != nil:
		return nil, errNotFast
	case tok.Kind() == 'n':
		return nil, nil
	case tok.Kind() != '{':
		return nil, errNotFast
	}
	g := &f.geom
	if f.reuse >= reuseRecord {
		*g = rawGeometry{}
	} else {
		g = &rawGeometry{}
	}
	for {
		n, more, err := f.member()
		switch {
		case err != nil:
			return nil, err
		case !more && g.decoded && g.depth != depths[g.Type]:
			return nil, errNotFast // cannot happen: type is read first
		case !more:
			return g, nil
		}
		switch n {
		case "type":
			tok, err := d.ReadToken()
			if err != nil || tok.Kind() != '"' {
				return nil, errNotFast
			}
			g.Type = tok.String()
		case "coordinates":
			if err := f.coordinates(g); err != nil {
				return nil, err
			}
		default:
			if otherCase(n, geometryNames) {
				return nil, errNotFast
			}
			if err := d.SkipValue(); err != nil {
				return nil, errNotFast
			}
		}
	}
}

// coordinates reads the coordinates of g into orb values when g's type is
// known and they are as it requires: nested non-empty arrays of positions
// of at least two numbers that float64 holds. Anything else (an empty
// array, a string, a third dimension, a number out of range) is kept as
// raw JSON for the decoding and messages of the slow path.
func (f *fastGeoJSON) coordinates(g *rawGeometry) error {
	d := f.d
	start := d.InputOffset()
	depth := d.StackDepth()
	want := depths[g.Type]
	ok := false
	if want > 0 {
		f.pts = f.pts[:0]
		for i := range f.sizes {
			f.sizes[i] = f.sizes[i][:0]
		}
		var err error
		if ok, err = f.nested(want); err != nil {
			return err
		}
	}
	if !ok {
		// Skip what is left of the value and keep its raw text.
		if d.StackDepth() == depth && d.InputOffset() == start {
			if err := d.SkipValue(); err != nil {
				return errNotFast
			}
		}
		for d.StackDepth() > depth {
			if _, err := d.ReadToken(); err != nil {
				return errNotFast
			}
		}
		raw := bytes.TrimLeft(f.text[start:d.InputOffset()], " \t\r\n:")
		g.Coordinates = json.RawMessage(raw)
		g.decoded = false
		return nil
	}
	g.Coordinates = nil
	g.decoded, g.depth = true, want
	if f.reuse == reuseAll {
		f.arena.reset() // the last feature's coordinates are no longer kept
	}
	switch want {
	case 1:
		g.point = f.pts[0]
	case 2:
		g.polys = nil
		g.points = f.arena.points(f.pts)
	case 3:
		g.polys = f.arena.multiPolygon(f.pts, f.sizes[2], f.sizes[3])
	case 4:
		g.polys = f.arena.multiPolygon(f.pts, f.sizes[2], f.sizes[3])
	}
	return nil
}

// nested reads an array nested level deep (1: a position) into f.pts and
// f.sizes. It reports false, leaving the rest of the array unread, when
// the array is not as the fast path takes it.
func (f *fastGeoJSON) nested(level int) (bool, error) {
	d := f.d
	if d.PeekKind() != '[' {
		return false, nil
	}
	if _, err := d.ReadToken(); err != nil {
		return false, errNotFast
	}
	if level == 1 {
		var p orb.Point
		n := 0
		for {
			switch d.PeekKind() {
			case ']':
				if _, err := d.ReadToken(); err != nil {
					return false, errNotFast
				}
				if n < 2 {
					return false, nil
				}
				f.pts = append(f.pts, p)
				return true, nil
			case '0':
			default:
				return false, nil
			}
			raw, err := d.ReadValue()
			if err != nil {
				return false, errNotFast
			}
			v, ok := decimalFloat(raw)
			if !ok {
				if v, err = strconv.ParseFloat(string(raw), 64); err != nil {
					return false, nil // out of range: encoding/json refuses it
				}
			}
			// Keep the numbers at the ends of the range for the slow path,
			// as before (the tokenizer saturated there).
			if math.Abs(v) == math.MaxFloat64 {
				return false, nil
			}
			if n < 2 {
				p[n] = v
			}
			n++
		}
	}
	count := 0
	for {
		if d.PeekKind() == ']' {
			if _, err := d.ReadToken(); err != nil {
				return false, errNotFast
			}
			break
		}
		ok, err := f.nested(level - 1)
		if !ok || err != nil {
			return false, err
		}
		count++
	}
	if count == 0 {
		return false, nil
	}
	f.sizes[level] = append(f.sizes[level], count)
	return true, nil
}

// geometryArena hands out the points, rings and polygons of many features
// from shared blocks, so that a layer of polygons costs a few large
// allocations. Each slice is capped at its length: appending to one
// copies it rather than overwrite its neighbour.
type geometryArena struct {
	pts   []orb.Point
	rings []orb.Ring
	polys []orb.Polygon
}

// reset hands out the current blocks again from their start: every value
// handed out before must be dead.
func (a *geometryArena) reset() {
	a.pts, a.rings, a.polys = a.pts[:0], a.rings[:0], a.polys[:0]
}

// arenaBlock is how many values a block holds.
const arenaBlock = 1 << 14

func take[T any](block *[]T, n int) []T {
	if n > cap(*block)-len(*block) {
		*block = make([]T, 0, max(n, arenaBlock))
	}
	s := (*block)[len(*block) : len(*block)+n : len(*block)+n]
	*block = (*block)[:len(*block)+n]
	return s
}

// points copies pts.
func (a *geometryArena) points(pts []orb.Point) []orb.Point {
	out := take(&a.pts, len(pts))
	copy(out, pts)
	return out
}

// multiPolygon builds polygons from pts, cut into rings of ringSizes
// positions and the rings into polygons of polySizes rings.
func (a *geometryArena) multiPolygon(pts []orb.Point, ringSizes, polySizes []int) orb.MultiPolygon {
	all := a.points(pts)
	rings := take(&a.rings, len(ringSizes))
	for i, n := range ringSizes {
		rings[i] = orb.Ring(all[:n:n])
		all = all[n:]
	}
	polys := take(&a.polys, len(polySizes))
	for i, n := range polySizes {
		polys[i] = orb.Polygon(rings[:n:n])
		rings = rings[n:]
	}
	return orb.MultiPolygon(polys)
}

// member reads the next member name of the object being read, or its
// closing brace (more is false). Anything else is errNotFast.
func (f *fastGeoJSON) member() (name string, more bool, err error) {
	switch f.d.PeekKind() {
	case '}':
		if _, err := f.d.ReadToken(); err != nil {
			return "", false, errNotFast
		}
		return "", false, nil
	case '"':
		raw, err := f.d.ReadValue()
		if err != nil {
			return "", false, errNotFast
		}
		return f.name(raw), true, nil
	}
	return "", false, errNotFast
}

// maxNames bounds the names a fastGeoJSON keeps to hand out again.
const maxNames = 256

// name returns the member name whose quoted JSON text is raw, the same
// string for the same name each time where it can, so that reading a
// feature does not allocate its members' names again.
func (f *fastGeoJSON) name(raw []byte) string {
	if bytes.IndexByte(raw, '\\') >= 0 {
		b, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return string(raw[1 : len(raw)-1]) // cannot happen: the decoder checked it
		}
		return string(b)
	}
	in := raw[1 : len(raw)-1]
	if s, ok := f.names[string(in)]; ok {
		return s
	}
	s := string(in)
	if len(f.names) < maxNames {
		if f.names == nil {
			f.names = map[string]string{}
		}
		f.names[s] = s
	}
	return s
}

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimalFloat reads a JSON number written as digits with at most one
// decimal point and no exponent, of at most 15 significant digits, such
// as 130.7416667: its digits as an integer are then exact in a float64,
// and so is the power of ten it is divided by, and one division rounds
// correctly — the value strconv.ParseFloat gives. ok is false for any
// other number.
func decimalFloat(b []byte) (v float64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		i, neg = 1, true
	}
	var m uint64
	digits, decimals := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		m = m*10 + uint64(b[i]-'0')
		digits++
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			m = m*10 + uint64(b[i]-'0')
			digits++
			decimals++
		}
	}
	if i != len(b) || digits == 0 || digits > 15 {
		return 0, false
	}
	v = float64(m)
	if decimals > 0 {
		v /= pow10[decimals]
	}
	if neg {
		v = -v
	}
	return v, true
}
