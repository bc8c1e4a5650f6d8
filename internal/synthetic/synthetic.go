// Package synthetic generates deterministic synthetic study areas at city,
// prefecture and nation scale, for benchmarks and load tests: offices,
// school districts (with holes and MultiPolygons), convenience stores, post
// offices, a boundary and a population mesh, with people, stores and offices
// clustered in towns the way they are in Japan. None of it is real data.
//
// Everything is built on a lattice of "fine" cells in longitude and latitude
// (at nation scale the 1 km 3rd-order mesh, 30″ × 45″). Land is a union of
// noisy ellipses; districts are the land cells of the leaves of a quadtree
// that splits where people live, so districts are small in towns and large
// in the country. District outlines follow fine-cell edges through jittered
// lattice vertices shared by neighbours, so adjacent districts share edges
// exactly. Population cells are the fine cells split in four (500 m at
// nation scale), square and not jittered, like a statistical mesh.
package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"
)

// Scale is the size of a generated study area.
type Scale string

// The scales Generate knows.
const (
	// City is about Kumamoto City: 90 districts, 19 offices, 740,000 people.
	City Scale = "city"
	// Prefecture is about Kumamoto Prefecture: 350 districts, 48 offices.
	Prefecture Scale = "prefecture"
	// Nation is about Japan: 19,000 districts, 56,000 stores, 24,000 post
	// offices, 1,700 offices, 125 million people in about 400,000 cells.
	Nation Scale = "nation"
)

// Scales lists the scales, smallest first.
var Scales = []Scale{City, Prefecture, Nation}

// ellipse is an area of land, in kilometres from the spec's centre.
type ellipse struct {
	lon, lat float64 // centre, degrees
	a, b     float64 // semi-axes, km
	angleDeg float64 // direction of a, counter-clockwise from east
}

// town is a named population centre placed before the random ones.
type town struct {
	lon, lat float64
}

// Spec describes one scale.
type Spec struct {
	Scale Scale
	// Lon0, Lat0 is the south-west corner of the lattice; DLon, DLat the
	// size of a fine cell in degrees; W, H the lattice size in fine cells.
	Lon0, Lat0, DLon, DLat float64
	W, H                   int
	Districts              int     // target number of districts
	Stores, Posts, Offices int     // numbers of points
	Towns                  int     // number of population centres
	UrbanPop, RuralPop     float64 // people in towns and spread on habitable land
	RootCells              int     // size of the quadtree roots, fine cells (a power of 2)
	OfficeGapKm            float64 // minimum distance between offices
	NoiseKm                float64 // wavelength scale of the coast and habitat noise
	Habitable              float64 // share of the land with rural population
	Seed                   uint64
	land                   []ellipse
	named                  []town
}

// SpecFor returns the spec of a scale.
func SpecFor(s Scale) (Spec, error) {
	switch s {
	case City:
		return Spec{
			Scale: s, Lon0: 130.55, Lat0: 32.64, DLon: 1.0 / 320, DLat: 1.0 / 480, W: 96, H: 168,
			Districts: 90, Stores: 260, Posts: 60, Offices: 19, Towns: 6,
			UrbanPop: 650000, RuralPop: 88000, RootCells: 16, OfficeGapKm: 1.5, NoiseKm: 9, Habitable: 0.6, Seed: 1,
			land:  []ellipse{{130.71, 32.81, 14, 10, 80}},
			named: []town{{130.71, 32.80}},
		}, nil
	case Prefecture:
		return Spec{
			Scale: s, Lon0: 129.9, Lat0: 32.0, DLon: 1.0 / 160, DLat: 1.0 / 240, W: 256, H: 280,
			Districts: 350, Stores: 800, Posts: 330, Offices: 48, Towns: 45,
			UrbanPop: 1400000, RuralPop: 340000, RootCells: 16, OfficeGapKm: 2, NoiseKm: 12, Habitable: 0.35, Seed: 2,
			land:  []ellipse{{130.80, 32.62, 62, 42, 65}, {130.20, 32.40, 25, 12, 30}},
			named: []town{{130.71, 32.80}, {130.60, 32.51}, {130.77, 32.21}},
		}, nil
	case Nation:
		return Spec{
			Scale: s, Lon0: 128.5, Lat0: 30.5, DLon: 1.0 / 80, DLat: 1.0 / 120, W: 1400, H: 1740,
			Districts: 19000, Stores: 56000, Posts: 24000, Offices: 1700, Towns: 900,
			UrbanPop: 100e6, RuralPop: 25e6, RootCells: 32, OfficeGapKm: 2.5, NoiseKm: 40, Habitable: 0.10, Seed: 3,
			land: []ellipse{
				{130.9, 32.7, 105, 78, 60},  // Kyushu
				{133.5, 33.7, 130, 45, 20},  // Shikoku
				{133.3, 34.9, 215, 58, 22},  // western Honshu
				{137.3, 35.8, 235, 100, 30}, // central Honshu
				{140.6, 38.6, 330, 78, 78},  // north-eastern Honshu
				{142.8, 43.4, 215, 135, 10}, // Hokkaido
				{139.9, 35.5, 60, 45, 0},    // Kanto plain
				{135.4, 34.6, 60, 40, 60},   // Kinki
			},
			named: []town{
				{139.70, 35.70}, {135.50, 34.70}, {136.90, 35.17}, {130.40, 33.60}, {141.35, 43.06},
				{140.87, 38.27}, {132.46, 34.40}, {139.64, 35.45}, {135.20, 34.70}, {130.71, 32.80},
			},
		}, nil
	}
	return Spec{}, fmt.Errorf("unknown scale %q; give city, prefecture or nation", s)
}

// Office is one generated office.
type Office struct {
	ID, Name string
	Ward     bool // a ward office (main office); otherwise a branch
	Location orb.Point
}

// District is one generated district.
type District struct {
	ID, Name   string
	Population int
	Geometry   orb.MultiPolygon
}

// Point is one generated store or post office.
type Point struct {
	ID, Name string
	Location orb.Point
}

// Cell is one populated cell of the population mesh.
type Cell struct {
	ID         string
	Population int
	Bound      orb.Bound // the cell, a lon/lat rectangle
}

// Dataset is a generated study area.
type Dataset struct {
	Spec       Spec
	Offices    []Office
	Districts  []District
	Stores     []Point
	Posts      []Point
	Boundary   orb.MultiPolygon
	Population []Cell
}

// gen is the state of one generation.
type gen struct {
	Spec
	rng   *rand.Rand
	land  []bool    // per fine cell
	pop   []int32   // per population cell (fine cells split in 2 × 2)
	owner []int32   // per fine cell: district, -1 for sea
	sat   []float64 // summed-area table of population per fine cell, (W+1)×(H+1)
	satL  []int32   // summed-area table of land cells
	noise [2][]wave
}

type wave struct{ kx, ky, phase, amp float64 }

// Generate builds the dataset of a spec. The result depends only on the spec.
func Generate(spec Spec) (*Dataset, error) {
	if spec.W <= 0 || spec.H <= 0 || spec.RootCells <= 0 {
		return nil, fmt.Errorf("synthetic: spec %s has an empty lattice", spec.Scale)
	}
	g := &gen{Spec: spec, rng: rand.New(rand.NewPCG(spec.Seed, 0x6b756d616d6f746f))}
	g.makeNoise()
	g.makeLand()
	g.fixLandPinches()
	g.makePopulation()
	ds := &Dataset{Spec: spec}
	ds.Population = g.cells()
	g.makeTables()
	leaves := g.leavesFor(spec.Districts)
	ds.Districts = g.districts(leaves)
	ds.Boundary = g.boundary()
	ds.Stores = g.points(spec.Stores, 1.1, 0, "s", "Convenience store")
	ds.Posts = g.points(spec.Posts, 0.4, 0, "p", "Post office")
	ds.Offices = g.offices()
	return ds, nil
}

func (g *gen) makeNoise() {
	for k := range g.noise {
		for i := 0; i < 8; i++ {
			wl := g.NoiseKm * (0.4 + 2*g.rng.Float64())
			dir := g.rng.Float64() * 2 * math.Pi
			g.noise[k] = append(g.noise[k], wave{
				kx: 2 * math.Pi / wl * math.Cos(dir), ky: 2 * math.Pi / wl * math.Sin(dir),
				phase: g.rng.Float64() * 2 * math.Pi, amp: (0.5 + g.rng.Float64()) / 8,
			})
		}
	}
}

// km returns the position of lon, lat in kilometres from the lattice corner.
func (g *gen) km(lon, lat float64) (x, y float64) {
	return (lon - g.Lon0) * 111.32 * math.Cos(lat*math.Pi/180), (lat - g.Lat0) * 110.57
}

func (g *gen) noiseAt(k int, x, y float64) float64 {
	s := 0.0
	for _, w := range g.noise[k] {
		s += w.amp * math.Sin(w.kx*x+w.ky*y+w.phase)
	}
	return s
}

// fineCentre is the centre of fine cell (i, j) in degrees.
func (g *gen) fineCentre(i, j int) (lon, lat float64) {
	return g.Lon0 + (float64(i)+0.5)*g.DLon, g.Lat0 + (float64(j)+0.5)*g.DLat
}

func (g *gen) makeLand() {
	g.land = make([]bool, g.W*g.H)
	for j := 0; j < g.H; j++ {
		for i := 0; i < g.W; i++ {
			lon, lat := g.fineCentre(i, j)
			x, y := g.km(lon, lat)
			best := -1.0
			for _, e := range g.land0() {
				ex, ey := g.km(e.lon, e.lat)
				dx, dy := x-ex, y-ey
				c, s := math.Cos(e.angleDeg*math.Pi/180), math.Sin(e.angleDeg*math.Pi/180)
				u, v := (dx*c+dy*s)/e.a, (-dx*s+dy*c)/e.b
				best = math.Max(best, 1-math.Sqrt(u*u+v*v))
			}
			g.land[j*g.W+i] = best+g.noiseAt(0, x, y) > 0
		}
	}
}

func (g *gen) land0() []ellipse { return g.Spec.land }

// makePopulation fills the population cells: towns are two Gaussians (a
// core and a wider halo) with Zipf-distributed sizes, and the rural
// population spreads over the habitable part of the land.
func (g *gen) makePopulation() {
	pw, ph := 2*g.W, 2*g.H
	exp := make([]float32, pw*ph)
	cellKm2 := func(lat float64) float64 {
		return (g.DLon / 2 * 111.32 * math.Cos(lat*math.Pi/180)) * (g.DLat / 2 * 110.57)
	}
	centre := func(i, j int) (lon, lat float64) {
		return g.Lon0 + (float64(i)+0.5)*g.DLon/2, g.Lat0 + (float64(j)+0.5)*g.DLat/2
	}
	landAt := func(i, j int) bool { return g.land[(j/2)*g.W+i/2] }
	// Habitable land: the top share of a second noise field.
	var hv []float64
	for j := 0; j < ph; j += 3 {
		for i := 0; i < pw; i += 3 {
			if landAt(i, j) {
				x, y := g.km(centre(i, j))
				hv = append(hv, g.noiseAt(1, x, y))
			}
		}
	}
	sort.Float64s(hv)
	thresh := math.Inf(1)
	if len(hv) > 0 {
		thresh = hv[int(float64(len(hv))*(1-g.Habitable))]
	}
	var habArea float64
	hab := make([]bool, pw*ph)
	for j := 0; j < ph; j++ {
		for i := 0; i < pw; i++ {
			lon, lat := centre(i, j)
			if landAt(i, j) {
				x, y := g.km(lon, lat)
				if g.noiseAt(1, x, y) >= thresh {
					hab[j*pw+i] = true
					habArea += cellKm2(lat)
				}
			}
		}
	}
	if habArea > 0 {
		for j := 0; j < ph; j++ {
			_, lat := centre(0, j)
			d := float32(g.RuralPop / habArea * cellKm2(lat))
			for i := 0; i < pw; i++ {
				if hab[j*pw+i] {
					exp[j*pw+i] = d
				}
			}
		}
	}
	// Towns.
	var harmonic float64
	for k := 1; k <= g.Towns; k++ {
		harmonic += 1 / float64(k)
	}
	for k := 1; k <= g.Towns; k++ {
		var lon, lat float64
		if k <= len(g.named) {
			lon, lat = g.named[k-1].lon, g.named[k-1].lat
		} else {
			for {
				i, j := g.rng.IntN(g.W), g.rng.IntN(g.H)
				if g.land[j*g.W+i] {
					lon, lat = g.fineCentre(i, j)
					break
				}
			}
		}
		p := g.UrbanPop / harmonic / float64(k)
		sigma := 1.2 * math.Pow(p/1e5, 0.45)
		g.addGaussian(exp, lon, lat, p/2, sigma, cellKm2, centre)
		g.addGaussian(exp, lon, lat, p/2, 2*sigma, cellKm2, centre)
	}
	g.pop = make([]int32, pw*ph)
	for idx, e := range exp {
		if e <= 0 || !landAt(idx%pw, idx/pw) {
			continue
		}
		v := float64(e) * math.Exp(0.6*g.rng.NormFloat64()-0.18)
		if v >= 1 {
			g.pop[idx] = int32(v)
		}
	}
}

// addGaussian adds p people spread as a Gaussian of sigma km around lon, lat.
func (g *gen) addGaussian(exp []float32, lon, lat, p, sigma float64, cellKm2 func(lat float64) float64, centre func(i, j int) (float64, float64)) {
	pw, ph := 2*g.W, 2*g.H
	r := 2.5 * sigma
	dj := int(r/(g.DLat/2*110.57)) + 1
	di := int(r/(g.DLon/2*111.32*math.Cos(lat*math.Pi/180))) + 1
	ci := int((lon - g.Lon0) / (g.DLon / 2))
	cj := int((lat - g.Lat0) / (g.DLat / 2))
	x0, y0 := g.km(lon, lat)
	norm := p / (2 * math.Pi * sigma * sigma)
	for j := max(0, cj-dj); j <= min(ph-1, cj+dj); j++ {
		for i := max(0, ci-di); i <= min(pw-1, ci+di); i++ {
			clon, clat := centre(i, j)
			x, y := g.km(clon, clat)
			d2 := (x-x0)*(x-x0) + (y-y0)*(y-y0)
			if d2 > r*r {
				continue
			}
			exp[j*pw+i] += float32(norm * math.Exp(-d2/(2*sigma*sigma)) * cellKm2(clat))
		}
	}
}

// cells lists the populated cells.
func (g *gen) cells() []Cell {
	pw := 2 * g.W
	var out []Cell
	for idx, p := range g.pop {
		if p == 0 {
			continue
		}
		i, j := idx%pw, idx/pw
		lo := orb.Point{round6(g.Lon0 + float64(i)*g.DLon/2), round6(g.Lat0 + float64(j)*g.DLat/2)}
		hi := orb.Point{round6(g.Lon0 + float64(i+1)*g.DLon/2), round6(g.Lat0 + float64(j+1)*g.DLat/2)}
		out = append(out, Cell{ID: fmt.Sprintf("m%d_%d", j, i), Population: int(p), Bound: orb.Bound{Min: lo, Max: hi}})
	}
	return out
}

// makeTables builds summed-area tables of population and land per fine cell.
func (g *gen) makeTables() {
	w1 := g.W + 1
	g.sat = make([]float64, w1*(g.H+1))
	g.satL = make([]int32, w1*(g.H+1))
	pw := 2 * g.W
	for j := 0; j < g.H; j++ {
		for i := 0; i < g.W; i++ {
			p := g.pop[2*j*pw+2*i] + g.pop[2*j*pw+2*i+1] + g.pop[(2*j+1)*pw+2*i] + g.pop[(2*j+1)*pw+2*i+1]
			var l int32
			if g.land[j*g.W+i] {
				l = 1
			}
			g.sat[(j+1)*w1+i+1] = float64(p) + g.sat[j*w1+i+1] + g.sat[(j+1)*w1+i] - g.sat[j*w1+i]
			g.satL[(j+1)*w1+i+1] = l + g.satL[j*w1+i+1] + g.satL[(j+1)*w1+i] - g.satL[j*w1+i]
		}
	}
}

// box sums population and land over fine cells [i0, i1) × [j0, j1).
func (g *gen) box(i0, j0, i1, j1 int) (float64, int32) {
	i1, j1 = min(i1, g.W), min(j1, g.H)
	if i0 >= i1 || j0 >= j1 {
		return 0, 0
	}
	w1 := g.W + 1
	p := g.sat[j1*w1+i1] - g.sat[j0*w1+i1] - g.sat[j1*w1+i0] + g.sat[j0*w1+i0]
	l := g.satL[j1*w1+i1] - g.satL[j0*w1+i1] - g.satL[j1*w1+i0] + g.satL[j0*w1+i0]
	return p, l
}

// leaf is a square of fine cells [i, i+size) × [j, j+size).
type leaf struct{ i, j, size int }

// quadtree lists the leaves that hold land when squares holding more than
// limit people are split.
func (g *gen) quadtree(limit float64) []leaf {
	var out []leaf
	var visit func(i, j, s int)
	visit = func(i, j, s int) {
		p, l := g.box(i, j, i+s, j+s)
		if l == 0 {
			return
		}
		if s > 1 && p > limit {
			h := s / 2
			visit(i, j, h)
			visit(i+h, j, h)
			visit(i, j+h, h)
			visit(i+h, j+h, h)
			return
		}
		out = append(out, leaf{i, j, s})
	}
	for j := 0; j < g.H; j += g.RootCells {
		for i := 0; i < g.W; i += g.RootCells {
			visit(i, j, g.RootCells)
		}
	}
	return out
}

// enclaveEvery makes every n-th eligible district hold an enclave.
const enclaveEvery = 25

// leavesFor finds the split limit that gives about n districts.
func (g *gen) leavesFor(n int) []leaf {
	lo, hi := 1.0, g.sat[len(g.sat)-1]+1
	var best []leaf
	for it := 0; it < 40; it++ {
		mid := math.Sqrt(lo * hi)
		ls := g.quadtree(mid)
		count := len(ls) + len(ls)/(enclaveEvery*3)
		if best == nil || abs(count-n) < abs(len(best)-n) {
			best = ls
		}
		if count > n {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo < 1.0001 {
			break
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// districts turns leaves into districts: the land cells of each leaf, plus
// an enclave (a hole in its district) in some large all-land leaves.
func (g *gen) districts(leaves []leaf) []District {
	g.owner = make([]int32, g.W*g.H)
	for k := range g.owner {
		g.owner[k] = -1
	}
	n := 0
	eligible := 0
	enclaves := map[int]bool{} // fine cells that are enclaves
	for _, lf := range leaves {
		d := int32(n)
		n++
		for j := lf.j; j < min(lf.j+lf.size, g.H); j++ {
			for i := lf.i; i < min(lf.i+lf.size, g.W); i++ {
				if g.land[j*g.W+i] {
					g.owner[j*g.W+i] = d
				}
			}
		}
		if lf.size >= 4 {
			if _, l := g.box(lf.i, lf.j, lf.i+lf.size, lf.j+lf.size); int(l) == lf.size*lf.size {
				eligible++
				if eligible%enclaveEvery == 0 {
					c := lf.size / 2
					g.owner[(lf.j+c)*g.W+lf.i+c] = int32(n)
					enclaves[(lf.j+c)*g.W+lf.i+c] = true
					n++
				}
			}
		}
	}
	g.fixOwnerPinches(enclaves)
	edges := make([][]edge, n)
	for j := 0; j < g.H; j++ {
		for i := 0; i < g.W; i++ {
			d := g.owner[j*g.W+i]
			if d < 0 {
				continue
			}
			edges[d] = g.cellEdges(edges[d], i, j, func(i, j int) bool { return g.owner[j*g.W+i] == d })
		}
	}
	pw := 2 * g.W
	pops := make([]int, n)
	for idx, p := range g.pop {
		if p == 0 {
			continue
		}
		i, j := (idx%pw)/2, (idx/pw)/2
		if d := g.owner[j*g.W+i]; d >= 0 {
			pops[d] += int(p)
		}
	}
	out := make([]District, 0, n)
	width := len(fmt.Sprint(n))
	for d := 0; d < n; d++ {
		if len(edges[d]) == 0 {
			continue
		}
		id := fmt.Sprintf("d%0*d", width, d+1)
		out = append(out, District{ID: id, Name: fmt.Sprintf("District %s (synthetic)", id[1:]), Population: pops[d], Geometry: g.trace(edges[d])})
	}
	return out
}

// boundary traces the land.
func (g *gen) boundary() orb.MultiPolygon {
	var es []edge
	for j := 0; j < g.H; j++ {
		for i := 0; i < g.W; i++ {
			if g.land[j*g.W+i] {
				es = g.cellEdges(es, i, j, func(i, j int) bool { return g.land[j*g.W+i] })
			}
		}
	}
	return g.trace(es)
}

// edge is a directed edge of the lattice from vertex (x, y) one step in
// direction dir (0 east, 1 north, 2 west, 3 south), with the region on its left.
type edge struct {
	x, y int32
	dir  int8
}

var steps = [4][2]int32{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

func (e edge) end() (int32, int32) { return e.x + steps[e.dir][0], e.y + steps[e.dir][1] }

// cellEdges appends the sides of cell (i, j) whose neighbour is not in the
// region, counter-clockwise.
func (g *gen) cellEdges(es []edge, i, j int, in func(i, j int) bool) []edge {
	inside := func(i, j int) bool { return i >= 0 && j >= 0 && i < g.W && j < g.H && in(i, j) }
	x, y := int32(i), int32(j)
	if !inside(i, j-1) {
		es = append(es, edge{x, y, 0})
	}
	if !inside(i+1, j) {
		es = append(es, edge{x + 1, y, 1})
	}
	if !inside(i, j+1) {
		es = append(es, edge{x + 1, y + 1, 2})
	}
	if !inside(i-1, j) {
		es = append(es, edge{x, y + 1, 3})
	}
	return es
}

// trace chains the boundary edges of a region into rings: outer rings
// counter-clockwise, holes clockwise; at a vertex where the region touches
// itself diagonally it turns left, so the rings touch there but do not cross.
func (g *gen) trace(es []edge) orb.MultiPolygon {
	type key struct{ x, y int32 }
	from := make(map[key][]int, len(es))
	for k, e := range es {
		from[key{e.x, e.y}] = append(from[key{e.x, e.y}], k)
	}
	used := make([]bool, len(es))
	type ring struct {
		pts  [][2]int32
		area int64 // twice the signed area, lattice units
	}
	var outers, holes []ring
	for start := range es {
		if used[start] {
			continue
		}
		var r ring
		// Every edge has one successor: the edge leaving its end with the
		// sharpest left turn, so rings close on their first edge.
		for k := start; !used[k]; {
			used[k] = true
			e := es[k]
			r.pts = append(r.pts, [2]int32{e.x, e.y})
			x, y := e.end()
			next := -1
			for _, turn := range [...]int8{1, 0, 3} {
				want := (e.dir + turn) % 4
				for _, c := range from[key{x, y}] {
					if es[c].dir == want {
						next = c
						break
					}
				}
				if next >= 0 {
					break
				}
			}
			if next < 0 {
				break // cannot happen for the boundary of a set of cells
			}
			k = next
		}
		r.pts = append(r.pts, r.pts[0])
		for q := 0; q+1 < len(r.pts); q++ {
			a, b := r.pts[q], r.pts[q+1]
			r.area += int64(a[0])*int64(b[1]) - int64(b[0])*int64(a[1])
		}
		if r.area > 0 {
			outers = append(outers, r)
		} else {
			holes = append(holes, r)
		}
	}
	// Largest part first.
	sort.SliceStable(outers, func(a, b int) bool { return outers[a].area > outers[b].area })
	mp := make(orb.MultiPolygon, len(outers))
	for k, o := range outers {
		mp[k] = orb.Polygon{g.ring(o.pts)}
	}
	for _, h := range holes {
		// The cell just left of the hole's first edge belongs to the region.
		a, b := h.pts[0], h.pts[1]
		dx, dy := float64(b[0]-a[0]), float64(b[1]-a[1])
		px, py := float64(a[0])+dx/2-dy/2, float64(a[1])+dy/2+dx/2
		for k, o := range outers {
			if latticeContains(o.pts, px, py) {
				mp[k] = append(mp[k], g.ring(h.pts))
				break
			}
		}
	}
	return mp
}

// latticeContains is an even-odd test of (px, py) against a lattice ring.
func latticeContains(pts [][2]int32, px, py float64) bool {
	in := false
	for q := 0; q+1 < len(pts); q++ {
		ax, ay := float64(pts[q][0]), float64(pts[q][1])
		bx, by := float64(pts[q+1][0]), float64(pts[q+1][1])
		if (ay > py) != (by > py) && px < ax+(py-ay)*(bx-ax)/(by-ay) {
			in = !in
		}
	}
	return in
}

// ring maps lattice vertices to jittered lon/lat, dropping vertices in the
// middle of straight runs only where jitter is off (never: every vertex is
// jittered, so neighbours always share the same points).
func (g *gen) ring(pts [][2]int32) orb.Ring {
	r := make(orb.Ring, len(pts))
	for k, p := range pts {
		r[k] = g.vertex(p[0], p[1])
	}
	return r
}

// vertex is the jittered position of lattice vertex (x, y): up to 0.18 of a
// cell in each direction, the same for every ring that uses it.
func (g *gen) vertex(x, y int32) orb.Point {
	h := uint64(uint32(x))<<32 | uint64(uint32(y))
	h ^= g.Seed * 0x9e3779b97f4a7c15
	h = splitmix(h)
	jx := (float64(h&0xffff)/0xffff - 0.5) * 0.36
	jy := (float64((h>>16)&0xffff)/0xffff - 0.5) * 0.36
	return orb.Point{round6(g.Lon0 + (float64(x)+jx)*g.DLon), round6(g.Lat0 + (float64(y)+jy)*g.DLat)}
}

func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// sampler draws population cells with probability proportional to
// population^power.
type sampler struct {
	idx []int
	cum []float64
}

func (g *gen) sampler(power float64) sampler {
	var s sampler
	total := 0.0
	for idx, p := range g.pop {
		if p > 0 {
			total += math.Pow(float64(p), power)
			s.idx = append(s.idx, idx)
			s.cum = append(s.cum, total)
		}
	}
	return s
}

func (s sampler) draw(rng *rand.Rand) int {
	if len(s.idx) == 0 {
		return -1
	}
	u := rng.Float64() * s.cum[len(s.cum)-1]
	return s.idx[min(sort.SearchFloat64s(s.cum, u), len(s.idx)-1)]
}

// at places a point at random in population cell idx, keeping off the outer
// fifth of its fine cell so that the point lies in the fine cell's district
// whatever the jitter.
func (g *gen) at(idx int) orb.Point {
	pw := 2 * g.W
	i, j := idx%pw, idx/pw
	fx := float64(i/2) + 0.19 + (float64(i%2)+g.rng.Float64())*0.31
	fy := float64(j/2) + 0.19 + (float64(j%2)+g.rng.Float64())*0.31
	return orb.Point{round6(g.Lon0 + fx*g.DLon), round6(g.Lat0 + fy*g.DLat)}
}

// points draws n points where people live.
func (g *gen) points(n int, power, _ float64, prefix, name string) []Point {
	s := g.sampler(power)
	out := make([]Point, 0, n)
	width := len(fmt.Sprint(n))
	for k := 0; k < n; k++ {
		idx := s.draw(g.rng)
		if idx < 0 {
			break
		}
		id := fmt.Sprintf("%s%0*d", prefix, width, k+1)
		out = append(out, Point{ID: id, Name: fmt.Sprintf("%s %s (synthetic)", name, id[len(prefix):]), Location: g.at(idx)})
	}
	return out
}

// offices draws offices where people live, at least OfficeGapKm apart; the
// five in 19 (Kumamoto's share) in the most populous cells are ward offices.
func (g *gen) offices() []Office {
	s := g.sampler(0.5)
	type cand struct {
		p   orb.Point
		pop int32
	}
	var cs []cand
	grid := map[[2]int][]orb.Point{}
	cellDeg := g.OfficeGapKm / 110.0
	near := func(p orb.Point) bool {
		gx, gy := int(p[0]/cellDeg), int(p[1]/cellDeg)
		for dx := -2; dx <= 2; dx++ {
			for dy := -2; dy <= 2; dy++ {
				for _, q := range grid[[2]int{gx + dx, gy + dy}] {
					x, y := g.km(p[0], p[1])
					qx, qy := g.km(q[0], q[1])
					if math.Hypot(x-qx, y-qy) < g.OfficeGapKm {
						return true
					}
				}
			}
		}
		return false
	}
	for tries := 0; len(cs) < g.Offices && tries < 100*g.Offices; tries++ {
		idx := s.draw(g.rng)
		if idx < 0 {
			break
		}
		p := g.at(idx)
		if near(p) {
			continue
		}
		grid[[2]int{int(p[0] / cellDeg), int(p[1] / cellDeg)}] = append(grid[[2]int{int(p[0] / cellDeg), int(p[1] / cellDeg)}], p)
		cs = append(cs, cand{p, g.pop[idx]})
	}
	order := make([]int, len(cs))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return cs[order[a]].pop > cs[order[b]].pop })
	wards := max(2, (len(cs)*5+18)/19)
	ward := make([]bool, len(cs))
	for _, k := range order[:min(wards, len(order))] {
		ward[k] = true
	}
	out := make([]Office, len(cs))
	width := len(fmt.Sprint(len(cs)))
	for k, c := range cs {
		id := fmt.Sprintf("o%0*d", width, k+1)
		kind := "Branch office"
		if ward[k] {
			kind = "Ward office"
		}
		out[k] = Office{ID: id, Name: fmt.Sprintf("%s %s (synthetic)", kind, id[1:]), Ward: ward[k], Location: c.p}
	}
	return out
}

// A pinch is a lattice vertex where a region's cells meet only diagonally
// (a 2 × 2 block a b / c d with a = d, b ≠ a, c ≠ a). Traced outlines would
// touch themselves there, which OGC validity forbids, so pinches are
// removed by giving one of the other two cells to the region.

// pinches calls fix(k, region) for each pinch found: cell k should join
// region. It reports whether any was found.
func (g *gen) pinches(val func(k int) int32, fix func(k int, region int32) bool) bool {
	found := false
	for j := 1; j < g.H; j++ {
		for i := 1; i < g.W; i++ {
			sw, se := (j-1)*g.W+i-1, (j-1)*g.W+i
			nw, ne := j*g.W+i-1, j*g.W+i
			a, b, c, d := val(sw), val(se), val(nw), val(ne)
			switch {
			case a == d && b != a && c != a:
				found = true
				if !fix(se, a) {
					fix(nw, a)
				}
			case b == c && a != b && d != b:
				found = true
				if !fix(sw, b) {
					fix(ne, b)
				}
			}
		}
	}
	return found
}

// fixLandPinches joins one cell of every pinch to the diagonal pair around it.
func (g *gen) fixLandPinches() {
	val := func(k int) int32 {
		if g.land[k] {
			return 1
		}
		return 0
	}
	for pass := 0; pass < 20; pass++ {
		if !g.pinches(val, func(k int, region int32) bool {
			g.land[k] = region == 1
			return true
		}) {
			return
		}
	}
}

// fixOwnerPinches gives one cell of every district pinch to the district,
// never turning sea into land and never moving an enclave.
func (g *gen) fixOwnerPinches(enclaves map[int]bool) {
	for pass := 0; pass < 20; pass++ {
		if !g.pinches(func(k int) int32 { return g.owner[k] }, func(k int, region int32) bool {
			if g.owner[k] < 0 || region < 0 || enclaves[k] {
				return false
			}
			g.owner[k] = region
			return true
		}) {
			return
		}
	}
}
