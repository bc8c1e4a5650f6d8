package catchment

import (
	"errors"
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// Method is how catchment polygons are drawn.
type Method string

// Catchment methods.
const (
	// Dissolve unions the districts each office serves.
	Dissolve Method = "dissolve"
	// Voronoi takes the cells of the open offices (points nearer to that
	// office than to any other) clipped to the study boundary.
	Voronoi Method = "voronoi"
)

// Catchment is the area one open office serves.
type Catchment struct {
	Office     *data.Office
	Index      int // the office's index in the study
	Method     Method
	Geometry   orb.MultiPolygon
	Districts  int     // districts assigned to the office
	Population float64 // population of those districts
	AreaKm2    float64 // geodesic area of Geometry
}

// dissolveCatchments unions, for every open office that serves at least
// one district, the districts assigned to it.
func dissolveCatchments(districts []data.District, offices []data.Office, a Assignment) ([]Catchment, error) {
	groups := make([][]orb.MultiPolygon, len(offices))
	for _, da := range a.Districts {
		if da.OfficeIndex < 0 {
			continue
		}
		groups[da.OfficeIndex] = append(groups[da.OfficeIndex], districts[da.Index].Geometry)
	}
	// Offices are dissolved in parallel; each union is independent.
	res := make([]Catchment, len(groups))
	err := parallelFor(len(groups), func(oi int) error {
		g := groups[oi]
		if len(g) == 0 {
			return nil
		}
		u, err := dissolve(g)
		if err != nil {
			return fmt.Errorf("dissolve catchment of office %s: %w", offices[oi].ID, err)
		}
		res[oi] = Catchment{
			Office: &offices[oi], Index: oi, Method: Dissolve, Geometry: u,
			Districts: a.Offices[oi].Districts, Population: a.Offices[oi].Population,
			AreaKm2: geo.Area(u) / 1e6,
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Catchment
	for oi, g := range groups {
		if len(g) > 0 {
			out = append(out, res[oi])
		}
	}
	return out, nil
}

// dissolve is the union of one office's districts: by their shared edges
// (geo.CoverageUnion) when they form a clean coverage, as districts
// usually do, and by polygon overlay otherwise.
func dissolve(districts []orb.MultiPolygon) (orb.MultiPolygon, error) {
	u, err := geo.CoverageUnion(districts)
	if errors.Is(err, geo.ErrNotCoverage) {
		return geo.Union(districts)
	}
	return u, err
}

// voronoiCatchments returns the Voronoi cell of every open office, computed
// in a local transverse Mercator projection (within centimetres of the
// geodesic bisectors at city scale) and clipped to boundary. With no
// boundary, cells are clipped to the districts' extent, or to the offices'
// extent with a 10 % margin. District counts and population come from a
// (the zero Assignment: none, every office open).
func voronoiCatchments(districts []data.District, offices []data.Office, boundary orb.MultiPolygon, a Assignment) ([]Catchment, error) {
	var open []int
	for i := range offices {
		if a.Offices != nil && !a.Offices[i].Open {
			continue
		}
		open = append(open, i)
	}
	if len(open) == 0 {
		return nil, fmt.Errorf("voronoi catchments: no open office")
	}
	clip := boundary
	var extent orb.Bound
	switch {
	case len(boundary) > 0:
		extent = boundary.Bound()
	case len(districts) > 0:
		extent = districts[0].Geometry.Bound()
		for _, d := range districts[1:] {
			extent = extent.Union(d.Geometry.Bound())
		}
	default:
		extent = orb.Bound{Min: offices[open[0]].Location, Max: offices[open[0]].Location}
		for _, i := range open {
			extent = extent.Extend(offices[i].Location)
		}
		dx, dy := extent.Max[0]-extent.Min[0], extent.Max[1]-extent.Min[1]
		extent = extent.Pad(0.1 * max(dx, dy))
	}
	for _, i := range open {
		extent = extent.Extend(offices[i].Location)
	}
	if clip == nil {
		clip = orb.MultiPolygon{extent.ToPolygon()}
	}
	proj := geo.LocalProjection(extent)
	sites := make([]orb.Point, len(open))
	for k, i := range open {
		sites[k] = proj.Forward(offices[i].Location)
	}
	lo, hi := proj.Forward(extent.Min), proj.Forward(extent.Max)
	pb := orb.Bound{Min: lo, Max: hi}
	for _, c := range []orb.Point{{extent.Min[0], extent.Max[1]}, {extent.Max[0], extent.Min[1]}} {
		pb = pb.Extend(proj.Forward(c))
	}
	for _, s := range sites {
		pb = pb.Extend(s)
	}
	pb = pb.Pad(1000)
	var cells []orb.Polygon
	var err error
	if len(sites) == 1 {
		cells = []orb.Polygon{pb.ToPolygon()} // the only office's cell is the whole area
	} else if cells, err = geo.VoronoiCells(sites, pb); err != nil {
		return nil, fmt.Errorf("voronoi catchments: %w", err)
	}
	// Densify cell edges every 200 m at city scale, up to every 2 km at
	// national scale: a straight projected edge then bends less than 0.1 m
	// between the added points.
	step := math.Min(2000, math.Max(200, math.Hypot(pb.Max[0]-pb.Min[0], pb.Max[1]-pb.Min[1])/1000))
	// The boundary is validated and tiled once; cells are clipped in parallel.
	clipper, err := geo.NewClipper(clip)
	if err != nil {
		return nil, fmt.Errorf("voronoi catchments: boundary: %w", err)
	}
	out := make([]Catchment, len(open))
	err = parallelFor(len(open), func(k int) error {
		i := open[k]
		cell := unproject(cells[k], proj, step)
		g, err := clipper.Intersect(orb.MultiPolygon{cell})
		if err != nil {
			return fmt.Errorf("clip voronoi cell of office %s: %w", offices[i].ID, err)
		}
		c := Catchment{Office: &offices[i], Index: i, Method: Voronoi, Geometry: g, AreaKm2: geo.Area(g) / 1e6}
		if a.Offices != nil {
			c.Districts, c.Population = a.Offices[i].Districts, a.Offices[i].Population
		}
		out[k] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// unproject maps a planar polygon back to lon/lat, densifying edges longer
// than step metres so that the straight projected edges stay straight on
// the map.
func unproject(p orb.Polygon, proj geo.TransverseMercator, step float64) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for r, ring := range p {
		var nr orb.Ring
		for j := 0; j+1 < len(ring); j++ {
			a, b := ring[j], ring[j+1]
			dx, dy := b[0]-a[0], b[1]-a[1]
			n := max(1, int(math.Ceil(math.Hypot(dx, dy)/step)))
			for s := 0; s < n; s++ {
				t := float64(s) / float64(n)
				nr = append(nr, proj.Inverse(orb.Point{a[0] + t*dx, a[1] + t*dy}))
			}
		}
		if len(ring) > 0 {
			nr = append(nr, proj.Inverse(ring[len(ring)-1]))
		}
		out[r] = nr
	}
	return out
}
