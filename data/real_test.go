package data

import (
	"os"
	"strings"
	"testing"
)

// sharedData is the folder of real reference data, beside the repository.
const sharedData = "../../shared/data/"

// needShared skips a test loudly when the shared data folder is absent.
func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("SKIPPING REAL-DATA TEST: %s is absent (%v); real Kumamoto files are not checked", sharedData, err)
	}
}

// TestGSIShelters loads the GSI designated shelters as a service-point layer,
// mapping the Japanese name property as the --field flag would.
func TestGSIShelters(t *testing.T) {
	needShared(t)
	file := sharedData + "kumamoto_gsi_designated_shelters_evacuation_431001.geojson"
	for _, layer := range []Layer{LayerStores, LayerPosts} {
		l, ours, theirs, err := ParseFieldFlag(string(layer) + ".name=施設・場所名")
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{Fields: map[Layer]map[string]string{l: {ours: theirs}}}
		ds, warnings, err := Load(Paths{layer: file}, opt)
		if err != nil {
			t.Fatal(err)
		}
		pts := ds.Stores
		if layer == LayerPosts {
			pts = ds.Posts
		}
		if len(pts) != 182 {
			t.Errorf("%s: %d points, want 182", layer, len(pts))
		}
		if len(warnings) != 0 {
			t.Errorf("%s: warnings %v", layer, warnings)
		}
		first := pts[0]
		if first.ID != string(layer)+"-0" || first.Name != "河内中学校" || first.Location != [2]float64{130.590585, 32.828426} {
			t.Errorf("%s: first point %+v", layer, first)
		}
		for i, p := range pts {
			if p.Name == "" {
				t.Errorf("%s: point %d has no name", layer, i)
			}
		}
		if ds.Sources[layer] != file {
			t.Errorf("Sources[%s] = %q", layer, ds.Sources[layer])
		}
	}
}

// TestRealOffices loads the compiled office list (name in column name_ja,
// kinds ward_office/branch_office) with the Kumamoto ward boundaries.
func TestRealOffices(t *testing.T) {
	needShared(t)
	ds, warnings, err := Load(Paths{
		LayerOffices:   sharedData + "kumamoto_offices_compiled.csv",
		LayerDistricts: sharedData + "kumamoto_wards_N03-21_simplified1pct_smartnews.geojson",
		LayerBoundary:  sharedData + "osm_boundary_kumamoto_city_rel4000503.geojson",
	}, Options{Fields: map[Layer]map[string]string{LayerDistricts: {"id": "N03_007", "name": "N03_004"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	wards := 0
	for _, o := range ds.Offices {
		if o.Kind == Ward {
			wards++
		}
	}
	if len(ds.Offices) != 19 || wards != 5 {
		t.Errorf("%d offices, %d wards; want 19 and 5", len(ds.Offices), wards)
	}
	if len(ds.Districts) != 5 || ds.Districts[0].ID == "" || len(ds.Boundary) == 0 {
		t.Errorf("%d districts (first id %q), %d boundary polygons", len(ds.Districts), ds.Districts[0].ID, len(ds.Boundary))
	}
}

// TestKSJHint: 国土数値情報 ward polygons read without --preset ksj fail on
// their id, and the message says that the preset reads them.
func TestKSJHint(t *testing.T) {
	needShared(t)
	file := sharedData + "kumamoto_wards_N03-21_simplified1pct_smartnews.geojson"
	_, _, err := Load(Paths{LayerDistricts: file}, Options{})
	if err == nil || !strings.Contains(err.Error(), "--preset ksj") || !strings.Contains(err.Error(), "N03_001") {
		t.Fatalf("want an error suggesting --preset ksj, got %v", err)
	}
	if _, _, err := Load(Paths{LayerDistricts: file}, Options{Preset: PresetKSJ}); err != nil {
		t.Fatalf("with the preset: %v", err)
	}
	for name, want := range map[string]bool{"N03_001": true, "A27_004_ja": true, "P30_005": true, "A32a_001": true,
		"N03_01": false, "id": false, "n03_001": false, "N03_0011": false, "NN3_001": false, "P30_00x": false} {
		if got := isKSJCode(name); got != want {
			t.Errorf("isKSJCode(%q) = %v, want %v", name, got, want)
		}
	}
}
