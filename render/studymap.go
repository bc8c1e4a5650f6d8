package render

import (
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
)

// StudyMapData is the map data of a study: every office (those in closed
// drawn as closed), every district with the office that serves it and its
// distance, and the store and post office counts from gaps (may be nil).
func StudyMapData(ds *data.Dataset, a catchment.Assignment, gaps []catchment.GapRow, closed map[string]bool) draw.MapData {
	md := draw.MapData{Boundary: ds.Boundary, Source: SourceLine(ds), Metric: a.Metric}
	fills := OfficeFills(ds.Offices)
	for _, o := range ds.Offices {
		md.Offices = append(md.Offices, draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Closed: closed[o.ID], Location: o.Location, Fill: fills[o.ID]})
	}
	for _, s := range ds.Stores {
		md.Stores = append(md.Stores, s.Location)
	}
	for _, p := range ds.Posts {
		md.Posts = append(md.Posts, p.Location)
	}
	md.Districts = make([]draw.MapDistrict, len(ds.Districts))
	for i, d := range ds.Districts {
		m := draw.MapDistrict{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Geometry: d.Geometry, Office: -1}
		if a.Districts != nil {
			m.Office, m.DistanceM = a.Districts[i].OfficeIndex, a.Districts[i].DistanceM
		}
		if gaps != nil {
			m.Stores, m.Posts = gaps[i].Stores, gaps[i].Posts
		}
		md.Districts[i] = m
	}
	return md
}

// SourceLine is the data-source line printed under maps and charts: where
// each layer came from, flagging synthetic demo layers and DEMO counter
// counts, and the credits.
func SourceLine(ds *data.Dataset) string {
	var real, synthetic []string
	layers := make([]string, 0, len(ds.Sources))
	for l := range ds.Sources {
		layers = append(layers, string(l))
	}
	sort.Strings(layers)
	demoCounts := false
	for _, l := range layers {
		switch {
		case data.Layer(l) == data.LayerCounts && ds.Synthetic[data.LayerCounts]:
			demoCounts = true
		case ds.Synthetic[data.Layer(l)]:
			synthetic = append(synthetic, l)
		default:
			real = append(real, l)
		}
	}
	var parts []string
	var embedded, user []string
	for _, l := range real {
		if strings.HasPrefix(ds.Sources[data.Layer(l)], "embedded:") {
			embedded = append(embedded, l)
		} else {
			user = append(user, l)
		}
	}
	if len(embedded) > 0 {
		parts = append(parts, strings.Join(embedded, ", ")+": Kumamoto City offices, positions from GSI designated evacuation site data (出典：国土地理院)")
	}
	if len(user) > 0 {
		parts = append(parts, strings.Join(user, ", ")+": user data")
	}
	if len(synthetic) > 0 {
		parts = append(parts, strings.Join(synthetic, ", ")+": SYNTHETIC demo layers")
	}
	if demoCounts {
		parts = append(parts, "counter counts: DEMO figures")
	}
	return strings.Join(parts, "; ")
}

// ScatterData is the points of the distance–transactions scatter chart: one
// per branch office that has a counter count and a reached nearest ward
// office (x in km under the rows' metric).
func ScatterData(rows []catchment.NearestRow) []draw.ScatterPoint {
	var pts []draw.ScatterPoint
	for _, r := range rows {
		if r.Office.CounterCount == nil || !r.Reached() {
			continue
		}
		pts = append(pts, draw.ScatterPoint{Label: r.Office.Name, LabelEn: r.Office.NameEn, X: r.DistanceM / 1000, Y: *r.Office.CounterCount})
	}
	return pts
}

// TrendData is one series of yearly counter transactions per office, in
// office order: ward offices marked, branch offices grouped by ward,
// projected years flagged, each with a short name for the end of its line
// ("幸田" for 幸田総合出張所). The English group name is taken from the ward
// office of the same ward ("Chuo Ward Office" → "Chuo Ward").
func TrendData(offices []data.Office, counts []data.CounterCount) []draw.TrendSeries {
	wardEn := map[string]string{}
	for _, o := range offices {
		if o.Kind == data.Ward && o.Ward != "" && o.NameEn != "" {
			wardEn[o.Ward] = strings.TrimSuffix(o.NameEn, " Office")
		}
	}
	byOffice := map[string][]data.CounterCount{}
	for _, c := range counts {
		byOffice[c.OfficeID] = append(byOffice[c.OfficeID], c)
	}
	var out []draw.TrendSeries
	for _, o := range offices {
		cs := byOffice[o.ID]
		if len(cs) == 0 {
			continue
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].Year < cs[j].Year })
		s := draw.TrendSeries{Label: o.Name, LabelEn: o.NameEn, Short: shortOfficeName(o.Name), ShortEn: shortOfficeName(o.NameEn),
			Group: o.Ward, GroupEn: wardEn[o.Ward], Ward: o.Kind == data.Ward}
		projected := false
		for _, c := range cs {
			s.Years = append(s.Years, c.Year)
			s.Counts = append(s.Counts, c.Count)
			s.Projected = append(s.Projected, c.Projected)
			projected = projected || c.Projected
		}
		if !projected {
			s.Projected = nil
		}
		out = append(out, s)
	}
	return out
}

// officeSuffixes are the endings of office names that a panel's title
// already says, longest first.
var officeSuffixes = []string{"総合出張所", "出張所", "役所", " General Branch", " Branch", " Ward Office"}

// shortOfficeName drops the kind from an office name ("幸田総合出張所" →
// "幸田", "中央区役所" → "中央区", "Koda General Branch" → "Koda"); a name
// that is nothing but the ending stays whole.
func shortOfficeName(name string) string {
	for _, suf := range officeSuffixes {
		if s := strings.TrimSuffix(name, suf); s != name && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return name
}
