package data

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Validate checks a dataset across layers (e.g. one layer's points far outside the others' extent, lat/lon swapped).
//
// It also re-checks what Load checks per record (ids present and unique,
// names, kinds, coordinates in degrees, non-negative populations), so that
// datasets built in code get the same guarantees. Problems that stop a study
// are returned as an error; doubtful but usable data as warnings.
func Validate(ds *Dataset) ([]Warning, error) {
	if ds == nil {
		return nil, fmt.Errorf("validate: no dataset")
	}
	var warnings []Warning
	var errs []error
	collect := func(p *problems) {
		warnings = append(warnings, p.warnings...)
		if err := p.err(); err != nil {
			errs = append(errs, err)
		}
	}
	sites := map[Layer][]site{}
	for _, layer := range Layers {
		p := &problems{file: sourceName(ds, layer)}
		sites[layer] = checkRecords(ds, layer, p)
		collect(p)
	}
	if len(errs) > 0 {
		return warnings, errors.Join(errs...)
	}
	checkExtents(ds, sites, collect)
	if len(ds.Offices) > 0 {
		kinds := map[OfficeKind]int{}
		for _, o := range ds.Offices {
			kinds[o.Kind]++
		}
		p := &problems{file: sourceName(ds, LayerOffices)}
		if kinds[Ward] == 0 {
			p.warnf("", fieldKind, "no ward office (kind=ward); analyses that measure to the nearest ward office have nothing to measure to")
		}
		if kinds[Branch] == 0 {
			p.warnf("", fieldKind, "no branch office (kind=branch)")
		}
		collect(p)
	}
	if len(errs) > 0 {
		return warnings, errors.Join(errs...)
	}
	return warnings, nil
}

// sourceName names a layer's file for messages, or the layer itself.
func sourceName(ds *Dataset, layer Layer) string {
	if s := ds.Sources[layer]; s != "" {
		return s
	}
	return "layer " + string(layer)
}

// site is one point of a layer used to compare extents: a point feature, or
// the centre of a polygon's bounding box.
type site struct {
	label string
	p     orb.Point
}

// checkRecords checks each record of a layer on its own and returns its sites.
func checkRecords(ds *Dataset, layer Layer, p *problems) []site {
	var out []site
	ids := map[string]string{}
	checkID := func(i int, id string, required bool) string {
		at := fmt.Sprintf("record %d (id=%s)", i, id)
		if id == "" {
			at = fmt.Sprintf("record %d", i)
			if required {
				p.errorf(at, fieldID, "missing id; every record needs a unique id")
			}
			return at
		}
		if first, dup := ids[id]; dup {
			p.errorf(at, fieldID, "duplicate id %q, also used by %s; ids must be unique within the layer", id, first)
		} else {
			ids[id] = at
		}
		return at
	}
	checkPoint := func(at string, pt orb.Point) {
		if msg := positionMessage(pt, layer); msg != "" {
			p.errorf(at, "geometry", "%s", msg)
		}
	}
	polySites := func(at string, mp orb.MultiPolygon) {
		if len(mp) == 0 {
			p.errorf(at, "geometry", "the geometry is empty")
			return
		}
		for _, poly := range mp {
			if len(poly) == 0 {
				continue
			}
			c := poly.Bound().Center()
			if msg := positionMessage(c, layer); msg != "" {
				p.errorf(at, "geometry", "%s", msg)
				return
			}
			out = append(out, site{at, c})
		}
	}
	switch layer {
	case LayerOffices:
		for i, o := range ds.Offices {
			at := checkID(i, o.ID, true)
			if o.Name == "" {
				p.errorf(at, fieldName, "missing; every office needs a name")
			}
			if o.Kind != Ward && o.Kind != Branch {
				p.errorf(at, fieldKind, "unknown kind %q; give ward or branch", o.Kind)
			}
			checkPoint(at, o.Location)
			out = append(out, site{at, o.Location})
		}
	case LayerStores, LayerPosts:
		pts := ds.Stores
		if layer == LayerPosts {
			pts = ds.Posts
		}
		for i, s := range pts {
			at := checkID(i, s.ID, true)
			checkPoint(at, s.Location)
			out = append(out, site{at, s.Location})
		}
	case LayerDistricts:
		for i, d := range ds.Districts {
			at := checkID(i, d.ID, true)
			if d.Name == "" {
				p.errorf(at, fieldName, "missing; every district needs a name")
			}
			if d.Population != nil && !(*d.Population >= 0) {
				p.errorf(at, fieldPopulation, "population %v must be a number ≥ 0", *d.Population)
			}
			if d.Point != nil {
				checkPoint(at, *d.Point)
				out = append(out, site{at, *d.Point})
				continue
			}
			polySites(at, d.Geometry)
		}
	case LayerBoundary:
		if ds.Boundary != nil {
			polySites("boundary", ds.Boundary)
		}
	}
	return out
}

// checkExtents compares each layer with the extent of the others. When
// every layer that has positions looks swapped against the rest (as with
// two layers, one of them swapped), it cannot tell which one is wrong and
// says so in one error naming them all.
func checkExtents(ds *Dataset, sites map[Layer][]site, collect func(*problems)) {
	var results []*problems
	var withSites, swapped []Layer
	for _, layer := range Layers {
		if len(sites[layer]) == 0 {
			continue
		}
		withSites = append(withSites, layer)
		p := &problems{file: sourceName(ds, layer)}
		if checkExtent(layer, sites, p) {
			swapped = append(swapped, layer)
		}
		results = append(results, p)
	}
	if len(swapped) > 1 && len(swapped) == len(withSites) {
		var names []string
		for _, l := range swapped {
			names = append(names, fmt.Sprintf("%s (%s)", l, sourceName(ds, l)))
		}
		p := &problems{file: sourceName(ds, swapped[0])}
		p.errorf("", "lat/lon", "the layers %s do not overlap, but would if one of them had latitude and longitude exchanged: latitude and longitude look swapped in one of them — check which, and swap its columns or map them with --field LAYER.lat=... --field LAYER.lon=...",
			strings.Join(names, ", "))
		collect(p)
		return
	}
	for _, p := range results {
		collect(p)
	}
}

// checkExtent compares the sites of layer with the extent of the other
// layers. When most of them lie far outside but would lie inside with
// latitude and longitude exchanged, the layer is swapped: an error, and
// checkExtent returns true. Otherwise sites far outside are reported as a
// warning.
func checkExtent(layer Layer, sites map[Layer][]site, p *problems) bool {
	own := sites[layer]
	var ref orb.Bound
	empty := true
	for _, other := range Layers {
		if other == layer {
			continue
		}
		for _, s := range sites[other] {
			if empty {
				ref, empty = s.p.Bound(), false
			} else {
				ref = ref.Extend(s.p)
			}
		}
	}
	// A reference of one place (a single office) or a cluster has no
	// extent to compare with.
	if empty || ref.Right()-ref.Left() < 0.01 && ref.Top()-ref.Bottom() < 0.01 {
		return false
	}
	// Far outside: beyond half the reference extent, and at least 0.1°
	// (about 10 km), around it.
	margin := math.Max(0.5*math.Max(ref.Right()-ref.Left(), ref.Top()-ref.Bottom()), 0.1)
	zone := ref.Pad(margin)
	var outside []site
	swapFits := 0
	for _, s := range own {
		if zone.Contains(s.p) {
			continue
		}
		outside = append(outside, s)
		if zone.Contains(orb.Point{s.p[1], s.p[0]}) {
			swapFits++
		}
	}
	if len(outside) == 0 {
		return false
	}
	extent := fmt.Sprintf("lon %.4f…%.4f, lat %.4f…%.4f", ref.Left(), ref.Right(), ref.Bottom(), ref.Top())
	if 2*len(outside) > len(own) && 10*swapFits >= 9*len(outside) {
		p.errorf("", "lat/lon", "%d of %d positions lie far outside the other layers (%s) but fall inside with latitude and longitude exchanged: latitude and longitude look swapped — swap the columns (CSV: --field %s.lat=... --field %s.lon=...) or the GeoJSON positions, which are [longitude, latitude]",
			len(outside), len(own), extent, layer, layer)
		return true
	}
	var labels []string
	for _, s := range outside[:min(len(outside), 5)] {
		labels = append(labels, s.label)
	}
	if len(outside) > 5 {
		labels = append(labels, "...")
	}
	p.warnf("", "geometry", "%d of %d positions lie far outside the other layers (%s): %s; check that the file covers the same area",
		len(outside), len(own), extent, strings.Join(labels, ", "))
	return false
}
