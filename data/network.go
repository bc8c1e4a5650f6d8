package data

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"golang.org/x/text/width"
)

// LayerNetwork is a road network given as a layer of lines (GeoJSON,
// Shapefile, GeoPackage, or CSV with a WKT column).
const LayerNetwork Layer = "network"

// The fields of a road-network layer.
const (
	fieldOneway   = "oneway"
	fieldSpeedKmh = "speed_kmh"
	fieldClass    = "class"
)

// RoadLink is one line of a road-network layer.
type RoadLink struct {
	// ID is the line's id, if the layer has one.
	ID string
	// Geometry is the line, longitude/latitude on WGS84; a MultiLineString's
	// parts are separate lines.
	Geometry orb.MultiLineString
	// Oneway is 0 for a two-way road, 1 when travel follows the line's
	// direction only, -1 when it goes against it.
	Oneway int
	// SpeedKmh is the speed the layer gives; 0 when it gives none.
	SpeedKmh float64
	// Class is the road class the layer gives; "" when none.
	Class string
}

// LoadNetwork reads the lines of a road-network layer (GeoJSON, Shapefile,
// GeoPackage through opt.Readers, or CSV with a WKT column), in any CRS the
// other layers may be in. The optional fields oneway, speed_kmh and class
// are found by their usual names or mapped with opt.Fields[LayerNetwork]
// (--field network.oneway=NAME). Oneway values: 1, yes, true, T, FT or
// forward (along the line); -1, TF, reverse or backward (against it); 0,
// no, false, F, B, both or empty (two-way).
func LoadNetwork(file string, opt Options) ([]RoadLink, []Warning, error) {
	ds := &Dataset{Sources: map[Layer]string{}}
	w, err := loadLayer(opt.readFile, ds, LayerNetwork, file, opt)
	if err != nil {
		return nil, w, err
	}
	return ds.Network, w, nil
}

// link reads one line of a road-network layer.
func (b *builder) link(r *record, at, id string) RoadLink {
	l := RoadLink{ID: id, Class: b.text(r, fieldClass)}
	var g orb.Geometry
	var msg string
	switch {
	case b.shapes[r].g != nil || b.shapes[r].msg != "":
		g, msg = b.shapes[r].g, b.shapes[r].msg
	case r.csv:
		g, msg = wktLines(b.text(r, fieldWKT))
	default:
		g, msg = lineGeometry(r.geom)
	}
	if msg == "" {
		l.Geometry, msg = orbLines(g)
	}
	if msg != "" {
		b.errorf(at, "geometry", "%s", msg)
		return l
	}
	for i, ls := range l.Geometry {
		for k, p := range ls {
			if b.conv != nil {
				p = convertPoint(b.conv, p)
				ls[k] = p
			}
			if m := positionMessage(p, LayerNetwork); m != "" && !b.once(classify(p[0], p[1]), at, "geometry", m) {
				b.errorf(at, "geometry", "line %d, position %d: %s", i, k, m)
				return l
			}
		}
	}
	switch v := strings.ToLower(width.Narrow.String(b.text(r, fieldOneway))); v {
	case "", "0", "no", "false", "f", "n", "b", "both", "双方向":
	case "1", "yes", "true", "t", "y", "ft", "forward", "順方向":
		l.Oneway = 1
	case "-1", "tf", "reverse", "backward", "逆方向":
		l.Oneway = -1
	default:
		b.errorf(at, fieldOneway, "%q is not a oneway value; give 1/yes/true/FT (along the line), -1/TF (against it) or 0/no/empty (two-way), or map another field with %s", v, b.fieldHelp(fieldOneway))
	}
	if s := b.number(r, at, fieldSpeedKmh); s != nil {
		if *s <= 0 || *s > 300 {
			b.errorf(at, fieldSpeedKmh, "speed %v km/h is not between 0 and 300; give km/h or leave it empty", *s)
		} else {
			l.SpeedKmh = *s
		}
	}
	return l
}

// orbLines returns the lines of a road layer's geometry.
func orbLines(g orb.Geometry) (orb.MultiLineString, string) {
	switch g := g.(type) {
	case nil:
		return nil, "the geometry is empty (null); every feature of a road network needs a LineString"
	case orb.LineString:
		return orb.MultiLineString{g}, ""
	case orb.MultiLineString:
		if len(g) == 0 {
			return nil, "the geometry is empty (a MultiLineString with no lines)"
		}
		return g, ""
	}
	return nil, fmt.Sprintf("the geometry is a %s; a road network needs LineString or MultiLineString geometries", g.GeoJSONType())
}

// wktLines reads a WKT LINESTRING or MULTILINESTRING.
func wktLines(s string) (orb.Geometry, string) {
	if s == "" {
		return nil, "the geometry is empty (no WKT); give a LINESTRING or MULTILINESTRING"
	}
	g, err := geom.UnmarshalWKT(s, geom.NoValidate{})
	if err != nil {
		return nil, "the WKT cannot be read: " + err.Error()
	}
	switch {
	case g.IsLineString():
		return toOrbLine(g.MustAsLineString().Coordinates()), ""
	case g.IsMultiLineString():
		m := g.MustAsMultiLineString()
		out := make(orb.MultiLineString, m.NumLineStrings())
		for i := range out {
			out[i] = toOrbLine(m.LineStringN(i).Coordinates())
		}
		return out, ""
	}
	return nil, fmt.Sprintf("the geometry is a %s; a road network needs LINESTRING or MULTILINESTRING", g.Type())
}

// toOrbLine converts a simplefeatures sequence.
func toOrbLine(seq geom.Sequence) orb.LineString {
	out := make(orb.LineString, seq.Length())
	for i := range out {
		xy := seq.GetXY(i)
		out[i] = orb.Point{xy.X, xy.Y}
	}
	return out
}

// lineGeometry decodes a GeoJSON LineString or MultiLineString.
func lineGeometry(raw *rawGeometry) (orb.Geometry, string) {
	g := geometryOf(raw)
	toLine := func(pos [][]float64) (orb.LineString, string) {
		ls := make(orb.LineString, len(pos))
		for k, p := range pos {
			q, msg := toPoint(p)
			if msg != "" {
				return nil, msg
			}
			ls[k] = q
		}
		return ls, ""
	}
	switch g.Type {
	case "":
		return nil, "the geometry is empty (null); every feature of a road network needs a LineString"
	case "LineString":
		var pos [][]float64
		if err := json.Unmarshal(g.Coordinates, &pos); err != nil {
			return nil, coordsError(err)
		}
		ls, msg := toLine(pos)
		return ls, msg
	case "MultiLineString":
		var parts [][][]float64
		if err := json.Unmarshal(g.Coordinates, &parts); err != nil {
			return nil, coordsError(err)
		}
		out := make(orb.MultiLineString, len(parts))
		for i, p := range parts {
			ls, msg := toLine(p)
			if msg != "" {
				return nil, msg
			}
			out[i] = ls
		}
		return out, ""
	}
	return nil, fmt.Sprintf("the geometry is a %s; a road network needs LineString or MultiLineString geometries", g.Type)
}
