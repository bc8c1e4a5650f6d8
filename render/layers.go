package render

import (
	"math"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The tables and layers below are a contract that scripts rely on: their keys
// are the same in JSON, CSV and GeoJSON properties. Keep them stable.

// officeRef is the id and name of an office, or nils when there is none
// (not reached).
func officeRef(o *data.Office) (id, name any) {
	if o == nil {
		return nil, nil
	}
	return o.ID, o.Name
}

// roundTo rounds v to the given number of decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// metres rounds a distance to the millimetre; an unknown (NaN) distance is
// nil.
func metres(v float64) any { return number(roundTo(v, 3)) }

// count is a count of people or transactions: an integer when it is whole
// (so that QGIS and spreadsheets type the column as integer), the number
// otherwise, nil when unknown (NaN).
func count(v float64) any {
	switch {
	case math.IsNaN(v):
		return nil
	case v == math.Trunc(v) && math.Abs(v) < 1<<53:
		return int64(v)
	}
	return v
}

// optionalCount is count(*v), nil when v is nil.
func optionalCount(v *float64) any {
	if v == nil {
		return nil
	}
	return count(*v)
}

// number is v, or nil when v is NaN (unknown): null in JSON and GeoJSON,
// empty in CSV and text.
func number(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

func optional(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// NearestTable is the nearest-office table: each office, the nearest office
// of the other kind, the distance, and the city's published distance beside
// it with the ratio published/distance. With maxKm > 0 a max_km column is
// added (the candidates table). With a metric other than geodesic, time_s
// (travel time, for the time metric) and note (why an office was not
// routed) follow; distance_m is then null for an office that was not routed.
func NearestTable(rows []catchment.NearestRow, maxKm float64, metric string) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "nearest_id", "nearest_name", "distance_m", "distance_km", "published_km", "published_ratio"}}
	if maxKm > 0 {
		t.Columns = append(t.Columns, "max_km")
	}
	routed := metric != "" && metric != "geodesic"
	if routed {
		t.Columns = append(t.Columns, "metric", "time_s", "note")
	}
	for _, r := range rows {
		var ratio, nid, nname any
		if r.Office.PublishedKm != nil && r.Reached() && r.DistanceM > 0 {
			ratio = roundTo(*r.Office.PublishedKm/(r.DistanceM/1000), 2)
		}
		if r.Reached() {
			nid, nname = r.Nearest.ID, r.Nearest.Name
		}
		row := []any{r.Office.ID, r.Office.Name, nid, nname,
			metres(r.DistanceM), number(roundTo(r.DistanceM/1000, 2)), optional(r.Office.PublishedKm), ratio}
		if maxKm > 0 {
			row = append(row, maxKm)
		}
		if routed {
			row = append(row, metric, number(roundTo(r.TimeS, 1)), r.Note)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// AssignTable is one row per district: the office that serves it and the distance.
func AssignTable(a catchment.Assignment) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "office_id", "office_name", "distance_m", "population"}}
	routed := a.Metric != "" && a.Metric != "geodesic"
	if routed {
		t.Columns = append(t.Columns, "metric", "time_s", "note")
	}
	for _, da := range a.Districts {
		d := da.District
		oid, oname := officeRef(da.Office)
		row := []any{d.ID, d.Name, oid, oname, metres(da.DistanceM), optionalCount(d.Population)}
		if routed {
			row = append(row, a.Metric, number(roundTo(da.TimeS, 1)), da.Note)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// GapsTable is one row per district: stores and post offices counted and
// whether the district is a gap (no store).
func GapsTable(gaps []catchment.GapRow) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "stores", "posts", "gap", "post_fallback"}}
	for _, g := range gaps {
		d := g.District
		t.Rows = append(t.Rows, []any{d.ID, d.Name, g.Stores, g.Posts, g.Gap, g.PostFallback()})
	}
	return t
}

// CatchmentsTable is one row per catchment polygon.
func CatchmentsTable(cs []catchment.Catchment) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "office_kind", "method", "districts", "population", "area_km2"}}
	for _, c := range cs {
		o := c.Office
		t.Rows = append(t.Rows, []any{o.ID, o.Name, string(o.Kind), string(c.Method), c.Districts, count(c.Population), roundTo(c.AreaKm2, 3)})
	}
	return t
}

// tableFeatures turns table rows into features with the given geometries.
func tableFeatures(t vector.Table, geoms func(i int) vector.Feature) []vector.Feature {
	fs := make([]vector.Feature, len(t.Rows))
	for i, row := range t.Rows {
		f := geoms(i)
		for c, v := range row {
			f.Properties = append(f.Properties, vector.Property{Key: t.Columns[c], Value: v})
		}
		fs[i] = f
	}
	return fs
}

// DistrictFeatures is the districts layer: geometry, assignment and gap
// properties together (gaps may be nil).
func DistrictFeatures(a catchment.Assignment, gaps []catchment.GapRow) []vector.Feature {
	fs := make([]vector.Feature, len(a.Districts))
	for i, da := range a.Districts {
		d := da.District
		oid, oname := officeRef(da.Office)
		var kind any
		if da.Office != nil {
			kind = string(da.Office.Kind)
		}
		props := []vector.Property{
			{"district_id", d.ID}, {"district_name", d.Name}, {"district_name_en", d.NameEn},
			{"population", optionalCount(d.Population)},
			{"office_id", oid}, {"office_name", oname}, {"office_kind", kind},
			{"distance_m", metres(da.DistanceM)},
		}
		if a.Metric != "" && a.Metric != "geodesic" {
			props = append(props, vector.Property{"metric", a.Metric}, vector.Property{"time_s", number(roundTo(da.TimeS, 1))}, vector.Property{"note", da.Note})
		}
		if gaps != nil {
			g := gaps[i]
			props = append(props, vector.Property{"stores", g.Stores}, vector.Property{"posts", g.Posts},
				vector.Property{"gap", g.Gap}, vector.Property{"post_fallback", g.PostFallback()})
		}
		fs[i] = vector.Feature{Geometry: d.Geometry, Properties: props}
	}
	return fs
}

// GapFeatures is the gap layer: only the districts with no store.
func GapFeatures(gaps []catchment.GapRow) []vector.Feature {
	var fs []vector.Feature
	for _, g := range gaps {
		if !g.Gap {
			continue
		}
		d := g.District
		fs = append(fs, vector.Feature{Geometry: d.Geometry, Properties: []vector.Property{
			{"district_id", d.ID}, {"district_name", d.Name}, {"population", optionalCount(d.Population)},
			{"stores", g.Stores}, {"posts", g.Posts}, {"gap", g.Gap}, {"post_fallback", g.PostFallback()},
		}})
	}
	return fs
}

// CatchmentFeatures is the catchment layer.
func CatchmentFeatures(cs []catchment.Catchment) []vector.Feature {
	t := CatchmentsTable(cs)
	return tableFeatures(t, func(i int) vector.Feature { return vector.Feature{Geometry: cs[i].Geometry} })
}

// OfficeFeatures is the office layer: each office with its kind, the nearest
// ward office (for branch offices), whether it is a candidate under maxKm,
// and what it serves (a may be the zero Assignment).
func OfficeFeatures(offices []data.Office, nearest []catchment.NearestRow, maxKm float64, a catchment.Assignment) []vector.Feature {
	byID := map[string]catchment.NearestRow{}
	for _, r := range nearest {
		byID[r.Office.ID] = r
	}
	fs := make([]vector.Feature, len(offices))
	for i, o := range offices {
		props := []vector.Property{
			{"office_id", o.ID}, {"office_name", o.Name}, {"office_name_en", o.NameEn},
			{"kind", string(o.Kind)}, {"ward", o.Ward},
			{"counter_count", optionalCount(o.CounterCount)}, {"published_km", optional(o.PublishedKm)},
		}
		if r, ok := byID[o.ID]; ok && r.Reached() {
			props = append(props, vector.Property{"nearest_id", r.Nearest.ID}, vector.Property{"nearest_name", r.Nearest.Name},
				vector.Property{"distance_m", metres(r.DistanceM)}, vector.Property{"candidate", r.DistanceM <= maxKm*1000})
		} else {
			props = append(props, vector.Property{"nearest_id", nil}, vector.Property{"nearest_name", nil},
				vector.Property{"distance_m", nil}, vector.Property{"candidate", false})
		}
		if a.Offices != nil {
			props = append(props, vector.Property{"districts", a.Offices[i].Districts}, vector.Property{"population", count(a.Offices[i].Population)})
		}
		props = append(props, vector.Property{"source", o.Source})
		fs[i] = vector.Feature{Geometry: o.Location, Properties: props}
	}
	return fs
}
