package render

import (
	"math"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The isochrone table and layer, like the others, are a contract: keep
// their keys stable.

// isoLimit is a band limit in the unit users give: minutes for a time
// metric, km for a distance metric.
func isoLimit(q catchment.Quantity, limit float64) float64 {
	if q == catchment.Time {
		return roundTo(limit/60, 6)
	}
	return roundTo(limit/1000, 6)
}

// isoUnit is the unit of band limits on a map: min for a time metric, km
// for a distance metric.
func isoUnit(q catchment.Quantity) string {
	if q == catchment.Time {
		return "min"
	}
	return "km"
}

// isoLimitKey is the name of the limit column: minutes or km.
func isoLimitKey(q catchment.Quantity) string {
	if q == catchment.Time {
		return "minutes"
	}
	return "km"
}

// IsochroneTable is one row per service-area band: per office (those on
// the road network), limits ascending, then the union of all offices
// (scope "union", office_id null). minutes (time metric) or km (road) is
// the band's limit; area_km2 its geodesic area; districts and population
// count the districts whose representative point's route to its nearest
// office, this one, is within the limit (so an office's bands hold only
// districts it is the nearest office of, and the union's hold every
// district within the limit of some office); district_ids lists them.
func IsochroneTable(sa catchment.ServiceAreas, profile string) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "kind", "scope", "metric", "profile",
		isoLimitKey(sa.Quantity), "area_km2", "districts", "population", "district_ids"}}
	for _, a := range sa.Areas {
		var id, name, kind any = nil, "all offices", nil
		scope := "union"
		if o := a.Office; o != nil {
			id, name, kind, scope = o.ID, o.Name, string(o.Kind), "office"
		}
		ids := make([]string, len(a.Districts))
		for k, d := range a.Districts {
			ids[k] = d.ID
		}
		t.Rows = append(t.Rows, []any{id, name, kind, scope, sa.Metric, profile,
			count(isoLimit(sa.Quantity, a.Limit)), roundTo(a.AreaM2/1e6, 3), len(a.Districts), count(roundTo(a.Population, 1)), strings.Join(ids, " ")})
	}
	return t
}

// IsochroneFeatures is the service-area layer (isochrones.geojson): one
// (multi)polygon per band with the IsochroneTable columns, ids such as
// "chuo-10min" or "all-2km". Bands of one office are nested, so a style
// should draw the larger limits first.
func IsochroneFeatures(sa catchment.ServiceAreas, profile string) []vector.Feature {
	t := IsochroneTable(sa, profile)
	return tableFeatures(t, func(i int) vector.Feature { return vector.Feature{Geometry: sa.Areas[i].Geometry} })
}

// IsochroneMap assembles the map data of the service areas of a study.
func IsochroneMap(s *catchment.Study, sa catchment.ServiceAreas, profile, source string) draw.IsochroneMapData {
	offices := s.Offices()
	d := draw.IsochroneMapData{Boundary: s.Dataset().Boundary, Unit: isoUnit(sa.Quantity), Profile: profile, Source: source,
		OffNetwork: make([]bool, len(offices)), OfficeAreas: make([]orb.MultiPolygon, len(offices))}
	off := map[string]bool{}
	for _, o := range sa.Skipped {
		off[o.ID] = true
	}
	for i, o := range offices {
		d.Offices = append(d.Offices, draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Location: o.Location})
		d.OffNetwork[i] = off[o.ID]
	}
	for _, di := range s.Districts() {
		d.Districts = append(d.Districts, draw.MapDistrict{ID: di.ID, Name: di.Name, NameEn: di.NameEn, Geometry: di.Geometry, Office: -1, DistanceM: math.NaN()})
	}
	for _, a := range sa.Areas {
		if a.Office == nil {
			d.Bands = append(d.Bands, draw.MapBand{Limit: isoLimit(sa.Quantity, a.Limit), Area: a.Geometry, AreaKm2: a.AreaM2 / 1e6, Districts: len(a.Districts), Population: a.Population})
		} else {
			d.OfficeAreas[a.Index] = a.Geometry // limits ascend: the largest stays
		}
	}
	return d
}
