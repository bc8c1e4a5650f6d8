package data

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
)

// crsInfo describes the coordinate reference system of an input file, named
// in a legacy GeoJSON "crs" member, a Shapefile .prj, a GeoPackage srs or
// --crs.
type crsInfo struct {
	name string // e.g. "EPSG:6670 (JGD2011 / Japan Plane Rectangular CS II)"
	// projected is set for coordinates in metres that cannot be converted:
	// loading them is an error.
	projected bool
	known     bool
	// oldDatum is set for the Tokyo datum, ~400 m off WGS84 in Kumamoto.
	oldDatum bool
	// toLonLat converts the file's coordinates to WGS84 longitude/latitude;
	// nil when they already are (WGS84, JGD2000, JGD2011 geographic, which
	// agree to well under a metre).
	toLonLat func(orb.Point) orb.Point
	// approx says how far toLonLat may be off, for a warning; "" when exact.
	approx string
	// problem says why the coordinates cannot be read in this CRS and what
	// to do; loading them is an error unless --crs overrides the CRS.
	problem string
	// undefined is set for a file that says it has no CRS (a GeoPackage
	// srs_id 0 or -1): its coordinates are read as they are.
	undefined bool
}

// converts reports whether the CRS needs its coordinates converted.
func (c crsInfo) converts() bool { return c.toLonLat != nil }

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"}

// tokyoApprox is the accuracy of the Tokyo datum shift, for warnings.
const tokyoApprox = "converted from the Tokyo datum with the 3-parameter shift (-146.414, 507.337, 680.507 m), accurate to a few metres; for survey accuracy convert with the TKY2JGD grid (e.g. ogr2ogr -t_srs EPSG:6668) first"

// lookupCRS interprets a CRS name as GDAL's SetFromUserInput and
// importFromURN read the legacy GeoJSON crs member: "EPSG:6670",
// "urn:ogc:def:crs:EPSG::6670", "http://www.opengis.net/def/crs/EPSG/0/6670",
// "urn:ogc:def:crs:OGC:1.3:CRS84", a bare code "6670", or a WKT
// definition. A name it cannot resolve, or an EPSG code the loader does not
// convert, gives a crsInfo with a problem.
func lookupCRS(name string) crsInfo {
	s := strings.TrimSpace(name)
	up := strings.ToUpper(s)
	if strings.HasSuffix(up, "CRS84") || strings.HasSuffix(up, "CRS:84") {
		return crsInfo{name: "OGC:CRS84 (WGS 84 longitude/latitude)", known: true}
	}
	if strings.HasPrefix(up, "GEOGCS[") || strings.HasPrefix(up, "PROJCS[") || strings.HasPrefix(up, "GEOGCRS[") || strings.HasPrefix(up, "PROJCRS[") ||
		strings.HasPrefix(up, "GEODCRS[") || strings.HasPrefix(up, "COMPD_CS[") || strings.HasPrefix(up, "LOCAL_CS[") {
		return crsFromWKT(s)
	}
	if m := epsgName.FindStringSubmatch(s); m != nil {
		for _, g := range m[1:] {
			if code, err := strconv.Atoi(g); err == nil {
				return epsgCode(code)
			}
		}
	}
	return crsInfo{name: clip(s, 60), problem: fmt.Sprintf("the CRS %q is not one this loader can resolve; %s", clip(s, 60), crsAdvice)}
}

// epsgName matches the spellings of an EPSG code: "EPSG:6670",
// "urn:ogc:def:crs:EPSG::6670", "urn:ogc:def:crs:EPSG:6.3:6670",
// "http://www.opengis.net/def/crs/EPSG/0/6670",
// "http://spatialreference.org/ref/epsg/6670/" (and its pages),
// "https://epsg.io/6670" or just "6670".
var epsgName = regexp.MustCompile(`(?i)^(?:(?:urn:(?:x-)?ogc:def:crs:)?epsg:(?:[0-9.]*:)?([0-9]+)|https?://(?:www\.)?opengis\.net/def/crs/epsg/[^/]*/([0-9]+)/?|https?://(?:www\.)?spatialreference\.org/ref/epsg/([0-9]+)(?:/[a-z0-9_.]*)*/?|https?://epsg\.io/([0-9]+)(?:\.[a-z0-9]+)?/?|([0-9]+))$`)

// crsAdvice says what to do with a CRS the loader cannot use.
const crsAdvice = "convert the file to longitude/latitude (e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson), or give the CRS of its coordinates with --crs LAYER=EPSG:NNNN (EPSG:4326 if they are WGS 84 longitude/latitude already)"

// epsgCode describes an EPSG code named in a file: one the loader does not
// convert is a problem.
func epsgCode(code int) crsInfo {
	c := epsgCRS(code)
	if !c.known {
		c.problem = fmt.Sprintf("EPSG:%d is not a CRS this loader converts; %s", code, crsAdvice)
	}
	return c
}

// epsgCRS describes an EPSG code, with its conversion when we have one.
func epsgCRS(code int) crsInfo {
	c := crsInfo{name: fmt.Sprintf("EPSG:%d", code), known: true}
	describe := func(s string) { c.name += " (" + s + ")" }
	tm := func(t geo.TransverseMercator) { c.toLonLat = t.Inverse }
	utm := func(zone int, south bool) geo.TransverseMercator {
		t := geo.TransverseMercator{Lon0: float64(zone*6 - 183), K0: 0.9996, FalseEasting: 500000}
		if south {
			t.FalseNorthing = 10000000
		}
		return t
	}
	switch {
	case code == 4326:
		describe("WGS 84")
	case code == 4612:
		describe("JGD2000")
	case code == 6668:
		describe("JGD2011")
	case code == 4301:
		describe("Tokyo datum")
		c.oldDatum = true
		c.toLonLat = tokyoToWGS84
		c.approx = tokyoApprox
	case code >= 6669 && code <= 6687:
		describe("JGD2011 / Japan Plane Rectangular CS " + romans[code-6669])
		z, _ := geo.JapanPlaneRectangular(code - 6668)
		tm(z)
	case code >= 2443 && code <= 2461:
		describe("JGD2000 / Japan Plane Rectangular CS " + romans[code-2443])
		z, _ := geo.JapanPlaneRectangular(code - 2442)
		tm(z)
	case code >= 30161 && code <= 30179:
		describe("Tokyo / Japan Plane Rectangular CS " + romans[code-30161])
		c.oldDatum = true
		c.projected = true // on the Bessel ellipsoid: refused, see projectedAdvice
	case code >= 6688 && code <= 6692:
		describe(fmt.Sprintf("JGD2011 / UTM zone %dN", code-6688+51))
		tm(utm(code-6688+51, false))
	case code >= 3097 && code <= 3101:
		describe(fmt.Sprintf("JGD2000 / UTM zone %dN", code-3097+51))
		tm(utm(code-3097+51, false))
	case code >= 32601 && code <= 32660:
		describe(fmt.Sprintf("WGS 84 / UTM zone %dN", code-32600))
		tm(utm(code-32600, false))
	case code >= 32701 && code <= 32760:
		describe(fmt.Sprintf("WGS 84 / UTM zone %dS", code-32700))
		tm(utm(code-32700, true))
	case code == 3857 || code == 900913:
		describe("WGS 84 / Pseudo-Mercator")
		c.toLonLat = webMercatorInverse
	default:
		c.known = false
	}
	return c
}

// ParseCRS checks a --crs value: "EPSG:NNNN" (or just the number) for a CRS
// the loader can read.
func ParseCRS(s string) error {
	_, err := parseCRSOverride(s)
	return err
}

// parseCRSOverride reads the CRS a user gave with --crs.
func parseCRSOverride(s string) (crsInfo, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "EPSG:")
	code, err := strconv.Atoi(t)
	if err != nil {
		return crsInfo{}, fmt.Errorf("crs %q: want EPSG:NNNN, e.g. EPSG:6670 (JGD2011 plane rectangular zone II) or EPSG:4326", s)
	}
	c := epsgCRS(code)
	if !c.known {
		return crsInfo{}, fmt.Errorf("crs %q: EPSG:%d is not supported; supported are EPSG:4326, 4612, 6668 (geographic), 6669–6687 and 2443–2461 (plane rectangular I–XIX), 6688–6692, 3097–3101, 326xx, 327xx (UTM), 3857 and 4301 (Tokyo, converted to a few metres)", s, code)
	}
	if c.projected {
		return crsInfo{}, fmt.Errorf("crs %q: %s", s, projectedAdvice(c))
	}
	return c, nil
}

// projectedAdvice explains why coordinates in c cannot be read.
func projectedAdvice(c crsInfo) string {
	if c.oldDatum {
		return fmt.Sprintf("%s is plane rectangular on the old Tokyo datum (Bessel ellipsoid), which is about 400 m off and is not converted here — convert it with the TKY2JGD grid, e.g. ogr2ogr -t_srs EPSG:6670 out.gpkg in.shp", c.name)
	}
	return fmt.Sprintf("%s is a projected CRS that is not converted here — %s", c.name, reprojectAdvice)
}

// tokyoToWGS84 shifts a Tokyo datum longitude/latitude (Bessel 1841) to
// WGS84/JGD2011 through geocentric coordinates with the standard
// 3-parameter shift; heights are taken as zero. The result is within a few
// metres of the official TKY2JGD grid in Kyushu.
func tokyoToWGS84(p orb.Point) orb.Point {
	const (
		besselA = 6377397.155
		besselF = 1 / 299.152813
		dx, dy  = -146.414, 507.337
		dz      = 680.507
	)
	x, y, z := toECEF(p, besselA, besselF)
	return fromECEF(x+dx, y+dy, z+dz, geo.SemiMajorAxis, 1/298.257222101)
}

// toECEF converts lon/lat degrees at height 0 to geocentric metres.
func toECEF(p orb.Point, a, f float64) (x, y, z float64) {
	e2 := f * (2 - f)
	lam, phi := p[0]*math.Pi/180, p[1]*math.Pi/180
	sp, cp := math.Sincos(phi)
	n := a / math.Sqrt(1-e2*sp*sp)
	return n * cp * math.Cos(lam), n * cp * math.Sin(lam), n * (1 - e2) * sp
}

// fromECEF converts geocentric metres to lon/lat degrees by iteration
// (converges to below 1e-12 rad in a few steps near the surface).
func fromECEF(x, y, z, a, f float64) orb.Point {
	e2 := f * (2 - f)
	lam := math.Atan2(y, x)
	r := math.Hypot(x, y)
	phi := math.Atan2(z, r*(1-e2))
	for range 8 {
		sp := math.Sin(phi)
		n := a / math.Sqrt(1-e2*sp*sp)
		h := r/math.Cos(phi) - n
		next := math.Atan2(z, r*(1-e2*n/(n+h)))
		if math.Abs(next-phi) < 1e-14 {
			phi = next
			break
		}
		phi = next
	}
	return orb.Point{lam * 180 / math.Pi, phi * 180 / math.Pi}
}

// webMercatorInverse maps EPSG:3857 metres to lon/lat degrees.
func webMercatorInverse(p orb.Point) orb.Point {
	const r = 6378137.0
	return orb.Point{p[0] / r * 180 / math.Pi, math.Atan(math.Sinh(p[1]/r)) * 180 / math.Pi}
}

// wktNode is one KEYWORD[...] of a WKT CRS definition; args holds strings,
// numbers (as float64) and nested nodes.
type wktNode struct {
	key  string
	args []any
}

// maxWKTDepth bounds the nesting of a WKT definition (real ones have < 10).
const maxWKTDepth = 32

// parseWKT parses WKT 1 (OGC or ESRI) or WKT 2 CRS text.
func parseWKT(s string) (*wktNode, error) {
	p := &wktParser{s: s}
	n, err := p.node(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, fmt.Errorf("unexpected text after the definition at offset %d", p.i)
	}
	return n, nil
}

type wktParser struct {
	s string
	i int
}

func (p *wktParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *wktParser) node(depth int) (*wktNode, error) {
	if depth > maxWKTDepth {
		return nil, fmt.Errorf("nested too deeply")
	}
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		p.i++
	}
	if p.i == start {
		return nil, fmt.Errorf("expected a keyword at offset %d", p.i)
	}
	n := &wktNode{key: strings.ToUpper(p.s[start:p.i])}
	p.space()
	if p.i >= len(p.s) || (p.s[p.i] != '[' && p.s[p.i] != '(') {
		return n, nil // a bare keyword such as an axis direction
	}
	closer := byte(']')
	if p.s[p.i] == '(' {
		closer = ')'
	}
	p.i++
	for {
		p.space()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("unclosed %s[", n.key)
		}
		switch c := p.s[p.i]; {
		case c == '"':
			var b strings.Builder
			p.i++
			for {
				if p.i >= len(p.s) {
					return nil, fmt.Errorf("unclosed string in %s", n.key)
				}
				if p.s[p.i] == '"' {
					if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
						b.WriteByte('"')
						p.i += 2
						continue
					}
					p.i++
					break
				}
				b.WriteByte(p.s[p.i])
				p.i++
			}
			n.args = append(n.args, b.String())
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			start := p.i
			for p.i < len(p.s) && strings.ContainsRune("+-.0123456789eE", rune(p.s[p.i])) {
				p.i++
			}
			v, err := strconv.ParseFloat(p.s[start:p.i], 64)
			if err != nil {
				return nil, fmt.Errorf("bad number %q in %s", p.s[start:p.i], n.key)
			}
			n.args = append(n.args, v)
		default:
			child, err := p.node(depth + 1)
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, child)
		}
		p.space()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("unclosed %s[", n.key)
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == closer {
			p.i++
			return n, nil
		}
		return nil, fmt.Errorf("expected ',' or '%c' at offset %d in %s", closer, p.i, n.key)
	}
}

// name is the first string argument of n.
func (n *wktNode) name() string {
	if len(n.args) > 0 {
		if s, ok := n.args[0].(string); ok {
			return s
		}
	}
	return ""
}

// child returns the first direct child with one of keys.
func (n *wktNode) child(keys ...string) *wktNode {
	for _, a := range n.args {
		if c, ok := a.(*wktNode); ok {
			for _, k := range keys {
				if c.key == k {
					return c
				}
			}
		}
	}
	return nil
}

// find returns the first node with one of keys, searching depth first.
func (n *wktNode) find(keys ...string) *wktNode {
	if c := n.child(keys...); c != nil {
		return c
	}
	for _, a := range n.args {
		if c, ok := a.(*wktNode); ok {
			if f := c.find(keys...); f != nil {
				return f
			}
		}
	}
	return nil
}

// number returns the i-th numeric argument of n.
func (n *wktNode) number(i int) (float64, bool) {
	for _, a := range n.args {
		if v, ok := a.(float64); ok {
			if i == 0 {
				return v, true
			}
			i--
		}
	}
	return 0, false
}

// epsgCode returns the EPSG code in a direct AUTHORITY["EPSG","6670"] or
// ID["EPSG",6670] child of n, or 0.
func (n *wktNode) epsgCode() int {
	a := n.child("AUTHORITY", "ID")
	if a == nil || len(a.args) < 2 {
		return 0
	}
	if s, ok := a.args[0].(string); !ok || !strings.EqualFold(s, "EPSG") {
		return 0
	}
	switch v := a.args[1].(type) {
	case string:
		code, _ := strconv.Atoi(v)
		return code
	case float64:
		return int(v)
	}
	return 0
}

// crsFromWKT identifies the CRS of a .prj file or a GeoPackage srs
// definition: by its EPSG code when it has one, else by its datum and, for a
// transverse Mercator projection, its parameters.
func crsFromWKT(text string) crsInfo {
	text = strings.TrimSpace(strings.TrimPrefix(text, "\ufeff"))
	root, err := parseWKT(text)
	if err != nil {
		return crsInfo{name: "unreadable CRS definition (" + err.Error() + ")"}
	}
	if root.key == "COMPD_CS" || root.key == "COMPOUNDCRS" {
		if h := root.child("PROJCS", "PROJCRS", "GEOGCS", "GEOGCRS", "GEODCRS"); h != nil {
			root = h
		}
	}
	if code := root.epsgCode(); code != 0 {
		if c := epsgCRS(code); c.known {
			return c
		}
	}
	label := root.name()
	datum := ""
	if d := root.find("DATUM", "GEODETICDATUM", "TRF"); d != nil {
		datum = strings.ToUpper(d.name())
	}
	ellipsoid := ""
	if e := root.find("SPHEROID", "ELLIPSOID"); e != nil {
		ellipsoid = strings.ToUpper(e.name())
	}
	tokyo := strings.Contains(datum, "TOKYO") || strings.Contains(ellipsoid, "BESSEL")
	onJGD := strings.Contains(datum, "JGD") || strings.Contains(datum, "JAPANESE_GEODETIC_DATUM") || strings.Contains(datum, "JAPANESE GEODETIC DATUM")
	onWGS := strings.Contains(datum, "WGS") || strings.Contains(datum, "WORLD_GEODETIC") || strings.Contains(datum, "WORLD GEODETIC")
	grs := strings.Contains(ellipsoid, "GRS") || strings.Contains(ellipsoid, "WGS")
	switch root.key {
	case "GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS":
		var c crsInfo
		switch {
		case tokyo:
			c = epsgCRS(4301)
			c.name = label + " (Tokyo datum)"
		case onJGD || onWGS || grs:
			c = crsInfo{name: label, known: true}
		default:
			return crsInfo{name: label, problem: fmt.Sprintf("%s is on the datum %s (ellipsoid %s), which this loader does not convert; %s",
				label, orUnknown(datum), orUnknown(ellipsoid), crsAdvice)}
		}
		unit, pm, msg := angles(root)
		if msg != "" {
			return crsInfo{name: label, problem: fmt.Sprintf("%s: %s; %s", label, msg, crsAdvice)}
		}
		if unit != 1 || pm != 0 {
			// Degrees from Greenwich, then the datum's conversion.
			inner := c.toLonLat
			c.toLonLat = func(p orb.Point) orb.Point {
				q := orb.Point{p[0]*unit + pm, p[1] * unit}
				if inner != nil {
					return inner(q)
				}
				return q
			}
			c.known = true
			c.name += fmt.Sprintf(" (units of %g°, prime meridian %g° east of Greenwich)", unit, pm)
		}
		return c
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		if unit, pm, msg := angles(root); msg != "" || unit != 1 || pm != 0 {
			return crsInfo{name: label, problem: fmt.Sprintf("%s is projected from a base CRS with a prime meridian other than Greenwich or angles in other units than degrees, which this loader does not convert; %s", label, crsAdvice)}
		}
	case "LOCAL_CS", "ENGCRS", "ENGINEERINGCRS":
		return crsInfo{name: label, problem: fmt.Sprintf("%s is a local (engineering) CRS, not placed on the Earth, so its coordinates cannot be converted to longitude/latitude; if you know their real CRS, give it with --crs LAYER=EPSG:NNNN", label)}
	default:
		return crsInfo{name: label, problem: fmt.Sprintf("%s is a %s, not a CRS this loader reads; %s", label, root.key, crsAdvice)}
	}
	// A projected CRS: read a transverse Mercator from its parameters.
	method := ""
	if m := root.find("PROJECTION", "METHOD"); m != nil {
		method = strings.ToUpper(m.name())
	}
	c := crsInfo{name: label, projected: true}
	if tokyo {
		c.oldDatum = true
		c.name += " (Tokyo datum)"
		return c
	}
	if !strings.Contains(method, "TRANSVERSE") || !(onJGD || onWGS || grs) {
		return c
	}
	params := map[string]float64{}
	var walk func(n *wktNode)
	walk = func(n *wktNode) {
		for _, a := range n.args {
			if ch, ok := a.(*wktNode); ok {
				if ch.key == "PARAMETER" {
					if v, ok := ch.number(0); ok {
						params[strings.ReplaceAll(strings.ToLower(ch.name()), " ", "_")] = v
					}
				} else if ch.key != "GEOGCS" && ch.key != "BASEGEOGCRS" && ch.key != "BASEGEODCRS" {
					walk(ch)
				}
			}
		}
	}
	walk(root)
	get := func(def float64, names ...string) float64 {
		for _, n := range names {
			if v, ok := params[n]; ok {
				return v
			}
		}
		return def
	}
	tm := geo.TransverseMercator{
		Lat0:          get(0, "latitude_of_origin", "latitude_of_natural_origin"),
		Lon0:          get(math.NaN(), "central_meridian", "longitude_of_natural_origin", "longitude_of_origin"),
		K0:            get(1, "scale_factor", "scale_factor_at_natural_origin"),
		FalseEasting:  get(0, "false_easting"),
		FalseNorthing: get(0, "false_northing"),
	}
	unit := 1.0
	if u := root.child("UNIT", "LENGTHUNIT"); u != nil {
		unit, _ = u.number(0)
	} else if cs := root.child("CS"); cs != nil {
		unit = 1
	}
	if math.IsNaN(tm.Lon0) || unit != 1 || tm.K0 <= 0 {
		if unit != 1 {
			c.name += fmt.Sprintf(" (units of %g m, not metres)", unit)
		}
		return c
	}
	c.projected, c.known = false, true
	c.toLonLat = tm.Inverse
	for z := 1; z <= 19; z++ {
		if pr, _ := geo.JapanPlaneRectangular(z); pr == tm {
			c.name += " (Japan Plane Rectangular CS " + romans[z-1] + ")"
		}
	}
	return c
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// knownMeridians are the prime meridians of the EPSG registry, in degrees
// east of Greenwich.
var knownMeridians = map[string]float64{
	"GREENWICH": 0, "PARIS": 2.33722917, "BERN": 7.439583333, "MADRID": -3.687938889, "ROME": 12.45233333,
	"BOGOTA": -74.08091667, "LISBON": -9.131906111, "FERRO": -17.66666667, "BRUSSELS": 4.367975, "STOCKHOLM": 18.05827778,
	"ATHENS": 23.7163375, "OSLO": 10.72291667, "JAKARTA": 106.8077194, "PARIS_RGS": 2.337208333,
}

// angles reads the angular unit of a geographic CRS (in degrees per unit)
// and its prime meridian (in degrees east of Greenwich). WKT 1 gives the
// prime meridian in the CRS's unit, except the Paris meridian written in
// degrees beside a unit of grads (as PROJ reads it); WKT 2 gives it a unit
// of its own. msg says why they cannot be read.
func angles(root *wktNode) (unit, pm float64, msg string) {
	geog := root
	if g := root.find("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS"); g != nil && root.key != "GEOGCS" && root.key != "GEOGCRS" && root.key != "GEODCRS" && root.key != "GEOGRAPHICCRS" {
		geog = g
	}
	unit = 1
	var u *wktNode
	if u = geog.child("UNIT", "ANGLEUNIT"); u == nil {
		if cs := geog.child("CS"); cs != nil || geog.child("AXIS") != nil {
			for _, a := range geog.args {
				if ax, ok := a.(*wktNode); ok && ax.key == "AXIS" {
					if u = ax.child("ANGLEUNIT", "UNIT"); u != nil {
						break
					}
				}
			}
		}
	}
	if u != nil {
		rad, ok := u.number(0)
		if !ok || rad <= 0 || math.IsInf(rad, 0) {
			return 0, 0, fmt.Sprintf("its angular unit %q has no usable size", clip(u.name(), 20))
		}
		if unit = rad * 180 / math.Pi; math.Abs(unit-1) < 1e-9 {
			unit = 1
		}
	}
	p := geog.child("PRIMEM", "PRIMEMERIDIAN")
	if p == nil {
		return unit, 0, ""
	}
	v, ok := p.number(0)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, 0, fmt.Sprintf("its prime meridian %q has no longitude", clip(p.name(), 20))
	}
	name := strings.ToUpper(strings.ReplaceAll(p.name(), " ", "_"))
	switch pu := p.child("ANGLEUNIT", "UNIT"); {
	case pu != nil:
		rad, ok := pu.number(0)
		if !ok || rad <= 0 || math.IsInf(rad, 0) {
			return 0, 0, fmt.Sprintf("the unit of its prime meridian %q has no usable size", clip(p.name(), 20))
		}
		pm = v * rad * 180 / math.Pi
	case name == "PARIS" && math.Abs(v-2.33722917) < 1e-8:
		pm = 2.33722917 // written in degrees whatever the unit
	default:
		pm = v * unit
	}
	if want, ok := knownMeridians[name]; ok && math.Abs(pm-want) > 1e-6 {
		return 0, 0, fmt.Sprintf("its prime meridian %s is given as %g°, not the %g° east of Greenwich it is", p.name(), pm, want)
	}
	if math.Abs(pm) < 1e-12 {
		pm = 0
	}
	return unit, pm, ""
}
