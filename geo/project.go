package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// GRS80 flattening, the ellipsoid of JGD2000 and JGD2011. The projections use
// it; its semi-major axis is SemiMajorAxis. It differs from WGS84's
// flattening by 1.6e-11, which moves projected coordinates by under 0.1 mm.
const grs80Flattening = 1 / 298.257222101

// tmSeries holds the ellipsoid constants of the Krüger series, computed once.
type tmSeries struct {
	e     float64    // first eccentricity
	e2m   float64    // 1 - e²
	a     float64    // rectifying radius A
	alpha [7]float64 // forward coefficients α1..α6 (index 0 unused)
	beta  [7]float64 // inverse coefficients β1..β6 (index 0 unused)
}

var grs80TM = newTMSeries(SemiMajorAxis, grs80Flattening)

// newTMSeries evaluates the Krüger series to order n^6 (Karney 2011,
// "Transverse Mercator with an accuracy of a few nanometers", eqs. 14, 35, 36;
// the same series as the GSI formulas for Japan's plane rectangular systems).
func newTMSeries(a, f float64) tmSeries {
	n := f / (2 - f)
	n2 := n * n
	n3 := n2 * n
	n4 := n3 * n
	n5 := n4 * n
	n6 := n5 * n
	e2 := f * (2 - f)
	var s tmSeries
	s.e = math.Sqrt(e2)
	s.e2m = 1 - e2
	s.a = a / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	s.alpha = [7]float64{0,
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	s.beta = [7]float64{0,
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return s
}

// taup is the tangent of the conformal latitude for tau, the tangent of the
// geodetic latitude.
func (s *tmSeries) taup(tau float64) float64 {
	tau1 := math.Hypot(1, tau)
	sig := math.Sinh(s.e * math.Atanh(s.e*tau/tau1))
	return math.Hypot(1, sig)*tau - sig*tau1
}

// tau inverts taup by Newton's method (Karney 2011, eqs. 19–21).
func (s *tmSeries) tau(taup float64) float64 {
	const tol = 1.4901161193847656e-09 // sqrt(machine epsilon) / 10
	t := taup / s.e2m
	if !(math.Abs(t) < 1e8) {
		return t
	}
	stol := tol * math.Max(1, math.Abs(taup))
	for i := 0; i < 5; i++ {
		tp := s.taup(t)
		dt := (taup - tp) * (1 + s.e2m*t*t) / (s.e2m * math.Hypot(1, t) * math.Hypot(1, tp))
		t += dt
		if !(math.Abs(dt) >= stol) {
			break
		}
	}
	return t
}

// rectifying returns ξ for a point on the central meridian at latitude lat
// (degrees): the meridian distance from the equator divided by A.
func (s *tmSeries) rectifying(lat float64) float64 {
	xip := math.Atan(s.taup(math.Tan(lat * math.Pi / 180)))
	if math.Abs(lat) == 90 {
		xip = math.Copysign(math.Pi/2, lat)
	}
	xi := xip
	for j := 1; j <= 6; j++ {
		xi += s.alpha[j] * math.Sin(2*float64(j)*xip)
	}
	return xi
}

// TransverseMercator is a transverse Mercator projection on the GRS80
// ellipsoid (equal to WGS84 to 0.1 mm), evaluated with the Krüger series to
// order n^6: errors stay below 1 mm within 1,000 km of the central meridian.
// Lat0 and Lon0 are the origin in degrees, K0 the scale factor on the
// central meridian, and FalseEasting and FalseNorthing are added to the
// projected coordinates, in metres.
type TransverseMercator struct {
	Lat0, Lon0, K0, FalseEasting, FalseNorthing float64
}

// Forward projects p, given as {lon, lat} in degrees, to {easting, northing}
// in metres.
func (tm TransverseMercator) Forward(p orb.Point) orb.Point {
	s := &grs80TM
	lam := remainder360(p[0]-tm.Lon0) * math.Pi / 180
	phi := p[1] * math.Pi / 180
	var tp float64
	if math.Abs(p[1]) == 90 {
		tp = math.Copysign(math.Inf(1), p[1])
	} else {
		tp = s.taup(math.Tan(phi))
	}
	sl, cl := math.Sincos(lam)
	xip := math.Atan2(tp, cl)
	etap := math.Asinh(sl / math.Hypot(tp, cl))
	if math.IsInf(tp, 0) {
		xip, etap = math.Copysign(math.Pi/2, tp), 0
	}
	xi, eta := xip, etap
	for j := 1; j <= 6; j++ {
		k := 2 * float64(j)
		sx, cx := math.Sincos(k * xip)
		xi += s.alpha[j] * sx * math.Cosh(k*etap)
		eta += s.alpha[j] * cx * math.Sinh(k*etap)
	}
	ka := tm.K0 * s.a
	return orb.Point{
		tm.FalseEasting + ka*eta,
		tm.FalseNorthing + ka*(xi-s.rectifying(tm.Lat0)),
	}
}

// Inverse maps p, given as {easting, northing} in metres, back to
// {lon, lat} in degrees.
func (tm TransverseMercator) Inverse(p orb.Point) orb.Point {
	s := &grs80TM
	ka := tm.K0 * s.a
	xi := (p[1]-tm.FalseNorthing)/ka + s.rectifying(tm.Lat0)
	eta := (p[0] - tm.FalseEasting) / ka
	xip, etap := xi, eta
	for j := 1; j <= 6; j++ {
		k := 2 * float64(j)
		sx, cx := math.Sincos(k * xi)
		xip -= s.beta[j] * sx * math.Cosh(k*eta)
		etap -= s.beta[j] * cx * math.Sinh(k*eta)
	}
	sxip, cxip := math.Sincos(xip)
	shetap := math.Sinh(etap)
	// tan of the conformal latitude and the longitude from the meridian
	tp := sxip / math.Hypot(shetap, cxip)
	lam := math.Atan2(shetap, cxip)
	lat := math.Atan(s.tau(tp)) * 180 / math.Pi
	return orb.Point{remainder360(tm.Lon0 + lam*180/math.Pi), lat}
}

// remainder360 reduces x degrees to [-180, 180).
func remainder360(x float64) float64 {
	if x >= -180 && x < 180 {
		return x
	}
	x = math.Mod(x+180, 360)
	if x < 0 {
		x += 360
	}
	return x - 180
}

// planeRectangularOrigins are the origins {lat, lon} in degrees of zones I to
// XIX of Japan's plane rectangular coordinate systems (MLIT notice No. 9 of
// 2002, 平成14年国土交通省告示第9号).
var planeRectangularOrigins = [19][2]float64{
	{33, 129 + 30.0/60}, // I   長崎, 鹿児島 (part)
	{33, 131},           // II  福岡, 佐賀, 熊本, 大分, 宮崎, 鹿児島 (part)
	{36, 132 + 10.0/60}, // III
	{33, 133 + 30.0/60}, // IV
	{36, 134 + 20.0/60}, // V
	{36, 136},           // VI
	{36, 137 + 10.0/60}, // VII
	{36, 138 + 30.0/60}, // VIII
	{36, 139 + 50.0/60}, // IX
	{40, 140 + 50.0/60}, // X
	{44, 140 + 15.0/60}, // XI
	{44, 142 + 15.0/60}, // XII
	{44, 144 + 15.0/60}, // XIII
	{26, 142},           // XIV
	{26, 127 + 30.0/60}, // XV
	{26, 124},           // XVI
	{26, 131},           // XVII
	{20, 136},           // XVIII
	{26, 154},           // XIX
}

// JapanPlaneRectangular returns zone (1 to 19) of Japan's plane rectangular
// coordinate systems of JGD2011 and JGD2000 (平面直角座標系): a transverse
// Mercator with k0 = 0.9999 and no false origin. Forward gives {easting,
// northing}, that is {Y, X} in the Japanese survey convention. Kumamoto is in
// zone 2.
func JapanPlaneRectangular(zone int) (TransverseMercator, error) {
	if zone < 1 || zone > len(planeRectangularOrigins) {
		return TransverseMercator{}, fmt.Errorf("geo: plane rectangular zone %d does not exist (want 1 to 19)", zone)
	}
	o := planeRectangularOrigins[zone-1]
	return TransverseMercator{Lat0: o[0], Lon0: o[1], K0: 0.9999}, nil
}

// PlaneRectangularZoneForEPSG returns the plane rectangular zone of an EPSG
// projected CRS code: 6669–6687 (JGD2011 / Japan Plane Rectangular CS I–XIX)
// or 2443–2461 (JGD2000). ok is false for any other code.
func PlaneRectangularZoneForEPSG(code int) (zone int, ok bool) {
	switch {
	case code >= 6669 && code <= 6687:
		return code - 6668, true
	case code >= 2443 && code <= 2461:
		return code - 2442, true
	}
	return 0, false
}

// LocalProjection returns a transverse Mercator with scale 1 whose origin is
// the centre of b, for planar work (Voronoi diagrams, maps, areas) over a
// city or a prefecture. Scale error is below 1.3e-4 within 100 km of the
// centre's meridian.
func LocalProjection(b orb.Bound) TransverseMercator {
	c := b.Center()
	return TransverseMercator{Lat0: c[1], Lon0: c[0], K0: 1}
}
