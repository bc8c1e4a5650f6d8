// Package lonlat holds the geometry helpers that the writers (render/vector
// and its GeoPackage writer), the drawing (render/draw) and the converters
// (render) share: walking every position of a geometry and checking that
// positions are longitude/latitude degrees.
package lonlat

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ForEachPosition calls f for every position of g, rings and parts
// included. A Ring is walked as it is; a Bound as the ring of its
// polygon (orb.Bound.ToPolygon). A Collection and unknown types are not
// walked.
func ForEachPosition(g orb.Geometry, f func(p orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		f(g)
	case orb.MultiPoint:
		for _, p := range g {
			f(p)
		}
	case orb.LineString:
		for _, p := range g {
			f(p)
		}
	case orb.MultiLineString:
		for _, l := range g {
			for _, p := range l {
				f(p)
			}
		}
	case orb.Ring:
		for _, p := range g {
			f(p)
		}
	case orb.Bound:
		ForEachPosition(g.ToPolygon(), f)
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				f(p)
			}
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			for _, r := range poly {
				for _, p := range r {
					f(p)
				}
			}
		}
	}
}

// CheckPosition reports an error when p is not a longitude/latitude
// position in degrees (NaN, or out of range: projected coordinates passed
// by mistake).
func CheckPosition(p orb.Point) error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return fmt.Errorf("coordinate (%g, %g) is not a lon/lat position in degrees (projected or missing coordinates?)", lon, lat)
	}
	return nil
}

// CheckGeometry is CheckPosition for every position of g: the first error.
func CheckGeometry(g orb.Geometry) error {
	var err error
	ForEachPosition(g, func(p orb.Point) {
		if err == nil {
			err = CheckPosition(p)
		}
	})
	return err
}
