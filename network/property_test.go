package network

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// gridSpec describes a synthetic road grid.
type gridSpec struct {
	nx, ny     int
	stepDeg    float64 // spacing between neighbouring nodes
	jitter     float64 // random displacement, in steps
	onewayFrac float64 // share of one-way segments
	dropFrac   float64 // share of missing segments
}

// buildGrid makes a grid near Kumamoto with random speeds, one-way streets
// and gaps, and builds it.
func buildGrid(tb testing.TB, s gridSpec, rng *rand.Rand) (*Graph, Stats) {
	tb.Helper()
	b := gridBuilder(s, rng)
	g, st, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return g, st
}

func gridBuilder(s gridSpec, rng *rand.Rand) *Builder {
	b := NewBuilder(Car)
	b.coords = make([]orb.Point, 0, s.nx*s.ny)
	b.segs = make([]rawSeg, 0, 2*s.nx*s.ny)
	for j := 0; j < s.ny; j++ {
		for i := 0; i < s.nx; i++ {
			jx, jy := 0.0, 0.0
			if s.jitter > 0 {
				jx, jy = (rng.Float64()-0.5)*s.jitter, (rng.Float64()-0.5)*s.jitter
			}
			b.AddNode(orb.Point{130.5 + (float64(i)+jx)*s.stepDeg, 32.5 + (float64(j)+jy)*s.stepDeg})
		}
	}
	speeds := []float64{30, 40, 50}
	add := func(u, v int) {
		if s.dropFrac > 0 && rng.Float64() < s.dropFrac {
			return
		}
		dir := 0
		if s.onewayFrac > 0 && rng.Float64() < s.onewayFrac {
			dir = 1 - 2*rng.IntN(2)
		}
		b.AddSegment(int32(u), int32(v), dir, speeds[rng.IntN(len(speeds))])
	}
	for j := 0; j < s.ny; j++ {
		for i := 0; i < s.nx; i++ {
			n := j*s.nx + i
			if i+1 < s.nx {
				add(n, n+1)
			}
			if j+1 < s.ny {
				add(n, n+s.nx)
			}
		}
	}
	return b
}

// randomPoint is a point in the grid's box, widened by pad steps.
func randomPoint(s gridSpec, rng *rand.Rand, pad float64) orb.Point {
	return orb.Point{
		130.5 + (rng.Float64()*(float64(s.nx-1)+2*pad)-pad)*s.stepDeg,
		32.5 + (rng.Float64()*(float64(s.ny-1)+2*pad)-pad)*s.stepDeg,
	}
}

// bruteSnap scans every segment.
func bruteSnap(g *Graph, p orb.Point) (seg int32, d float64) {
	seg, d = -1, math.Inf(1)
	kx, ky := metresPerDegree(p[1])
	for s := range g.segU {
		a, b := g.coords[g.segU[s]], g.coords[g.segV[s]]
		f := closestFraction(p, a, b, kx, ky)
		if dd := geo.Distance(p, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}); dd < d {
			seg, d = int32(s), dd
		}
	}
	return seg, d
}

func TestSnapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	spec := gridSpec{nx: 15, ny: 12, stepDeg: 0.002, jitter: 0.6, dropFrac: 0.2}
	g, _ := buildGrid(t, spec, rng)
	for i := 0; i < 500; i++ {
		p := randomPoint(spec, rng, 3)
		s := g.Snap(p, 500)
		_, d := bruteSnap(g, p)
		if math.Abs(s.DistanceM-d) > 1e-9 {
			t.Fatalf("point %v: Snap %.9f m (segment %d), brute force %.9f m", p, s.DistanceM, s.Segment, d)
		}
		if s.OK != (d <= 500) {
			t.Fatalf("point %v: OK %v at %.1f m", p, s.OK, d)
		}
	}
}

// bruteRoutes computes, by a textbook Dijkstra per point on a copy of the
// network where every snapped point and facility is a node, the least cost
// from each point to any open facility (+Inf when none).
func bruteRoutes(g *Graph, points, facs []orb.Point, open []bool, m Metric, maxSnap float64) []float64 {
	type arc struct {
		to   int
		cost float64
	}
	n := g.NodeCount()
	adj := make([][]arc, n)
	newNode := func() int { adj = append(adj, nil); return len(adj) - 1 }
	type cut struct {
		frac float64
		node int
	}
	cuts := map[int32][]cut{}
	snapAt := func(p orb.Point) (int, float64) {
		s := g.Snap(p, maxSnap)
		if !s.OK {
			return -1, 0
		}
		v := newNode()
		cuts[s.Segment] = append(cuts[s.Segment], cut{s.Frac, v})
		return v, snapCost(s.DistanceM, m)
	}
	pn, pc := make([]int, len(points)), make([]float64, len(points))
	for i, p := range points {
		pn[i], pc[i] = snapAt(p)
	}
	fn, fc := make([]int, len(facs)), make([]float64, len(facs))
	for i, f := range facs {
		fn[i], fc[i] = -1, 0
		if open == nil || open[i] {
			fn[i], fc[i] = snapAt(f)
		}
	}
	for s := range g.segU {
		cs := append([]cut{{0, int(g.segU[s])}}, cuts[int32(s)]...)
		cs = append(cs, cut{1, int(g.segV[s])})
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].frac < cs[j].frac })
		for k := 0; k+1 < len(cs); k++ {
			a, b := cs[k], cs[k+1]
			if a.frac == b.frac { // one place
				adj[a.node] = append(adj[a.node], arc{b.node, 0})
				adj[b.node] = append(adj[b.node], arc{a.node, 0})
				continue
			}
			if e := g.segFwd[s]; e >= 0 {
				adj[a.node] = append(adj[a.node], arc{b.node, (b.frac - a.frac) * g.costOf(e, m)})
			}
			if e := g.segBack[s]; e >= 0 {
				adj[b.node] = append(adj[b.node], arc{a.node, (b.frac - a.frac) * g.costOf(e, m)})
			}
		}
	}
	out := make([]float64, len(points))
	for i := range points {
		out[i] = math.Inf(1)
		if pn[i] < 0 {
			continue
		}
		dist := make([]float64, len(adj))
		for k := range dist {
			dist[k] = math.Inf(1)
		}
		dist[pn[i]] = 0
		q := &pq{{pn[i], 0}}
		for q.Len() > 0 {
			it := heap.Pop(q).(pqItem)
			if it.d > dist[it.n] {
				continue
			}
			for _, a := range adj[it.n] {
				if d := it.d + a.cost; d < dist[a.to] {
					dist[a.to] = d
					heap.Push(q, pqItem{a.to, d})
				}
			}
		}
		for j := range facs {
			if fn[j] >= 0 {
				out[i] = math.Min(out[i], pc[i]+dist[fn[j]]+fc[j])
			}
		}
	}
	return out
}

type pqItem struct {
	n int
	d float64
}
type pq []pqItem

func (q pq) Len() int            { return len(q) }
func (q pq) Less(i, j int) bool  { return q[i].d < q[j].d }
func (q pq) Swap(i, j int)       { q[i], q[j] = q[j], q[i] }
func (q *pq) Push(x interface{}) { *q = append(*q, x.(pqItem)) }
func (q *pq) Pop() interface{} {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// TestNearestFacilityMatchesBruteForce checks multi-source search with
// split edges against per-point Dijkstra on an explicitly split network,
// and that no route is shorter than the geodesic.
func TestNearestFacilityMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		spec := gridSpec{nx: 10, ny: 9, stepDeg: 0.003, jitter: 0.5, onewayFrac: 0.35, dropFrac: 0.15}
		g, _ := buildGrid(t, spec, rng)
		var points, facs []orb.Point
		for i := 0; i < 60; i++ {
			points = append(points, randomPoint(spec, rng, 2))
		}
		open := make([]bool, 6)
		for i := range open {
			facs = append(facs, randomPoint(spec, rng, 1))
			open[i] = rng.IntN(4) > 0
		}
		open[0] = true
		for _, m := range []Metric{Road, Time} {
			routes, _, err := g.NearestFacility(points, facs, open, m, 400)
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, m, err)
			}
			want := bruteRoutes(g, points, facs, open, m, 400)
			for i, r := range routes {
				got := r.DistanceM
				if m == Time {
					got = r.TimeS
				}
				if math.IsInf(want[i], 1) {
					if r.Facility >= 0 {
						t.Errorf("seed %d %s point %d: routed (%+v), brute force finds no route", seed, m, i, r)
					}
					continue
				}
				if r.Facility < 0 || math.Abs(got-want[i]) > 1e-6*math.Max(1, want[i]) {
					t.Errorf("seed %d %s point %d: got facility %d cost %.9f, brute force %.9f", seed, m, i, r.Facility, got, want[i])
				}
				if !open[r.Facility] {
					t.Errorf("seed %d point %d: routed to closed facility %d", seed, i, r.Facility)
				}
				if r.DistanceM < r.GeodesicM-geodesicTolerance(r.GeodesicM) {
					t.Errorf("seed %d %s point %d: road %.9f m < geodesic %.9f m", seed, m, i, r.DistanceM, r.GeodesicM)
				}
			}
		}
	}
}

func TestStronglyConnected(t *testing.T) {
	// 0→1→2→0 is one component, 3 and 4 are each alone (3→4 one way), 5 is
	// isolated.
	edges := [][2]int32{{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}}
	n := 6
	start := make([]int32, n+1)
	for _, e := range edges {
		start[e[0]+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	adj := make([]int32, len(edges))
	fill := append([]int32(nil), start[:n]...)
	for _, e := range edges {
		adj[fill[e[0]]] = e[1]
		fill[e[0]]++
	}
	comp, nc := stronglyConnected(start, adj)
	if nc != 4 || comp[0] != comp[1] || comp[1] != comp[2] || comp[3] == comp[0] || comp[4] == comp[3] || comp[5] == comp[0] {
		t.Errorf("components %v (%d)", comp, nc)
	}
}
