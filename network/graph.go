// Package network builds road networks from OpenStreetMap data and answers
// road-distance and travel-time questions on them: where a point joins the
// network (Snap), the nearest open office from every node at once
// (MultiSource), the nearest office and its route length for a list of
// points (NearestFacility), and service areas (Isochrones).
//
// Graphs are directed and stored as compressed adjacency arrays (CSR) over
// int32 node ids. Every edge is a straight piece between two consecutive
// nodes of an OSM way; its length is the geodesic length on the WGS84
// ellipsoid (geo.Distance). A two-way road becomes two directed edges over
// the same Segment; a one-way road becomes one.
//
// Searches run toward the sources: the cost of a node is the cost of
// travelling from that node to its nearest source, which is the trip a
// resident makes to an office (it matters on one-way streets).
package network

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// WalkSpeedKmh is the walking speed of the walk profile and of the legs
// between a point and the place where it joins the network.
const WalkSpeedKmh = 4.8

// walkSpeedMS is WalkSpeedKmh in metres per second.
const walkSpeedMS = WalkSpeedKmh / 3.6

// Graph is a directed road network. Node ids are int32 from 0 to
// NodeCount()-1; edge ids are int32 from 0 to EdgeCount()-1, grouped by tail
// node (CSR). A Graph is read-only once built and safe for concurrent use.
type Graph struct {
	// Profile is the travel mode the graph was built for.
	Profile Profile

	coords []orb.Point // per node
	osmIDs []int64     // per node; nil for graphs built without OSM ids

	// out CSR: edges of node u are outStart[u]..outStart[u+1]-1.
	outStart []int32
	head     []int32   // per edge: head node
	lengthM  []float64 // per edge: metres
	timeS    []float64 // per edge: seconds at the edge's speed
	edgeSeg  []int32   // per edge: its segment

	// in CSR: incoming edges of node v are inEdge[inStart[v]..inStart[v+1]-1].
	inStart []int32
	inTail  []int32
	inEdge  []int32

	// segments: the undirected pieces that edges run along, for snapping.
	segU, segV []int32 // ends; the forward edge runs U→V
	segFwd     []int32 // edge U→V, or -1 on a one-way road running V→U
	segBack    []int32 // edge V→U, or -1 on a one-way road U→V

	indexOnce sync.Once
	index     *rtree.RTreeG[int32] // segment bounding boxes, built on first Snap
}

// NodeCount is the number of nodes.
func (g *Graph) NodeCount() int { return len(g.coords) }

// EdgeCount is the number of directed edges.
func (g *Graph) EdgeCount() int { return len(g.head) }

// SegmentCount is the number of undirected segments (a two-way road piece is
// one segment carrying two edges).
func (g *Graph) SegmentCount() int { return len(g.segU) }

// Coord is the position of node n.
func (g *Graph) Coord(n int32) orb.Point { return g.coords[n] }

// OSMID is the OpenStreetMap node id of node n, or 0 when the graph was not
// read from OSM data.
func (g *Graph) OSMID(n int32) int64 {
	if g.osmIDs == nil {
		return 0
	}
	return g.osmIDs[n]
}

// Edge describes directed edge e: its tail and head nodes, length in metres
// and travel time in seconds.
func (g *Graph) Edge(e int32) (tail, head int32, lengthM, timeS float64) {
	s := g.edgeSeg[e]
	tail = g.segU[s]
	if g.segFwd[s] != e {
		tail = g.segV[s]
	}
	return tail, g.head[e], g.lengthM[e], g.timeS[e]
}

// OutEdges returns the ids of the edges leaving node n, as a range [from, to).
func (g *Graph) OutEdges(n int32) (from, to int32) { return g.outStart[n], g.outStart[n+1] }

// Bound is the bounding box of all nodes.
func (g *Graph) Bound() orb.Bound {
	if len(g.coords) == 0 {
		return orb.Bound{}
	}
	b := orb.Bound{Min: g.coords[0], Max: g.coords[0]}
	for _, p := range g.coords[1:] {
		b = b.Extend(p)
	}
	return b
}

// Stats says what a build kept and what it dropped.
type Stats struct {
	// Ways is the number of OSM ways read; KeptWays passed the profile.
	Ways, KeptWays int
	// MissingNodeRefs counts way node references with no node in the input
	// (ways clipped at an extract's border); the pieces touching them are left out.
	MissingNodeRefs int
	// Nodes, Edges and Segments are the counts in the graph returned.
	Nodes, Edges, Segments int
	// Components is the number of strongly connected components before the
	// largest was kept.
	Components int
	// DroppedNodes and DroppedEdges were outside the largest strongly
	// connected component; DroppedLengthM is the length of the dropped
	// segments in metres.
	DroppedNodes, DroppedEdges int
	DroppedLengthM             float64
}

// String is a one-line summary fit for a log or a warning.
func (s Stats) String() string {
	return fmt.Sprintf("%d nodes, %d edges (%d segments) kept from %d of %d ways; largest of %d strongly connected components kept, dropped %d nodes, %d edges, %.1f km; %d missing node references",
		s.Nodes, s.Edges, s.Segments, s.KeptWays, s.Ways, s.Components, s.DroppedNodes, s.DroppedEdges, s.DroppedLengthM/1000, s.MissingNodeRefs)
}

// Builder collects nodes and road segments and builds a Graph.
type Builder struct {
	profile Profile
	coords  []orb.Point
	osmIDs  []int64
	segs    []rawSeg
	stats   Stats
}

// rawSeg is a road piece between two builder nodes.
type rawSeg struct {
	u, v     int32
	dir      int8    // 0 both ways, 1 u→v only, -1 v→u only
	speedKmh float64 // travel speed on it
}

// NewBuilder starts an empty graph for profile p.
func NewBuilder(p Profile) *Builder { return &Builder{profile: p} }

// AddNode adds a node at p (lon, lat) and returns its builder id.
func (b *Builder) AddNode(p orb.Point) int32 {
	b.coords = append(b.coords, p)
	return int32(len(b.coords) - 1)
}

// addOSMNode adds a node that carries its OSM id.
func (b *Builder) addOSMNode(p orb.Point, id int64) int32 {
	if b.osmIDs == nil {
		b.osmIDs = make([]int64, len(b.coords), cap(b.coords))
	}
	b.osmIDs = append(b.osmIDs, id)
	return b.AddNode(p)
}

// AddSegment adds a straight road piece between nodes u and v travelled at
// speedKmh. dir is 0 for a two-way road, 1 when only u→v is allowed and -1
// when only v→u is. Its length is the geodesic distance between the nodes.
func (b *Builder) AddSegment(u, v int32, dir int, speedKmh float64) {
	b.segs = append(b.segs, rawSeg{u: u, v: v, dir: int8(dir), speedKmh: speedKmh})
}

// Build makes the graph, keeping only the largest strongly connected
// component so that every kept node can reach every other. It fails when
// there is no segment, a segment names an unknown node or has no speed.
func (b *Builder) Build() (*Graph, Stats, error) {
	st := b.stats
	n := len(b.coords)
	if len(b.segs) == 0 {
		return nil, st, fmt.Errorf("network: no road segments for profile %q", b.profile)
	}
	for i, s := range b.segs {
		if s.u < 0 || int(s.u) >= n || s.v < 0 || int(s.v) >= n {
			return nil, st, fmt.Errorf("network: segment %d: node id out of range (%d, %d; %d nodes)", i, s.u, s.v, n)
		}
		if !(s.speedKmh > 0) {
			return nil, st, fmt.Errorf("network: segment %d: speed %v km/h is not positive", i, s.speedKmh)
		}
	}
	lengths := segmentLengths(b.coords, b.segs)

	// Directed adjacency over all builder nodes, for the component search.
	deg := make([]int32, n+1)
	for _, s := range b.segs {
		if s.dir >= 0 {
			deg[s.u+1]++
		}
		if s.dir <= 0 {
			deg[s.v+1]++
		}
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	adj := make([]int32, deg[n])
	fill := append([]int32(nil), deg[:n]...)
	for _, s := range b.segs {
		if s.dir >= 0 {
			adj[fill[s.u]] = s.v
			fill[s.u]++
		}
		if s.dir <= 0 {
			adj[fill[s.v]] = s.u
			fill[s.v]++
		}
	}
	comp, ncomp := stronglyConnected(deg, adj)
	// Pick the component with the most nodes among those touching a segment.
	size := make([]int32, ncomp)
	used := make([]bool, n)
	for _, s := range b.segs {
		used[s.u], used[s.v] = true, true
	}
	for v := 0; v < n; v++ {
		if used[v] {
			size[comp[v]]++
		}
	}
	best := int32(0)
	for c := range size {
		if size[c] > size[best] {
			best = int32(c)
		}
	}
	usedComps := 0
	for _, c := range size {
		if c > 0 {
			usedComps++
		}
	}
	st.Components = usedComps

	// Renumber kept nodes.
	newID := make([]int32, n)
	g := &Graph{Profile: b.profile}
	for v := 0; v < n; v++ {
		newID[v] = -1
		if used[v] && comp[v] == best {
			newID[v] = int32(len(g.coords))
			g.coords = append(g.coords, b.coords[v])
			if b.osmIDs != nil {
				g.osmIDs = append(g.osmIDs, b.osmIDs[v])
			}
		} else if used[v] {
			st.DroppedNodes++
		}
	}
	nn := len(g.coords)

	// Kept segments: both ends in the component. An edge between two nodes
	// of one strongly connected component always lies inside it.
	g.outStart = make([]int32, nn+1)
	nseg := 0
	for i, s := range b.segs {
		nu, nv := newID[s.u], newID[s.v]
		if nu < 0 || nv < 0 {
			st.DroppedLengthM += lengths[i]
			if s.dir == 0 {
				st.DroppedEdges += 2
			} else {
				st.DroppedEdges++
			}
			continue
		}
		nseg++
		if s.dir >= 0 {
			g.outStart[nu+1]++
		}
		if s.dir <= 0 {
			g.outStart[nv+1]++
		}
	}
	if nseg == 0 {
		return nil, st, fmt.Errorf("network: no two nodes reach each other in both directions (%d one-way segments)", len(b.segs))
	}
	for i := 1; i <= nn; i++ {
		g.outStart[i] += g.outStart[i-1]
	}
	ne := int(g.outStart[nn])
	g.head = make([]int32, ne)
	g.lengthM = make([]float64, ne)
	g.timeS = make([]float64, ne)
	g.edgeSeg = make([]int32, ne)
	g.segU = make([]int32, 0, nseg)
	g.segV = make([]int32, 0, nseg)
	g.segFwd = make([]int32, 0, nseg)
	g.segBack = make([]int32, 0, nseg)
	pos := append([]int32(nil), g.outStart[:nn]...)
	put := func(tail, head int32, seg int32, length float64, speedKmh float64) int32 {
		e := pos[tail]
		pos[tail]++
		g.head[e] = head
		g.lengthM[e] = length
		g.timeS[e] = length / (speedKmh / 3.6)
		g.edgeSeg[e] = seg
		return e
	}
	for i, s := range b.segs {
		nu, nv := newID[s.u], newID[s.v]
		if nu < 0 || nv < 0 {
			continue
		}
		seg := int32(len(g.segU))
		fwd, back := int32(-1), int32(-1)
		if s.dir >= 0 {
			fwd = put(nu, nv, seg, lengths[i], s.speedKmh)
		}
		if s.dir <= 0 {
			back = put(nv, nu, seg, lengths[i], s.speedKmh)
		}
		g.segU = append(g.segU, nu)
		g.segV = append(g.segV, nv)
		g.segFwd = append(g.segFwd, fwd)
		g.segBack = append(g.segBack, back)
	}

	// Incoming CSR.
	g.inStart = make([]int32, nn+1)
	for _, h := range g.head {
		g.inStart[h+1]++
	}
	for i := 1; i <= nn; i++ {
		g.inStart[i] += g.inStart[i-1]
	}
	g.inTail = make([]int32, ne)
	g.inEdge = make([]int32, ne)
	ipos := append([]int32(nil), g.inStart[:nn]...)
	for u := int32(0); int(u) < nn; u++ {
		for e := g.outStart[u]; e < g.outStart[u+1]; e++ {
			h := g.head[e]
			g.inTail[ipos[h]] = u
			g.inEdge[ipos[h]] = e
			ipos[h]++
		}
	}

	st.Nodes, st.Edges, st.Segments = nn, ne, len(g.segU)
	return g, st, nil
}

// segmentLengths computes the geodesic length of every segment, splitting
// the work over the available processors (it dominates the build time).
func segmentLengths(coords []orb.Point, segs []rawSeg) []float64 {
	out := make([]float64, len(segs))
	workers := runtime.GOMAXPROCS(0)
	if len(segs) < 4096 || workers < 2 {
		for i, s := range segs {
			out[i] = geo.Distance(coords[s.u], coords[s.v])
		}
		return out
	}
	var wg sync.WaitGroup
	chunk := (len(segs) + workers - 1) / workers
	for from := 0; from < len(segs); from += chunk {
		to := min(from+chunk, len(segs))
		wg.Add(1)
		go func(from, to int) {
			defer wg.Done()
			for i := from; i < to; i++ {
				out[i] = geo.Distance(coords[segs[i].u], coords[segs[i].v])
			}
		}(from, to)
	}
	wg.Wait()
	return out
}

// stronglyConnected labels the strongly connected components of the graph
// given as CSR (start, adj) with an iterative Tarjan search. It returns the
// component of every node and the number of components.
func stronglyConnected(start, adj []int32) ([]int32, int) {
	n := len(start) - 1
	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	comp := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = unvisited
		comp[i] = -1
	}
	var stack []int32 // Tarjan's stack
	type frame struct {
		v    int32
		next int32 // next adjacency position to look at
	}
	var call []frame
	var counter int32
	ncomp := int32(0)
	for root := int32(0); int(root) < n; root++ {
		if index[root] != unvisited {
			continue
		}
		call = append(call, frame{root, start[root]})
		index[root], low[root] = counter, counter
		counter++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.next < start[v+1] {
				w := adj[f.next]
				f.next++
				if index[w] == unvisited {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, start[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				if low[v] < low[p] {
					low[p] = low[v]
				}
			}
		}
	}
	return comp, int(ncomp)
}

// costOf returns the cost of edge e under metric m.
func (g *Graph) costOf(e int32, m Metric) float64 {
	if m == Time {
		return g.timeS[e]
	}
	return g.lengthM[e]
}

// snapCost is the cost of walking d metres between a point and the network.
func snapCost(d float64, m Metric) float64 {
	if m == Time {
		return d / walkSpeedMS
	}
	return d
}

var inf = math.Inf(1)
