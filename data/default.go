package data

import (
	"embed"
	"fmt"
	"path"
)

// kumamoto holds the embedded default study of Kumamoto City: the real ward
// and branch offices (offices.csv) and synthetic demo layers written by
// internal/gendefault. See kumamoto/README.md.
//
//go:embed kumamoto
var kumamoto embed.FS

// defaultDir is the directory of the embedded default inside its file system.
const defaultDir = "kumamoto"

// defaultFiles names the embedded file of each layer of the default study.
var defaultFiles = map[Layer]string{
	LayerOffices:   "offices.csv",
	LayerDistricts: "districts.geojson",
	LayerStores:    "stores.geojson",
	LayerPosts:     "posts.geojson",
	LayerBoundary:  "boundary.geojson",
}

// defaultCountsFile holds the DEMO counter-transaction series.
const defaultCountsFile = "counter_counts.csv"

// defaultSynthetic lists the layers of the default that are generated demo
// data: only the offices are real.
var defaultSynthetic = []Layer{LayerDistricts, LayerStores, LayerPosts, LayerBoundary}

// defaultAttribution is the credit the embedded default requires: office
// positions were placed with the GSI evacuation-site data, and the boundary
// was traced from the MLIT N03 ward polygons.
var defaultAttribution = []string{
	"出典：国土地理院 指定緊急避難場所データ (office positions placed using GSI designated evacuation site data)",
	"出典：国土交通省 国土数値情報（行政区域データ）を加工して作成 (approximate city boundary traced from it)",
	"Districts, convenience stores, post offices and the city boundary are SYNTHETIC demo data; office counter counts are DEMO figures.",
}

// planSource names the document the default's reference figures come from.
const planSource = "Kumamoto City, plan for reorganising ward and branch offices"

// defaultReferences are the figures of the city's plan that reports show
// beside the computed ones.
var defaultReferences = []Reference{
	{Key: "offices", Label: "ward and branch offices", Value: "5 + 14 = 19", Source: planSource},
	{Key: "residents_per_office", Label: "residents per office", Value: "about 38,000 (designated-city average: about 90,000)", Source: planSource},
	{Key: "candidates", Label: "branch offices within 5 km of a ward office (road km)", Value: "8: 大江, 秋津, 東部, 花園, 飽田, 幸田, 南部, 北部", Source: planSource},
	{Key: "stores", Label: "convenience stores issuing certificates", Value: "262", Source: planSource},
	{Key: "gaps", Label: "school districts with no convenience store", Value: "12", Source: planSource},
}

// Default loads the embedded Kumamoto study: 5 ward offices and 14 branch
// offices at their real (some approximate) positions, with synthetic school
// districts, convenience stores, post offices and boundary. Sources name the
// embedded files ("embedded:kumamoto/offices.csv"), Synthetic marks the demo
// layers and Attribution holds the required credit lines.
func Default() (*Dataset, []Warning, error) {
	paths := Paths{}
	for layer, file := range defaultFiles {
		paths[layer] = path.Join(defaultDir, file)
	}
	ds, warnings, err := LoadFS(kumamoto, paths, Options{})
	for i := range warnings {
		warnings[i].File = "embedded:" + warnings[i].File
	}
	if err != nil {
		return nil, warnings, fmt.Errorf("embedded default: %w", err)
	}
	ds.Sources = map[Layer]string{}
	for layer, p := range paths {
		ds.Sources[layer] = "embedded:" + p
	}
	ds.Synthetic = map[Layer]bool{}
	for _, layer := range defaultSynthetic {
		ds.Synthetic[layer] = true
	}
	ds.Attribution = append([]string(nil), defaultAttribution...)
	ds.References = append([]Reference(nil), defaultReferences...)
	counts, cw, err := LoadCountsFS(kumamoto, path.Join(defaultDir, defaultCountsFile), ds.Offices)
	warnings = append(warnings, cw...)
	if err != nil {
		return nil, warnings, fmt.Errorf("embedded default: %w", err)
	}
	ds.Counts = counts
	ds.Sources[LayerCounts] = "embedded:" + path.Join(defaultDir, defaultCountsFile)
	ds.Synthetic[LayerCounts] = true
	return ds, warnings, nil
}
