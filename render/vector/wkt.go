package vector

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"
)

// WriteCSVWKT writes features as CSV with the geometry as WKT in the first
// column, named WKT, which GDAL and QGIS read as the geometry (lon/lat,
// EPSG:4326). The other columns are the properties in first-seen order; a
// feature's ID is written as "id" unless a property has that name.
func WriteCSVWKT(w io.Writer, features []Feature) error {
	var keys []string
	seen := map[string]bool{}
	for _, f := range features {
		for _, p := range f.Properties {
			if !seen[p.Key] {
				seen[p.Key] = true
				keys = append(keys, p.Key)
			}
		}
	}
	withID := false
	if !seen["id"] {
		for _, f := range features {
			withID = withID || f.ID != ""
		}
	}
	header := []string{"WKT"}
	if withID {
		header = append(header, "id")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(header, keys...)); err != nil {
		return err
	}
	promote := promotions(features)
	for i, f := range features {
		row := make([]string, 0, len(header)+len(keys))
		if f.Geometry == nil {
			row = append(row, "")
		} else {
			g := promote.Promote(layer.AsPolygon(f.Geometry))
			if err := lonlat.CheckGeometry(g); err != nil {
				return fmt.Errorf("csv wkt: feature %d (id %q): %w", i, f.ID, err)
			}
			row = append(row, string(wkt.MarshalString(roundGeometry(g))))
		}
		if withID {
			row = append(row, f.ID)
		}
		props := map[string]any{}
		for _, p := range f.Properties {
			props[p.Key] = p.Value
		}
		for _, k := range keys {
			v, err := layer.ScalarOf(props[k])
			if err != nil {
				return fmt.Errorf("csv wkt: feature %d property %q: %w", i, k, err)
			}
			row = append(row, csvText(v))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvText renders a scalar for CSV: null is empty, NaN and ±Inf too.
func csvText(v layer.Scalar) string {
	switch v.Kind {
	case layer.String, layer.Int:
		return v.Str
	case layer.Float:
		if !v.Finite() {
			return ""
		}
		return strconv.FormatFloat(v.Num, 'f', -1, v.Bits)
	case layer.Bool:
		return strconv.FormatBool(v.B)
	}
	return ""
}

// roundGeometry rounds coordinates to 7 decimals (1 cm), as the GeoJSON
// writer does, so that WKT stays short.
func roundGeometry(g orb.Geometry) orb.Geometry {
	r := func(p orb.Point) orb.Point { return orb.Point{round7(p[0]), round7(p[1])} }
	ring := func(rs orb.Ring) orb.Ring {
		out := make(orb.Ring, len(rs))
		for i, p := range rs {
			out[i] = r(p)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return r(g)
	case orb.MultiPoint:
		out := make(orb.MultiPoint, len(g))
		for i, p := range g {
			out[i] = r(p)
		}
		return out
	case orb.LineString:
		return orb.LineString(ring(orb.Ring(g)))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = orb.LineString(ring(orb.Ring(l)))
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, rr := range g {
			out[i] = ring(rr)
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = roundGeometry(p).(orb.Polygon)
		}
		return out
	}
	return g
}
