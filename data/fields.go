package data

import (
	"fmt"
	"slices"
	"strings"
)

// Our field names. The coordinate and geometry fields are read only from
// CSV: points from lat/lon columns, else from a WKT column.
const (
	fieldID           = "id"
	fieldName         = "name"
	fieldNameEn       = "name_en"
	fieldKind         = "kind"
	fieldWard         = "ward"
	fieldCounterCount = "counter_count"
	fieldPublishedKm  = "published_km"
	fieldSource       = "source"
	fieldPopulation   = "population"
	fieldLat          = "lat"
	fieldLon          = "lon"
	fieldWKT          = "wkt"
)

// aliases lists, for each of our field names, the names accepted in input
// files, matched case-insensitively, best first.
var aliases = map[string][]string{
	fieldID:           {"id", "番号"},
	fieldName:         {"name", "名称", "施設名", "施設・場所名", "name_ja"},
	fieldNameEn:       {"name_en", "name:en"},
	fieldKind:         {"kind", "種別"},
	fieldWard:         {"ward", "区", "区名"},
	fieldCounterCount: {"counter_count"},
	fieldPublishedKm:  {"published_km"},
	fieldSource:       {"source", "出典"},
	fieldPopulation:   {"population", "人口"},
	fieldLat:          {"lat", "latitude", "緯度", "y"},
	fieldLon:          {"lon", "lng", "long", "longitude", "経度", "x"},
	fieldWKT:          {"wkt", "geometry", "geom", "the_geom"},
	fieldOneway:       {"oneway", "one_way", "一方通行"},
	fieldSpeedKmh:     {"speed_kmh", "speed", "maxspeed", "max_speed", "制限速度"},
	fieldClass:        {"class", "road_class", "highway", "fclass", "道路種別"},
}

// layerFields lists the fields each layer reads.
var layerFields = map[Layer][]string{
	LayerOffices:   {fieldID, fieldName, fieldNameEn, fieldKind, fieldWard, fieldCounterCount, fieldPublishedKm, fieldSource, fieldLat, fieldLon, fieldWKT},
	LayerDistricts: {fieldID, fieldName, fieldNameEn, fieldPopulation, fieldWKT},
	LayerStores:    {fieldID, fieldName, fieldLat, fieldLon, fieldWKT},
	LayerPosts:     {fieldID, fieldName, fieldLat, fieldLon, fieldWKT},
	LayerBoundary:  {fieldWKT},
	LayerNetwork:   {fieldID, fieldOneway, fieldSpeedKmh, fieldClass, fieldWKT},
}

// ParseFieldFlag parses "layer.field=theirs", the value of a --field flag
// that names the column or property holding one of our fields, such as
// "districts.name=A27_004".
func ParseFieldFlag(s string) (layer Layer, ours, theirs string, err error) {
	left, theirs, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", "", fmt.Errorf("field mapping %q: want layer.field=name, e.g. districts.name=A27_004", s)
	}
	l, ours, ok := strings.Cut(strings.TrimSpace(left), ".")
	if !ok {
		return "", "", "", fmt.Errorf("field mapping %q: want layer.field=name, e.g. districts.name=A27_004", s)
	}
	layer, ours, theirs = Layer(strings.ToLower(l)), strings.ToLower(ours), strings.TrimSpace(theirs)
	if err := checkField(layer, ours); err != nil {
		return "", "", "", fmt.Errorf("field mapping %q: %w", s, err)
	}
	if theirs == "" {
		return "", "", "", fmt.Errorf("field mapping %q: the name after '=' is empty", s)
	}
	return layer, ours, theirs, nil
}

// checkField reports whether ours is a field of layer.
func checkField(layer Layer, ours string) error {
	fields, ok := layerFields[layer]
	if !ok {
		return fmt.Errorf("unknown layer %q; layers are %s", layer, layerList())
	}
	if !slices.Contains(fields, ours) {
		return fmt.Errorf("layer %s has no field %q; its fields are %s", layer, ours, strings.Join(fields, ", "))
	}
	return nil
}

func layerList() string {
	names := make([]string, len(Layers))
	for i, l := range Layers {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// resolver maps the column or property names of one file to our fields.
type resolver struct {
	layer  Layer
	fields []string
	// names lists, per field, the accepted names: the user's mapping alone,
	// or the aliases.
	names map[string][]string
	// mapped marks the fields the user mapped with Options.Fields.
	mapped map[string]bool
	// cache maps a name seen in the file to the fields it stands for.
	cache map[string][]match
}

// match is one of our fields a name stands for, and its rank: the index of
// the name in the field's names (best first).
type match struct {
	field string
	rank  int
}

func newResolver(layer Layer, opt Options) (*resolver, error) {
	r := &resolver{layer: layer, fields: layerFields[layer], names: map[string][]string{}, mapped: map[string]bool{}, cache: map[string][]match{}}
	for _, f := range r.fields {
		r.names[f] = aliases[f]
	}
	for ours, theirs := range opt.Fields[layer] {
		ours = strings.ToLower(ours)
		if err := checkField(layer, ours); err != nil {
			return nil, fmt.Errorf("field mapping %s.%s=%s: %w", layer, ours, theirs, err)
		}
		r.names[ours] = []string{theirs}
		r.mapped[ours] = true
	}
	return r, nil
}

// lookup returns the fields a name in the file stands for: every field
// mapped to it (two of our fields may read one column), and a field whose
// alias it is.
func (r *resolver) lookup(name string) []match {
	if m, ok := r.cache[name]; ok {
		return m
	}
	var ms []match
	key := strings.TrimSpace(name)
	for _, f := range r.fields {
		for i, alias := range r.names[f] {
			if strings.EqualFold(key, alias) {
				ms = append(ms, match{field: f, rank: i})
				break
			}
		}
	}
	r.cache[name] = ms
	return ms
}

// wanted lists every name r maps to one of its fields, for
// ReadRequest.Fields.
func (r *resolver) wanted() []string {
	names := []string{}
	for _, f := range r.fields {
		names = append(names, r.names[f]...)
	}
	return names
}

// field returns the one field a name stands for, or "".
func (r *resolver) field(name string) string {
	if ms := r.lookup(name); len(ms) > 0 {
		return ms[0].field
	}
	return ""
}

// geometryFields are the fields that hold a CSV row's geometry.
var geometryFields = map[string]bool{fieldWKT: true, fieldLat: true, fieldLon: true}

// columns maps a CSV header to our fields: field -> column index. A name the
// user mapped that is not in the header is an error, and so is a mapping
// of a field to a column that holds the geometry.
func (r *resolver) columns(header []string) (map[string]int, map[string]string, error) {
	cols := map[string]int{}
	names := map[string]string{}
	best := map[string]int{}
	for i, h := range header {
		ms := r.lookup(h)
		for _, m := range ms {
			if b, ok := best[m.field]; ok && b <= m.rank {
				continue
			}
			best[m.field] = m.rank
			cols[m.field] = i
			names[m.field] = strings.TrimSpace(h)
		}
		for _, m := range ms {
			for _, g := range ms {
				if r.mapped[m.field] && !geometryFields[m.field] && geometryFields[g.field] && !r.mapped[g.field] {
					return nil, nil, fmt.Errorf("field mapping %s.%s=%s: column %q holds the geometry (%s); map %s to the column that holds it, one of %s",
						r.layer, m.field, r.names[m.field][0], strings.TrimSpace(h), g.field, m.field, strings.Join(header, ", "))
				}
			}
		}
	}
	for f := range r.mapped {
		if _, ok := cols[f]; !ok {
			return nil, nil, fmt.Errorf("field mapping %s.%s=%s: the header has no column %q; columns are %s",
				r.layer, f, r.names[f][0], r.names[f][0], strings.Join(header, ", "))
		}
	}
	return cols, names, nil
}
