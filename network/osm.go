package network

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// Load reads a road network file and builds the graph for profile p. The
// format follows the name: .json (Overpass JSON), .osm or .xml (OSM XML),
// .pbf or .osm.pbf (OSM PBF).
func Load(path string, p Profile) (*Graph, Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("network: %w", err)
	}
	defer f.Close()
	var g *Graph
	var st Stats
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".json"):
		var data []byte
		if data, err = readAll(f); err == nil {
			g, st, err = readOverpass(data, p)
		}
	case strings.HasSuffix(lower, ".osm"), strings.HasSuffix(lower, ".xml"):
		g, st, err = ReadOSMXML(bufio.NewReaderSize(f, 1<<16), p)
	case strings.HasSuffix(lower, ".pbf"):
		g, st, err = ReadPBF(f, p)
	default:
		return nil, Stats{}, fmt.Errorf("network: %s: unknown road network format (want .json, .osm, .xml or .pbf)", path)
	}
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", path, err)
	}
	return g, st, nil
}

// wayCollector gathers the ways a profile uses and the nodes they need, then
// builds the graph.
type wayCollector struct {
	profile Profile
	stats   Stats
	ways    []keptWay
	nodes   map[int64]orb.Point
}

// keptWay is a way the profile uses.
type keptWay struct {
	id   int64
	refs []int64
	rule wayRule
}

func newCollector(p Profile) (*wayCollector, error) {
	if p != Car && p != Walk {
		return nil, fmt.Errorf("network: unknown profile %q (want car or walk)", p)
	}
	return &wayCollector{profile: p, nodes: map[int64]orb.Point{}}, nil
}

// addWay applies the profile to one way.
func (c *wayCollector) addWay(id int64, refs []int64, tag tagger) {
	c.stats.Ways++
	r, ok := c.profile.rule(tag)
	if !ok || len(refs) < 2 {
		return
	}
	c.stats.KeptWays++
	c.ways = append(c.ways, keptWay{id: id, refs: refs, rule: r})
}

// build turns the kept ways into a graph: one node per referenced OSM node,
// one segment per pair of consecutive nodes.
func (c *wayCollector) build() (*Graph, Stats, error) {
	b := NewBuilder(c.profile)
	b.stats = c.stats
	ids := make(map[int64]int32, len(c.nodes))
	node := func(ref int64) (int32, bool) {
		if id, ok := ids[ref]; ok {
			return id, true
		}
		p, ok := c.nodes[ref]
		if !ok {
			return -1, false
		}
		id := b.addOSMNode(p, ref)
		ids[ref] = id
		return id, true
	}
	for _, w := range c.ways {
		prev, prevOK := node(w.refs[0])
		if !prevOK {
			b.stats.MissingNodeRefs++
		}
		for _, ref := range w.refs[1:] {
			cur, ok := node(ref)
			if !ok {
				b.stats.MissingNodeRefs++
			}
			if ok && prevOK && cur != prev {
				b.AddSegment(prev, cur, w.rule.dir, w.rule.speedKmh)
			}
			prev, prevOK = cur, ok
		}
	}
	return b.Build()
}

// ReadOverpassJSON reads an Overpass API JSON answer holding nodes and ways
// ("out body" of a way query with its nodes) and builds the graph for p.
func ReadOverpassJSON(r io.Reader, p Profile) (*Graph, Stats, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("network: reading Overpass JSON: %w", err)
	}
	return readOverpass(data, p)
}

// ReadOSMXML reads an OSM XML file (.osm) and builds the graph for p.
func ReadOSMXML(r io.Reader, p Profile) (*Graph, Stats, error) {
	c, err := newCollector(p)
	if err != nil {
		return nil, Stats{}, err
	}
	sc := osmxml.New(context.Background(), r)
	defer sc.Close()
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			c.nodes[int64(o.ID)] = orb.Point{o.Lon, o.Lat}
		case *osm.Way:
			c.addOSMWay(o)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, Stats{}, fmt.Errorf("network: OSM XML: %w", err)
	}
	return c.build()
}

// addOSMWay applies the profile to a way decoded by paulmach/osm.
func (c *wayCollector) addOSMWay(w *osm.Way) {
	refs := make([]int64, len(w.Nodes))
	for i, n := range w.Nodes {
		refs[i] = int64(n.ID)
	}
	tags := w.Tags
	c.addWay(int64(w.ID), refs, func(k string) string { return tags.Find(k) })
}

// ReadPBF reads an OSM PBF file in two passes, first the ways, then only the
// nodes they use, so that a large regional extract needs memory only for its
// roads. It builds the graph for p.
func ReadPBF(r io.ReadSeeker, p Profile) (*Graph, Stats, error) {
	c, err := newCollector(p)
	if err != nil {
		return nil, Stats{}, err
	}
	procs := min(runtime.GOMAXPROCS(0), 4)
	sc := osmpbf.New(context.Background(), r, procs)
	sc.SkipNodes, sc.SkipRelations = true, true
	for sc.Scan() {
		if w, ok := sc.Object().(*osm.Way); ok {
			c.addOSMWay(w)
		}
	}
	if err := sc.Err(); err != nil {
		sc.Close()
		return nil, Stats{}, fmt.Errorf("network: OSM PBF (ways): %w", err)
	}
	sc.Close()
	need := make(map[int64]bool)
	for _, w := range c.ways {
		for _, ref := range w.refs {
			need[ref] = true
		}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, Stats{}, fmt.Errorf("network: OSM PBF: rewinding for nodes: %w", err)
	}
	sc = osmpbf.New(context.Background(), r, procs)
	defer sc.Close()
	sc.SkipWays, sc.SkipRelations = true, true
	sc.FilterNode = func(n *osm.Node) bool { return need[int64(n.ID)] }
	for sc.Scan() {
		if n, ok := sc.Object().(*osm.Node); ok {
			c.nodes[int64(n.ID)] = orb.Point{n.Lon, n.Lat}
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, Stats{}, fmt.Errorf("network: OSM PBF (nodes): %w", err)
	}
	return c.build()
}

// readAll reads a whole file into one buffer of the file's size.
func readAll(f *os.File) ([]byte, error) {
	size := 0
	if fi, err := f.Stat(); err == nil && fi.Size() < 1<<40 {
		size = int(fi.Size())
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(f)
	return buf.Bytes(), err
}
