package data

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// coordProblem classifies a position given as longitude x, latitude y.
type coordProblem int

const (
	coordOK         coordProblem = iota
	coordNotFinite               // NaN or ±Inf
	coordProjected               // values far beyond degrees: metres of a projected CRS
	coordSwapped                 // latitude out of range but fine as a longitude, and vice versa
	coordOutOfRange              // latitude beyond ±90 or longitude beyond ±180
)

// classify checks that x, y are a longitude and a latitude in degrees.
func classify(x, y float64) coordProblem {
	switch {
	case math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0):
		return coordNotFinite
	case math.Abs(x) <= 180 && math.Abs(y) <= 90:
		return coordOK
	case math.Abs(x) > 360 || math.Abs(y) > 360:
		return coordProjected
	case math.Abs(y) > 90 && math.Abs(y) <= 180 && math.Abs(x) <= 90:
		return coordSwapped
	default:
		return coordOutOfRange
	}
}

// reprojectAdvice is the advice for a file in a projected CRS the loader
// does not convert.
const reprojectAdvice = "reproject to EPSG:4326 (longitude/latitude in degrees), e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"

// metresAdvice is the advice for coordinates in metres in a file that does
// not say they are: its CRS must be given, since GDAL cannot convert what
// it does not know either.
func metresAdvice(layer Layer) string {
	s := "give the CRS they are in"
	if layer != "" && layer != LayerPopulation {
		s += fmt.Sprintf(" with --crs %s=EPSG:NNNN (e.g. EPSG:6670), or", layer)
	}
	return s + " convert the file to longitude/latitude: ogr2ogr -s_srs EPSG:NNNN -t_srs EPSG:4326 out.geojson in.geojson"
}

// positionMessage explains a bad position of layer ("" when unknown), or
// returns "".
func positionMessage(p orb.Point, layer Layer) string {
	x, y := p[0], p[1]
	switch classify(x, y) {
	case coordNotFinite:
		return fmt.Sprintf("position [%v, %v] is not a finite number; give longitude and latitude in degrees", x, y)
	case coordProjected:
		return fmt.Sprintf("position [%v, %v] is not in degrees: it looks like projected coordinates in metres (e.g. JGD2011 plane rectangular EPSG:6670) — %s", x, y, metresAdvice(layer))
	case coordSwapped:
		return fmt.Sprintf("position [%v, %v]: latitude %v is out of range; latitude and longitude look swapped — GeoJSON positions are [longitude, latitude]: swap them", x, y, y)
	case coordOutOfRange:
		return fmt.Sprintf("position [%v, %v] is out of range: longitude must be within ±180 and latitude within ±90 degrees", x, y)
	}
	return ""
}

// ringLabel names ring j of polygon i for messages.
func ringLabel(i, j int, multi bool) string {
	s := "outer ring"
	if j > 0 {
		s = fmt.Sprintf("ring %d (a hole)", j)
	}
	if multi {
		s += fmt.Sprintf(" of polygon %d", i)
	}
	return s
}

// checkRings checks the structure and coordinates of polygons: every ring
// has at least 4 positions, is closed and holds degrees. It returns the
// first problem found, or "".
func checkRings(mp orb.MultiPolygon, multi bool, layer Layer) string {
	if len(mp) == 0 {
		return "the geometry is empty (no polygons); give at least one ring"
	}
	for i, poly := range mp {
		if len(poly) == 0 {
			return fmt.Sprintf("polygon %d is empty (no rings); remove it or give its outer ring", i)
		}
		for j, ring := range poly {
			label := ringLabel(i, j, multi)
			if len(ring) == 0 {
				return label + " is empty; a ring needs at least 4 positions (the last repeats the first)"
			}
			for _, p := range ring {
				if msg := positionMessage(p, layer); msg != "" {
					return label + ": " + msg
				}
			}
			if len(ring) < 4 {
				return fmt.Sprintf("%s has %d positions; a ring needs at least 4 (the last repeats the first)", label, len(ring))
			}
			if ring[0] != ring[len(ring)-1] {
				return fmt.Sprintf("%s is not closed: the first position %v differs from the last %v — repeat the first position at the end", label, fmtPoint(ring[0]), fmtPoint(ring[len(ring)-1]))
			}
		}
	}
	return ""
}

func fmtPoint(p orb.Point) string {
	return fmt.Sprintf("[%v, %v]", p[0], p[1])
}

// toGeom converts polygons to a simplefeatures geometry without validating.
func toGeom(mp orb.MultiPolygon) geom.MultiPolygon {
	polys := make([]geom.Polygon, len(mp))
	for i, poly := range mp {
		polys[i] = toGeomPolygon(poly)
	}
	return geom.NewMultiPolygon(polys)
}

func toGeomPolygon(poly orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, len(poly))
	for j, ring := range poly {
		xy := make([]float64, 0, 2*len(ring))
		for _, p := range ring {
			xy = append(xy, p[0], p[1])
		}
		rings[j] = geom.NewLineString(geom.NewSequence(xy, geom.DimXY))
	}
	return geom.NewPolygon(rings)
}

// fromGeom converts a polygonal simplefeatures geometry to polygons.
func fromGeom(g geom.Geometry) (orb.MultiPolygon, bool) {
	var polys []geom.Polygon
	switch {
	case g.IsPolygon():
		polys = []geom.Polygon{g.MustAsPolygon()}
	case g.IsMultiPolygon():
		polys = g.MustAsMultiPolygon().Dump()
	default:
		return nil, false
	}
	var mp orb.MultiPolygon
	for _, p := range polys {
		if p.IsEmpty() {
			continue
		}
		var op orb.Polygon
		for _, seq := range p.Coordinates() {
			ring := make(orb.Ring, seq.Length())
			for k := range ring {
				xy := seq.GetXY(k)
				ring[k] = orb.Point{xy.X, xy.Y}
			}
			op = append(op, ring)
		}
		mp = append(mp, op)
	}
	return mp, len(mp) > 0
}

// repairTolerance is the largest relative change of area a repair may make.
const repairTolerance = 0.01

// checkValidity checks that polygons with well-formed rings are valid (no
// self-intersection, holes inside, parts not overlapping). An invalid
// geometry is repaired when that is safe: the result is returned with a
// note for a warning. Otherwise an error message is returned.
func checkValidity(mp orb.MultiPolygon) (fixed orb.MultiPolygon, note, problem string) {
	verr := toGeom(mp).Validate()
	if verr == nil {
		return mp, "", ""
	}
	why := strings.TrimPrefix(verr.Error(), "validating multipolygon constraints: ")
	g, want, err := repair(mp)
	if err != nil {
		return nil, "", fmt.Sprintf("the polygon is invalid (%s) and cannot be repaired safely (%v) — fix it, e.g. in QGIS with Vector > Geometry Tools > Fix Geometries", why, err)
	}
	got := g.Area()
	change := math.Abs(got-want) / want
	if change > repairTolerance {
		return nil, "", fmt.Sprintf("the polygon is invalid (%s); repairing it would change its area by %.1f%% — fix it, e.g. in QGIS with Vector > Geometry Tools > Fix Geometries", why, 100*change)
	}
	out, ok := fromGeom(g)
	if !ok {
		return nil, "", fmt.Sprintf("the polygon is invalid (%s) and repairing it leaves no area — fix it, e.g. in QGIS with Vector > Geometry Tools > Fix Geometries", why)
	}
	return out, fmt.Sprintf("the polygon was invalid (%s) and was repaired into %s; %s; check it on a map", why, parts(out), asWritten(mp, got)), ""
}

// parts says how many polygons a repair made.
func parts(mp orb.MultiPolygon) string {
	if len(mp) == 1 {
		return "1 polygon"
	}
	return fmt.Sprintf("%d polygons", len(mp))
}

// asWritten compares the repaired area with the area of the rings as
// written by the shoelace formula, which is what GIS tools report for the
// invalid polygon (QGIS's $area): the lobes of a bow-tie count with
// opposite signs there.
func asWritten(mp orb.MultiPolygon, repaired float64) string {
	written := 0.0
	for _, poly := range mp {
		a := 0.0
		for j, ring := range poly {
			r := math.Abs(shoelace(ring)) / 2
			if j == 0 {
				a += r
			} else {
				a -= r
			}
		}
		written += a
	}
	if written < 1e-9*repaired {
		return "the rings as written enclose no area by the shoelace formula (their lobes cancel), so tools that measure the invalid polygon give 0"
	}
	return fmt.Sprintf("its area differs by %.1f%% from the rings' area as written (shoelace formula, what tools that measure the invalid polygon give)", 100*math.Abs(repaired-written)/written)
}

// repair rebuilds invalid polygons: every ring is cut at its
// self-intersections into simple loops, spikes and zero-area loops are
// dropped, outer loops are unioned and hole loops subtracted. It returns the
// result and the area the input encloses when read loop by loop; the two
// differ when loops overlap, which means the input is ambiguous.
func repair(mp orb.MultiPolygon) (geom.Geometry, float64, error) {
	var parts []geom.Geometry
	want := 0.0
	for _, poly := range mp {
		var shells, holes []geom.Geometry
		for j, ring := range poly {
			for _, loop := range splitLoops(ring) {
				p := toGeomPolygon(orb.Polygon{loop})
				if err := p.Validate(); err != nil {
					return geom.Geometry{}, 0, fmt.Errorf("a piece is still invalid: %v", err)
				}
				if j == 0 {
					shells = append(shells, p.AsGeometry())
					want += p.Area()
				} else {
					holes = append(holes, p.AsGeometry())
					want -= p.Area()
				}
			}
		}
		if len(shells) == 0 {
			continue
		}
		shell, err := geom.UnionMany(shells)
		if err != nil {
			return geom.Geometry{}, 0, err
		}
		if len(holes) > 0 {
			hole, err := geom.UnionMany(holes)
			if err != nil {
				return geom.Geometry{}, 0, err
			}
			if shell, err = geom.Difference(shell, hole); err != nil {
				return geom.Geometry{}, 0, err
			}
		}
		parts = append(parts, shell)
	}
	if len(parts) == 0 || want <= 0 {
		return geom.Geometry{}, 0, fmt.Errorf("no area is left")
	}
	g, err := geom.UnionMany(parts)
	if err != nil {
		return geom.Geometry{}, 0, err
	}
	if err := g.Validate(); err != nil {
		return geom.Geometry{}, 0, fmt.Errorf("the result is still invalid: %v", err)
	}
	return g, want, nil
}

// splitLoops cuts a closed ring at every point where it touches or crosses
// itself and returns the simple closed loops with non-zero area.
func splitLoops(ring orb.Ring) []orb.Ring {
	// Distinct consecutive vertices, without the closing repeat.
	var pts []orb.Point
	for _, p := range ring {
		if len(pts) == 0 || pts[len(pts)-1] != p {
			pts = append(pts, p)
		}
	}
	for len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	n := len(pts)
	if n < 3 {
		return nil
	}
	seg := func(i int) (orb.Point, orb.Point) { return pts[i], pts[(i+1)%n] }

	// Points to insert into each segment, with their parameter along it.
	type cut struct {
		t float64
		p orb.Point
	}
	cuts := make([][]cut, n)
	addCut := func(i int, p orb.Point) {
		a, b := seg(i)
		if p == a || p == b {
			return
		}
		cuts[i] = append(cuts[i], cut{param(a, b, p), p})
	}

	// Sweep over segments sorted by their smallest x.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	minX := func(i int) float64 { a, b := seg(i); return math.Min(a[0], b[0]) }
	maxX := func(i int) float64 { a, b := seg(i); return math.Max(a[0], b[0]) }
	sort.Slice(order, func(x, y int) bool { return minX(order[x]) < minX(order[y]) })
	for x, i := range order {
		for _, j := range order[x+1:] {
			if minX(j) > maxX(i) {
				break
			}
			a, b := seg(i)
			c, d := seg(j)
			d1, d2 := cross(c, d, a), cross(c, d, b)
			d3, d4 := cross(a, b, c), cross(a, b, d)
			if d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0 && (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0) {
				t := d1 / (d1 - d2)
				p := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
				addCut(i, p)
				addCut(j, p)
				continue
			}
			// Touches and collinear overlaps: an end of one segment on the other.
			if d1 == 0 && onSegment(c, d, a) {
				addCut(j, a)
			}
			if d2 == 0 && onSegment(c, d, b) {
				addCut(j, b)
			}
			if d3 == 0 && onSegment(a, b, c) {
				addCut(i, c)
			}
			if d4 == 0 && onSegment(a, b, d) {
				addCut(i, d)
			}
		}
	}

	// The noded ring, then loops popped off a path at each repeated vertex.
	var noded []orb.Point
	for i := range n {
		noded = append(noded, pts[i])
		sort.Slice(cuts[i], func(x, y int) bool { return cuts[i][x].t < cuts[i][y].t })
		for _, c := range cuts[i] {
			if noded[len(noded)-1] != c.p {
				noded = append(noded, c.p)
			}
		}
	}
	noded = append(noded, pts[0])
	var loops []orb.Ring
	var path []orb.Point
	at := map[orb.Point]int{}
	for _, p := range noded {
		k, seen := at[p]
		if !seen {
			at[p] = len(path)
			path = append(path, p)
			continue
		}
		loop := append(orb.Ring{}, path[k:]...)
		loop = append(loop, p)
		for _, q := range path[k+1:] {
			delete(at, q)
		}
		path = path[:k+1]
		if len(loop) >= 4 && ringArea(loop) != 0 {
			loops = append(loops, loop)
		}
	}
	return loops
}

// cross is the cross product (b-a)×(p-a): its sign says on which side of
// the line through a and b the point p lies.
func cross(a, b, p orb.Point) float64 {
	return (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
}

// onSegment reports whether p, collinear with a and b, lies between them.
func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// param is the position of p along a→b, 0 at a and 1 at b.
func param(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	return ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
}

// ringArea is the planar shoelace area of a closed ring, always ≥ 0.
func ringArea(r orb.Ring) float64 {
	s := 0.0
	for i := 1; i < len(r); i++ {
		s += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return math.Abs(s) / 2
}

// curveTypes are the geometry types with curved edges (ISO SQL/MM, JSON-FG).
var curveTypes = map[string]bool{"CircularString": true, "CompoundCurve": true, "CurvePolygon": true, "MultiCurve": true, "MultiSurface": true, "Curve": true, "Surface": true}

// curvesMessage says that a geometry of type kind has curves, which are not
// read, and how to linearise them.
func curvesMessage(kind string) string {
	return fmt.Sprintf("the geometry is a %s, with curved edges, which are not read; linearise the curves first, e.g. ogr2ogr -nlt CONVERT_TO_LINEAR out.gpkg in.gpkg", kind)
}
