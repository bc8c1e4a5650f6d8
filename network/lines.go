package network

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Line is one line of a road layer (GeoJSON, Shapefile, GeoPackage...), in
// longitude/latitude, with what the layer says about it.
type Line struct {
	// Points are the line's positions, in order; two or more.
	Points orb.LineString
	// Oneway is 0 for a two-way road, 1 when cars may travel only in the
	// order of Points, -1 only against it. Walkers ignore it.
	Oneway int
	// SpeedKmh is the car speed on the road; 0 means: from Class, else
	// DefaultCarSpeedKmh.
	SpeedKmh float64
	// Class is the road class as the layer names it: an OpenStreetMap
	// highway value (primary, residential...) or a Japanese road type
	// (高速自動車国道, 一般国道, 主要地方道, 都道府県道, 市町村道...); "" when
	// unknown.
	Class string
}

// DefaultNodeToleranceM is how close, in metres, line ends must be to join
// as one node when LineOptions does not say.
const DefaultNodeToleranceM = 1.0

// DefaultCarSpeedKmh is the car speed on a line with neither a speed nor a
// known class: an urban free-flow average.
const DefaultCarSpeedKmh = 30.0

// LineOptions set how the lines of a layer are joined into a network.
type LineOptions struct {
	// NodeToleranceM: line ends (and, with NodeAtVertices, vertices)
	// within this many metres of one another become one node.
	// 0 means DefaultNodeToleranceM.
	NodeToleranceM float64
	// NodeAtVertices joins lines also where they share an interior vertex,
	// for data not split at junctions. Without it lines meet only at their
	// ends, so that a bridge does not meet the road it crosses.
	NodeAtVertices bool
}

// LineStats says what building a network from lines did.
type LineStats struct {
	Stats
	// Lines is the number of lines given; Used those of the profile;
	// Skipped those with fewer than two distinct positions.
	Lines, Used, Skipped int
	// NotForProfile counts lines the profile does not use (motorways for
	// walking).
	NotForProfile int
	// Merged is the number of positions that joined another within the
	// tolerance (coincident line ends and, with NodeAtVertices, vertices).
	Merged int
	// DefaultSpeed counts the lines driven at DefaultCarSpeedKmh because
	// they give neither a speed nor a known class; Oneway the one-way lines.
	DefaultSpeed, Oneway int
	// ToleranceM is the node tolerance used.
	ToleranceM float64
}

// String is a one-line summary fit for a log.
func (s LineStats) String() string {
	out := fmt.Sprintf("%d of %d lines used (%d too short", s.Used, s.Lines, s.Skipped)
	if s.NotForProfile > 0 {
		out += fmt.Sprintf(", %d not for this profile", s.NotForProfile)
	}
	out += fmt.Sprintf("); %d positions joined within %g m; %d one-way", s.Merged, s.ToleranceM, s.Oneway)
	if s.DefaultSpeed > 0 {
		out += fmt.Sprintf("; %d at the default %g km/h (no speed or class)", s.DefaultSpeed, DefaultCarSpeedKmh)
	}
	return out + fmt.Sprintf("; %d nodes, %d edges kept, largest of %d strongly connected components, dropped %d nodes, %d edges, %.1f km",
		s.Nodes, s.Edges, s.Components, s.DroppedNodes, s.DroppedEdges, s.DroppedLengthM/1000)
}

// classSpeedKmh are car speeds of road classes named in Japanese
// (国土数値情報 and 道路交通センサス names), beside the OpenStreetMap highway
// classes of carSpeedKmh.
var classSpeedKmh = map[string]float64{
	"高速自動車国道": 80, "高速道路": 80, "自動車専用道路": 70, "都市高速道路": 60,
	"一般国道": 50, "国道": 50, "主要地方道": 40, "都道府県道": 40, "県道": 40, "一般県道": 40,
	"市町村道": 30, "市道": 30, "町道": 30, "村道": 30, "その他": 30,
}

// motorways are the classes walkers may not use.
var motorways = map[string]bool{
	"motorway": true, "motorway_link": true, "高速自動車国道": true, "高速道路": true,
	"自動車専用道路": true, "都市高速道路": true,
}

// speedOf is a line's car speed and whether it fell back to the default.
func speedOf(l Line) (float64, bool, error) {
	if l.SpeedKmh != 0 {
		if !(l.SpeedKmh > 0) || math.IsInf(l.SpeedKmh, 0) || l.SpeedKmh > 300 {
			return 0, false, fmt.Errorf("speed %v km/h is not between 0 and 300", l.SpeedKmh)
		}
		return l.SpeedKmh, false, nil
	}
	c := strings.ToLower(strings.TrimSpace(l.Class))
	if v, ok := carSpeedKmh[c]; ok {
		return v, false, nil
	}
	if v, ok := classSpeedKmh[c]; ok {
		return v, false, nil
	}
	return DefaultCarSpeedKmh, true, nil
}

// FromLines builds a network for profile p from the lines of a road layer.
// Lines meet where their ends lie within the node tolerance of one another
// (and, with NodeAtVertices, where any of their vertices do); every other
// vertex is a node of its line alone. As for OpenStreetMap, only the
// largest strongly connected component is kept. It fails with the index of
// the first line that has a bad speed or oneway value.
func FromLines(lines []Line, p Profile, opt LineOptions) (*Graph, LineStats, error) {
	st := LineStats{Lines: len(lines), ToleranceM: opt.NodeToleranceM}
	if st.ToleranceM == 0 {
		st.ToleranceM = DefaultNodeToleranceM
	}
	if !(st.ToleranceM > 0) || math.IsInf(st.ToleranceM, 0) || st.ToleranceM > 100 {
		return nil, st, fmt.Errorf("network: node tolerance %g m is not between 0 and 100 m", opt.NodeToleranceM)
	}
	if p != Car && p != Walk {
		return nil, st, fmt.Errorf("network: unknown profile %q", p)
	}
	b := NewBuilder(p)
	maxLat := 0.0
	for _, l := range lines {
		for _, q := range l.Points {
			if a := math.Abs(q[1]); a <= 90 {
				maxLat = max(maxLat, a)
			}
		}
	}
	j := newJoiner(st.ToleranceM, maxLat)
	for i, l := range lines {
		if l.Oneway < -1 || l.Oneway > 1 {
			return nil, st, fmt.Errorf("network: line %d: oneway %d is not -1, 0 or 1", i, l.Oneway)
		}
		speed, byDefault, err := speedOf(l)
		if err != nil {
			return nil, st, fmt.Errorf("network: line %d: %w", i, err)
		}
		dir := l.Oneway
		if p == Walk {
			if motorways[strings.ToLower(strings.TrimSpace(l.Class))] {
				st.NotForProfile++
				continue
			}
			speed, byDefault, dir = WalkSpeedKmh, false, 0
		}
		pts := dropRepeats(l.Points)
		if len(pts) < 2 {
			st.Skipped++
			continue
		}
		st.Used++
		if byDefault {
			st.DefaultSpeed++
		}
		if dir != 0 {
			st.Oneway++
		}
		prev := int32(-1)
		for k, q := range pts {
			var n int32
			if k == 0 || k == len(pts)-1 || opt.NodeAtVertices {
				n = j.node(b, q)
			} else {
				n = b.AddNode(q)
			}
			if prev >= 0 && n != prev {
				b.AddSegment(prev, n, dir, speed)
			}
			prev = n
		}
	}
	st.Merged = j.merged
	if st.Used == 0 {
		return nil, st, fmt.Errorf("network: none of the %d lines has two distinct positions for profile %s", len(lines), p)
	}
	g, bs, err := b.Build()
	st.Stats = bs
	return g, st, err
}

// dropRepeats returns the positions with consecutive repeats removed.
func dropRepeats(ls orb.LineString) orb.LineString {
	out := make(orb.LineString, 0, len(ls))
	for _, q := range ls {
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}

// joiner gives positions within a tolerance of one another one builder
// node, through a grid of cells at least the tolerance wide everywhere in
// the layer: a position joins the nearest node within the tolerance in its
// own or a neighbouring cell.
type joiner struct {
	tol          float64
	cellX, cellY float64 // cell size in degrees of longitude and latitude
	cells        map[[2]int64][]int32
	coords       []orb.Point // per builder node joined here
	ids          []int32
	merged       int
}

// newJoiner makes a joiner for positions up to latitude ±maxLat.
func newJoiner(tol, maxLat float64) *joiner {
	kx, _ := metresPerDegree(min(maxLat, 89)) // narrowest degree of longitude
	_, ky := metresPerDegree(0)               // shortest degree of latitude
	return &joiner{tol: tol, cellX: tol / kx, cellY: tol / ky, cells: map[[2]int64][]int32{}}
}

// node returns the builder node of q, adding one when no joined node lies
// within the tolerance.
func (j *joiner) node(b *Builder, q orb.Point) int32 {
	cx, cy := int64(math.Floor(q[0]/j.cellX)), int64(math.Floor(q[1]/j.cellY))
	best, bestD := int32(-1), math.Inf(1)
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, k := range j.cells[[2]int64{cx + dx, cy + dy}] {
				if d := approxMetres(q, j.coords[k]); d <= j.tol && d < bestD {
					best, bestD = k, d
				}
			}
		}
	}
	if best >= 0 {
		j.merged++
		return j.ids[best]
	}
	id := b.AddNode(q)
	k := int32(len(j.coords))
	j.coords = append(j.coords, q)
	j.ids = append(j.ids, id)
	key := [2]int64{cx, cy}
	j.cells[key] = append(j.cells[key], k)
	return id
}

// approxMetres is the distance between two nearby positions in a local
// plane: within a part in a thousand of the geodesic for the metre-scale
// tolerances it is used for.
func approxMetres(a, b orb.Point) float64 {
	kx, ky := metresPerDegree((a[1] + b[1]) / 2)
	return math.Hypot((a[0]-b[0])*kx, (a[1]-b[1])*ky)
}
