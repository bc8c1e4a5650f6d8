// Package geo is the geometry and geodesy of a study: distances on the WGS84
// ellipsoid, spatial indexes for points and polygons, representative points
// and map projections. Points are orb.Point values holding lon, lat in degrees.
package geo

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/geodesic"
)

// WGS84 semi-major axis (m) and flattening. JGD2000/JGD2011 use GRS80, whose
// flattening differs from WGS84's by 1e-11: far below a millimetre here.
const (
	SemiMajorAxis = 6378137.0
	Flattening    = 1 / 298.257223563
)

// Distance is the geodesic distance in metres between a and b on the WGS84
// ellipsoid (Karney's algorithm, accurate to a few nanometres).
func Distance(a, b orb.Point) float64 {
	var s12 float64
	geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0], &s12, nil, nil)
	return s12
}

// Inverse solves the inverse geodesic problem from a to b on WGS84: the
// distance in metres and the forward azimuths in degrees at a and at b.
func Inverse(a, b orb.Point) (dist, azi1, azi2 float64) {
	geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0], &dist, &azi1, &azi2)
	return dist, azi1, azi2
}

// Destination is the point reached from p after dist metres along the
// geodesic that starts with azimuth azi (degrees clockwise from north).
func Destination(p orb.Point, azi, dist float64) orb.Point {
	var lat, lon float64
	geodesic.WGS84.Direct(p[1], p[0], azi, dist, &lat, &lon, nil)
	return orb.Point{lon, lat}
}
