package layer

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// Property is a feature attribute, as vector.Property holds it.
type Property = struct {
	Key   string
	Value any
}

// Field is one attribute column of a layer: its name and the kind of its
// values (Null when every value is null; a writer then picks text).
type Field struct {
	Key  string
	Kind Kind
}

// Schema finds the columns of a layer from its features' properties, in
// the order they first appear: an integer column that also holds floats is
// Float; other mixed kinds are an error naming the feature. When no
// property is called "id" and a feature has an id (ids holds them), an
// "id" text column comes first.
func Schema(props [][]Property, ids []string) ([]Field, error) {
	var fields []Field
	index := map[string]int{}
	hasID := false
	for i, ps := range props {
		for _, p := range ps {
			hasID = hasID || p.Key == "id"
			v, err := ScalarOf(p.Value)
			if err != nil {
				return nil, fmt.Errorf("feature %d property %q: %w", i, p.Key, err)
			}
			j, ok := index[p.Key]
			if !ok {
				index[p.Key] = len(fields)
				fields = append(fields, Field{Key: p.Key, Kind: v.Kind})
				continue
			}
			switch prev := fields[j].Kind; {
			case v.Kind == Null || prev == v.Kind:
			case prev == Null:
				fields[j].Kind = v.Kind
			case prev == Int && v.Kind == Float || prev == Float && v.Kind == Int:
				fields[j].Kind = Float
			default:
				return nil, fmt.Errorf("property %q is %s in feature %d but %s before", p.Key, v.Class(), i, Scalar{Kind: prev}.Class())
			}
		}
	}
	if !hasID {
		for _, id := range ids {
			if id != "" {
				fields = append([]Field{{Key: "id", Kind: String}}, fields...)
				break
			}
		}
	}
	return fields, nil
}

// GeometryType is the type of a layer's geometries after promotion, in
// upper case (POINT, MULTIPOLYGON...), or GEOMETRY when they mix types.
func GeometryType(geoms []orb.Geometry, p Promotion) string {
	kinds := map[string]bool{}
	for _, g := range geoms {
		if g != nil {
			kinds[strings.ToUpper(p.Promote(AsPolygon(g)).GeoJSONType())] = true
		}
	}
	if len(kinds) == 1 {
		for k := range kinds {
			return k
		}
	}
	return "GEOMETRY"
}
