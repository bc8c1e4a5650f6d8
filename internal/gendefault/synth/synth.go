// Package synth generates the synthetic demo layers of the embedded Kumamoto
// default: an approximate city boundary, school districts (校区), convenience
// stores and post offices. None of it is real data. The output depends only on
// the fixed seeds below, so it is the same on every run and machine.
package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/kumamoto-gis/catchment/geo"
)

// Targets of the generated layers.
const (
	DistrictCount   = 90
	StoreCount      = 260
	PostCount       = 60
	TotalPopulation = 738000
)

// centre is where the synthetic densities peak: the city centre near
// Kumamoto Castle and the Chuo ward office.
var centre = orb.Point{130.71, 32.80}

// boundaryRing is a coarse, hand-traced approximation (about 100 m) of
// Kumamoto City's outline, drawn from the outer edge of the N03 ward polygons
// (../shared/data/kumamoto_wards_N03-21_simplified1pct_smartnews.geojson). It
// leaves out the small western exclave. APPROXIMATE: not for measurement.
// Counter-clockwise, from the north-west corner of 河内.
var boundaryRing = orb.Ring{
	{130.572, 32.850}, {130.582, 32.828}, {130.592, 32.824}, {130.597, 32.811},
	{130.613, 32.794}, {130.599, 32.778}, {130.606, 32.755}, {130.605, 32.735},
	{130.609, 32.716}, {130.627, 32.709}, {130.644, 32.717}, {130.663, 32.707},
	{130.671, 32.696}, {130.710, 32.688}, {130.734, 32.661}, {130.752, 32.672},
	{130.777, 32.666}, {130.765, 32.693}, {130.753, 32.703}, {130.762, 32.712},
	{130.757, 32.728}, {130.747, 32.735}, {130.700, 32.736}, {130.726, 32.744},
	{130.754, 32.762}, {130.796, 32.770}, {130.788, 32.779}, {130.785, 32.785},
	{130.783, 32.796}, {130.778, 32.805}, {130.787, 32.800}, {130.816, 32.815},
	{130.829, 32.815}, {130.827, 32.832}, {130.820, 32.839}, {130.808, 32.838},
	{130.805, 32.852}, {130.787, 32.858}, {130.727, 32.854}, {130.731, 32.866},
	{130.729, 32.888}, {130.721, 32.896}, {130.730, 32.928}, {130.728, 32.966},
	{130.734, 32.972}, {130.709, 32.977}, {130.696, 32.955}, {130.674, 32.952},
	{130.667, 32.937}, {130.646, 32.932}, {130.637, 32.916}, {130.647, 32.908},
	{130.651, 32.888}, {130.645, 32.884}, {130.636, 32.861}, {130.626, 32.862},
	{130.630, 32.854}, {130.622, 32.845}, {130.573, 32.853}, {130.572, 32.850},
}

// Boundary returns the approximate city outline in lon, lat degrees.
func Boundary() orb.Polygon {
	return orb.Polygon{append(orb.Ring(nil), boundaryRing...)}
}

// File names of the generated layers.
const (
	BoundaryFile  = "boundary.geojson"
	DistrictsFile = "districts.geojson"
	StoresFile    = "stores.geojson"
	PostsFile     = "posts.geojson"
)

// Files returns the content of every generated file by name.
func Files() (map[string][]byte, error) {
	g, err := newGenerator()
	if err != nil {
		return nil, err
	}
	districts, err := g.districts()
	if err != nil {
		return nil, err
	}
	stores := g.points(StoreCount, storeDensity, 250)
	posts := g.points(PostCount, postDensity, 1200)

	files := map[string][]byte{}
	add := func(name, title string, fs []*geojson.Feature) error {
		b, err := encode(title, fs)
		if err != nil {
			return fmt.Errorf("encode %s: %w", name, err)
		}
		files[name] = b
		return nil
	}
	bf := geojson.NewFeature(roundPolygon(Boundary()))
	bf.Properties = geojson.Properties{
		"id": "kumamoto", "name": "熊本市 (approximate outline)", "name_en": "Kumamoto City (approximate outline)", "synthetic": true,
	}
	if err := add(BoundaryFile, "Kumamoto City boundary (approximate, synthetic)", []*geojson.Feature{bf}); err != nil {
		return nil, err
	}
	if err := add(DistrictsFile, "School districts 校区 (synthetic)", districts); err != nil {
		return nil, err
	}
	if err := add(StoresFile, "Convenience stores (synthetic)", g.pointFeatures(stores, "s%03d", "Convenience store %03d (synthetic)")); err != nil {
		return nil, err
	}
	if err := add(PostsFile, "Post offices (synthetic)", g.pointFeatures(posts, "p%02d", "Post office %02d (synthetic)")); err != nil {
		return nil, err
	}
	return files, nil
}

// generator holds the projected boundary and the random source.
type generator struct {
	proj     geo.TransverseMercator
	boundary orb.Polygon // projected, metres
	bound    orb.Bound   // of boundary
	centre   orb.Point   // projected
	rng      *rand.Rand
}

func newGenerator() (*generator, error) {
	b := Boundary()
	if b[0].Orientation() != orb.CCW {
		return nil, fmt.Errorf("boundary ring is not counter-clockwise")
	}
	proj := geo.LocalProjection(b.Bound())
	pb := projectPolygon(b, proj.Forward)
	return &generator{
		proj:     proj,
		boundary: pb,
		bound:    pb.Bound(),
		centre:   proj.Forward(centre),
		rng:      rand.New(rand.NewPCG(20240401, 43100)),
	}, nil
}

// Densities, relative, of district seeds, stores and post offices at a
// distance r metres from the centre.
func seedDensity(r float64) float64  { return 0.12 + math.Exp(-sq(r/5000)) }
func storeDensity(r float64) float64 { return 0.015 + math.Exp(-sq(r/6500)) }
func postDensity(r float64) float64  { return 0.3 + math.Exp(-sq(r/8000)) }

// peopleDensity is the relative population density used to share out
// TotalPopulation among districts.
func peopleDensity(r float64) float64 { return 0.04 + math.Exp(-sq(r/6000)) }

func sq(x float64) float64 { return x * x }

// points draws n projected points inside the boundary with the given radial
// density (rejection sampling), at least minGap metres apart.
func (g *generator) points(n int, density func(r float64) float64, minGap float64) []orb.Point {
	pts := make([]orb.Point, 0, n)
	for len(pts) < n {
		p := orb.Point{
			g.bound.Min[0] + g.rng.Float64()*(g.bound.Max[0]-g.bound.Min[0]),
			g.bound.Min[1] + g.rng.Float64()*(g.bound.Max[1]-g.bound.Min[1]),
		}
		u := g.rng.Float64()
		if !planar.PolygonContains(g.boundary, p) {
			continue
		}
		if u*density(0) > density(dist(p, g.centre)) {
			continue
		}
		tooClose := false
		for _, q := range pts {
			if dist(p, q) < minGap {
				tooClose = true
				break
			}
		}
		if !tooClose {
			pts = append(pts, p)
		}
	}
	return pts
}

func dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// districts draws the district seeds, cuts the boundary into their Voronoi
// cells and gives each a synthetic population.
func (g *generator) districts() ([]*geojson.Feature, error) {
	seeds := g.points(DistrictCount, seedDensity, 700)
	// Number the districts from the centre outwards.
	sort.SliceStable(seeds, func(i, j int) bool { return dist(seeds[i], g.centre) < dist(seeds[j], g.centre) })

	cells, err := geo.VoronoiCells(seeds, g.bound.Pad(1000))
	if err != nil {
		return nil, fmt.Errorf("district cells: %w", err)
	}
	boundary := orb.MultiPolygon{g.boundary}
	shapes := make([]orb.MultiPolygon, len(cells))
	weights := make([]float64, len(cells))
	var total float64
	for i, c := range cells {
		part, err := geo.Intersect(orb.MultiPolygon{c}, boundary)
		if err != nil {
			return nil, fmt.Errorf("district %d: clip to boundary: %w", i+1, err)
		}
		part = dropSlivers(part, 100)
		if len(part) == 0 {
			return nil, fmt.Errorf("district %d: empty after clipping", i+1)
		}
		shapes[i] = part
		// Population grows with area and with closeness to the centre,
		// with some noise so that neighbours differ.
		weights[i] = planar.Area(part) * peopleDensity(dist(seeds[i], g.centre)) * (0.75 + 0.5*g.rng.Float64())
		total += weights[i]
	}

	pops := make([]int, len(cells))
	sum, largest := 0, 0
	for i, w := range weights {
		pops[i] = int(math.Round(TotalPopulation*w/total/10)) * 10
		sum += pops[i]
		if pops[i] > pops[largest] {
			largest = i
		}
	}
	pops[largest] += TotalPopulation - sum // the total is exact

	fs := make([]*geojson.Feature, len(cells))
	for i := range cells {
		ll := make(orb.MultiPolygon, len(shapes[i]))
		for j, p := range shapes[i] {
			ll[j] = roundPolygon(projectPolygon(p, g.proj.Inverse))
		}
		var geom orb.Geometry = ll
		if len(ll) == 1 {
			geom = ll[0]
		}
		f := geojson.NewFeature(geom)
		f.Properties = geojson.Properties{
			"id":         fmt.Sprintf("d%02d", i+1),
			"name":       fmt.Sprintf("第%d校区 (synthetic)", i+1),
			"name_en":    fmt.Sprintf("District %d (synthetic)", i+1),
			"population": pops[i],
			"synthetic":  true,
		}
		fs[i] = f
	}
	return fs, nil
}

// dropSlivers removes polygons smaller than minArea square metres, left
// where a cell only grazes a corner of the boundary.
func dropSlivers(mp orb.MultiPolygon, minArea float64) orb.MultiPolygon {
	out := mp[:0:0]
	for _, p := range mp {
		if planar.Area(p) >= minArea {
			out = append(out, p)
		}
	}
	return out
}

// pointFeatures turns projected points into point features in lon, lat.
func (g *generator) pointFeatures(pts []orb.Point, idFormat, nameFormat string) []*geojson.Feature {
	fs := make([]*geojson.Feature, len(pts))
	for i, p := range pts {
		f := geojson.NewFeature(roundPoint(g.proj.Inverse(p)))
		f.Properties = geojson.Properties{
			"id":        fmt.Sprintf(idFormat, i+1),
			"name":      fmt.Sprintf(nameFormat, i+1),
			"synthetic": true,
		}
		fs[i] = f
	}
	return fs
}

func projectPolygon(p orb.Polygon, f func(orb.Point) orb.Point) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for j, q := range r {
			out[i][j] = f(q)
		}
	}
	return out
}

// roundPoint rounds to 6 decimals (about 0.1 m).
func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

// roundPolygon rounds every vertex to 6 decimals and drops vertices that
// become equal to the previous one.
func roundPolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, len(p))
	for _, r := range p {
		rr := make(orb.Ring, 0, len(r))
		for _, q := range r {
			q = roundPoint(q)
			if len(rr) > 0 && rr[len(rr)-1] == q {
				continue
			}
			rr = append(rr, q)
		}
		out = append(out, rr)
	}
	return out
}

// encode writes a FeatureCollection with a name, one feature per line, so
// that the files diff well.
func encode(name string, fs []*geojson.Feature) ([]byte, error) {
	var buf bytes.Buffer
	title, err := json.Marshal(name)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&buf, "{\"type\":\"FeatureCollection\",\"name\":%s,\"features\":[\n", title)
	for i, f := range fs {
		b, err := json.Marshal(f)
		if err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
		buf.Write(b)
		if i+1 < len(fs) {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}
