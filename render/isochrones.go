package render

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The isochrone table and layer, like the others, are a contract: keep
// their keys stable.

// isoLimit is a band limit in the unit users give: minutes for the time
// metric, km for the road metric.
func isoLimit(m network.Metric, limit float64) float64 {
	if m == network.Time {
		return roundTo(limit/60, 6)
	}
	return roundTo(limit/1000, 6)
}

// isoUnit is the unit of band limits on a map: min for the time metric,
// km for the road metric.
func isoUnit(m network.Metric) string {
	if m == network.Time {
		return "min"
	}
	return "km"
}

// isoLimitKey is the name of the limit column: minutes or km.
func isoLimitKey(m network.Metric) string {
	if m == network.Time {
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
func IsochroneTable(offices []data.Office, districts []data.District, sa network.ServiceAreas, profile string) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "kind", "scope", "metric", "profile",
		isoLimitKey(sa.Metric), "area_km2", "districts", "population", "district_ids"}}
	for _, a := range sa.Areas {
		var id, name, kind any = nil, "all offices", nil
		scope := "union"
		if a.Facility >= 0 {
			o := offices[a.Facility]
			id, name, kind, scope = o.ID, o.Name, string(o.Kind), "office"
		}
		ids := make([]string, len(a.Points))
		for k, p := range a.Points {
			ids[k] = districts[p].ID
		}
		t.Rows = append(t.Rows, []any{id, name, kind, scope, string(sa.Metric), profile,
			isoLimit(sa.Metric, a.Limit), roundTo(a.AreaM2/1e6, 3), len(a.Points), roundTo(a.Weight, 1), strings.Join(ids, " ")})
	}
	return t
}

// IsochroneFeatures is the service-area layer (isochrones.geojson): one
// (multi)polygon per band with the IsochroneTable columns, ids such as
// "chuo-10min" or "all-2km". Bands of one office are nested, so a style
// should draw the larger limits first.
func IsochroneFeatures(offices []data.Office, districts []data.District, sa network.ServiceAreas, profile string) []vector.Feature {
	t := IsochroneTable(offices, districts, sa, profile)
	ids := make([]string, len(sa.Areas))
	unit := "km"
	if sa.Metric == network.Time {
		unit = "min"
	}
	for i, a := range sa.Areas {
		who := "all"
		if a.Facility >= 0 {
			who = offices[a.Facility].ID
		}
		ids[i] = fmt.Sprintf("%s-%g%s", who, isoLimit(sa.Metric, a.Limit), unit)
	}
	return tableFeatures(t, ids, func(i int) vector.Feature { return vector.Feature{Geometry: sa.Areas[i].Area} })
}

// IsochroneMap assembles the map data of service areas computed with
// ServiceAreas for these offices and districts.
func IsochroneMap(offices []data.Office, districts []data.District, boundary orb.MultiPolygon, sa network.ServiceAreas, profile, source string) draw.IsochroneMapData {
	d := draw.IsochroneMapData{Boundary: boundary, Unit: isoUnit(sa.Metric), Profile: profile, Source: source,
		OffNetwork: make([]bool, len(offices)), OfficeAreas: make([]orb.MultiPolygon, len(offices))}
	for _, o := range offices {
		d.Offices = append(d.Offices, draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Location: o.Location})
	}
	for _, i := range sa.Skipped {
		d.OffNetwork[i] = true
	}
	for _, di := range districts {
		d.Districts = append(d.Districts, draw.MapDistrict{ID: di.ID, Name: di.Name, NameEn: di.NameEn, Geometry: di.Geometry, Office: -1, DistanceM: math.NaN()})
	}
	for _, a := range sa.Areas {
		if a.Facility < 0 {
			d.Bands = append(d.Bands, draw.MapBand{Limit: isoLimit(sa.Metric, a.Limit), Area: a.Area, AreaKm2: a.AreaM2 / 1e6, Districts: len(a.Points), Population: a.Weight})
		} else {
			d.OfficeAreas[a.Facility] = a.Area // limits ascend: the largest stays
		}
	}
	return d
}
