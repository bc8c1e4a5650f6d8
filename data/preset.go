package data

import (
	"fmt"
	"sort"
	"strings"
)

// PresetKSJ is the preset for 国土数値情報 (National Land Numerical
// Information, KSJ) files: A27/A32 school districts, N03 administrative
// areas, P05 municipal offices, P30 post offices and P02 public facilities.
const PresetKSJ = "ksj"

// PresetMapping is one row of a preset's documentation: which attribute
// codes give one of our fields.
type PresetMapping struct {
	Dataset string // e.g. "A27 小学校区 (2021, 2023)"
	Layer   Layer
	Field   string // our field
	From    string // the attribute codes and the rule
}

// Presets documents the field mappings of the ksj preset, for the README
// and --help.
var Presets = []PresetMapping{
	{"A27 小学校区 / A32 中学校区 (2021–)", LayerDistricts, fieldID, "A27_003 / A32_003 (学校コード)"},
	{"A27 小学校区 / A32 中学校区 (2021–)", LayerDistricts, fieldName, "A27_004 / A32_004 (名称; A27_004_ja in KSJ GeoJSON)"},
	{"A27 小学校区 (2016)", LayerDistricts, fieldID, "A27_001 (行政区域コード) + \"-\" + name"},
	{"A27 小学校区 (2016)", LayerDistricts, fieldName, "A27_003 (名称)"},
	{"A27 小学校区 (2010)", LayerDistricts, fieldID, "A27_005 (行政区域コード) + \"-\" + name"},
	{"A27 小学校区 (2010)", LayerDistricts, fieldName, "A27_007 (名称)"},
	{"N03 行政区域", LayerDistricts, fieldID, "N03_007 (行政区域コード)"},
	{"N03 行政区域", LayerDistricts, fieldName, "N03_004 (市区町村名), then N03_005 when present"},
	{"N03 行政区域", LayerBoundary, "", "geometry only (no fields needed)"},
	{"P05 市町村役場等及び公的集会施設", LayerOffices, fieldID, "P05_001 (行政区域コード) + \"-\" + name"},
	{"P05 市町村役場等及び公的集会施設", LayerOffices, fieldName, "P05_003 (名称)"},
	{"P05 市町村役場等及び公的集会施設", LayerOffices, fieldKind, "name ending 区役所 → ward; 出張所, 支所, 連絡所, 行政センター → branch; else P05_002 (施設分類) 1 (本庁) → ward, 2 (支所・出張所) → branch; other classes (公民館, 集会施設) are skipped"},
	{"P30 郵便局", LayerPosts, fieldName, "P30_005 (名称)"},
	{"P30 郵便局", LayerPosts, fieldID, "P30_001 (行政区域コード) + \"-\" + name"},
	{"P02 公共施設", LayerPosts, fieldName, "P02_004 (名称)"},
}

// ksjCodes lists, per layer, the KSJ attributes the preset reads.
var ksjCodes = map[Layer][]string{
	LayerDistricts: {"A27_001", "A27_003", "A27_004", "A27_005", "A27_007", "A32_001", "A32_003", "A32_004", "N03_004", "N03_005", "N03_007"},
	LayerOffices:   {"P05_001", "P05_002", "P05_003"},
	LayerPosts:     {"P30_001", "P30_005", "P02_001", "P02_004"},
}

// preset applies a preset's rules to records; a nil preset does nothing.
type preset struct {
	name string
}

// applyPreset adds the attributes a preset reads to the resolver, as extra
// fields named by their code (KSJ GeoJSON spells names with "_ja").
func applyPreset(res *resolver, name string) *preset {
	if name != PresetKSJ {
		return nil
	}
	for _, code := range ksjCodes[res.layer] {
		res.fields = append(res.fields, code)
		res.names[code] = []string{code, code + "_ja"}
	}
	return &preset{name: name}
}

// fix sets our fields from the preset's attributes, unless the user mapped
// them. It returns why the record is to be skipped, or "".
func (p *preset) fix(layer Layer, r *record, res *resolver) string {
	if p == nil {
		return ""
	}
	get := func(code string) string { return toText(r.values[code]) }
	set := func(field, v string) {
		if v == "" || res.mapped[field] {
			return
		}
		r.values[field] = v
	}
	joinID := func(code, name string) string {
		if code == "" || name == "" {
			return ""
		}
		return code + "-" + name
	}
	switch layer {
	case LayerDistricts:
		switch {
		case isSchoolCode(get("A27_003")):
			set(fieldID, get("A27_003"))
			set(fieldName, get("A27_004"))
		case get("A27_003") != "":
			set(fieldName, get("A27_003"))
			set(fieldID, joinID(get("A27_001"), get("A27_003")))
		case get("A27_007") != "":
			set(fieldName, get("A27_007"))
			set(fieldID, joinID(get("A27_005"), get("A27_007")))
		case get("A32_004") != "":
			set(fieldID, get("A32_003"))
			set(fieldName, get("A32_004"))
		case get("N03_007") != "" || get("N03_004") != "":
			name := get("N03_004")
			if ward := get("N03_005"); ward != "" && !strings.Contains(name, ward) {
				name += ward
			}
			set(fieldID, get("N03_007"))
			set(fieldName, name)
		}
	case LayerOffices:
		if get("P05_003") == "" && get("P05_002") == "" {
			return ""
		}
		name := get("P05_003")
		set(fieldName, name)
		set(fieldID, joinID(get("P05_001"), name))
		if !res.mapped[fieldKind] {
			kind := ksjOfficeKind(name, get("P05_002"))
			if kind == "" {
				return fmt.Sprintf("not offices (P05_002 施設分類 %q, e.g. 公民館 or 集会施設)", get("P05_002"))
			}
			r.values[fieldKind] = string(kind)
		}
	case LayerPosts, LayerStores:
		if n := get("P30_005"); n != "" {
			set(fieldName, n)
			set(fieldID, joinID(get("P30_001"), n))
		} else if n := get("P02_004"); n != "" {
			set(fieldName, n)
		}
	}
	return ""
}

// isSchoolCode reports whether s looks like a 学校コード: a capital letter
// and 12 digits (B143210000018), as A27 holds from 2021 on in A27_003.
func isSchoolCode(s string) bool {
	if len(s) != 13 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ksjOfficeKind is the kind of a P05 facility, or "" when it is no office.
func ksjOfficeKind(name, class string) OfficeKind {
	switch {
	case strings.HasSuffix(name, "区役所"):
		return Ward
	case strings.Contains(name, "出張所"), strings.Contains(name, "支所"), strings.Contains(name, "連絡所"), strings.Contains(name, "行政センター"):
		return Branch
	}
	switch strings.TrimSpace(class) {
	case "1":
		return Ward
	case "2":
		return Branch
	}
	return ""
}

// ksjLike returns a field name that looks like a 国土数値情報 attribute
// code (N03_001, A27_004_ja, P30_005), or "" when none does.
func ksjLike(keys map[string]bool) string {
	var codes []string
	for k := range keys {
		if isKSJCode(k) {
			codes = append(codes, k)
		}
	}
	if len(codes) == 0 {
		return ""
	}
	sort.Strings(codes)
	return codes[0]
}

// isKSJCode reports whether a name has the form of a KSJ attribute code:
// a capital letter, two digits, an optional lower-case letter, "_" and
// three digits, optionally followed by "_ja".
func isKSJCode(name string) bool {
	name = strings.TrimSuffix(name, "_ja")
	if len(name) < 7 || name[0] < 'A' || name[0] > 'Z' {
		return false
	}
	i := 1
	for ; i < 3; i++ {
		if name[i] < '0' || name[i] > '9' {
			return false
		}
	}
	if name[i] >= 'a' && name[i] <= 'z' {
		i++
	}
	if len(name) != i+4 || name[i] != '_' {
		return false
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
