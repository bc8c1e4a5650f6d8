package draw

import (
	"slices"
	"sync"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// ProjectionCache lets the maps of one study share their districts'
// outlines projected to the page: maps of the same districts and extent
// project them once instead of once each. Give the same cache to every
// MapOptions of a run; it is safe for concurrent use. The zero value is
// ready to use.
type ProjectionCache struct {
	mu      sync.Mutex
	entries []*projected
}

// projected is one set of outlines projected with one projection.
type projected struct {
	rings  []ringKey // identifies the outlines: every ring's array and length
	tm     geo.TransverseMercator
	once   sync.Once
	metres []orb.MultiPolygon
	extent [4]float64 // of metres: minX, minY, maxX, maxY
}

// ringKey is a ring's first point (where its array lies) and length.
type ringKey struct {
	first *orb.Point
	n     int
}

// keyOf lists the rings of geoms as ringKeys: two lists are equal only
// when the outlines are the very same arrays, which maps only read.
func keyOf(geoms []orb.MultiPolygon) []ringKey {
	var key []ringKey
	for _, g := range geoms {
		for _, p := range g {
			for _, r := range p {
				k := ringKey{n: len(r)}
				if len(r) > 0 {
					k.first = &r[0]
				}
				key = append(key, k)
			}
		}
		key = append(key, ringKey{}) // ends a geometry
	}
	return key
}

// project returns geoms projected with tm and their extent, computing
// them once per distinct pair; c may be nil (no sharing).
func (c *ProjectionCache) project(geoms []orb.MultiPolygon, tm geo.TransverseMercator) ([]orb.MultiPolygon, [4]float64) {
	if c == nil {
		return projectOutlines(geoms, tm)
	}
	key := keyOf(geoms)
	c.mu.Lock()
	var e *projected
	for _, x := range c.entries {
		if x.tm == tm && slices.Equal(x.rings, key) {
			e = x
			break
		}
	}
	if e == nil {
		e = &projected{rings: key, tm: tm}
		c.entries = append(c.entries, e)
	}
	c.mu.Unlock()
	e.once.Do(func() { e.metres, e.extent = projectOutlines(geoms, tm) })
	return e.metres, e.extent
}

// projectOutlines projects every vertex of geoms with tm.
func projectOutlines(geoms []orb.MultiPolygon, tm geo.TransverseMercator) ([]orb.MultiPolygon, [4]float64) {
	b := emptyExtent()
	metres := make([]orb.MultiPolygon, len(geoms))
	for i, g := range geoms {
		m := make(orb.MultiPolygon, len(g))
		for j, poly := range g {
			m[j] = make(orb.Polygon, len(poly))
			for k, r := range poly {
				mr := make(orb.Ring, len(r))
				for l, p := range r {
					q := tm.Forward(p)
					b = grown(b, q)
					mr[l] = q
				}
				m[j][k] = mr
			}
		}
		metres[i] = m
	}
	return metres, b
}
