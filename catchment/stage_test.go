package catchment

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

func TestStageClosures(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	w, err := studyOf(t, ds.Districts, ds.Offices).WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	each, err := w.Each(data.Branch, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"oe", "akitsu", "tobu", "tatsuda"}
	stages, err := w.StageClosures(ids)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range stages {
		if len(st) != 1 {
			t.Fatalf("stage %v: want one office a stage", st)
		}
		got = append(got, st[0])
	}
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(ids))) {
		t.Fatalf("stages %v do not close %v", got, ids)
	}
	// The first is the one whose closing alone adds least (Each's order).
	for _, im := range each {
		if slices.Contains(ids, im.Office.ID) {
			if got[0] != im.Office.ID {
				t.Errorf("first stage closes %s, Each ranks %s first", got[0], im.Office.ID)
			}
			break
		}
	}
	// Each stage adds at least as much as the best other choice would.
	for k := 1; k < len(got); k++ {
		chosen, _ := w.closureImpact(got[:k+1])
		for _, other := range got[k+1:] {
			alt, _ := w.closureImpact(append(slices.Clone(got[:k]), other))
			if alt < chosen {
				t.Errorf("stage %d closes %s (impact %g), %s would add less (%g)", k+1, got[k], chosen, other, alt)
			}
		}
	}
	if _, err := w.StageClosures([]string{"nowhere"}); err == nil {
		t.Error("an unknown id is not an error")
	}
	// More than 20 offices: ranked alone, in at most 10 stages.
	var many []string
	for _, o := range ds.Offices {
		many = append(many, o.ID)
	}
	many = append(many, many...)[:21]
	if _, err := w.StageClosures(many); err != nil {
		t.Fatal(err)
	}
}

func TestEncodeScenarioRoundTrip(t *testing.T) {
	maxKm := 4.5
	lat, lon := 32.8, 130.7
	in := Scenario{Name: "plan", Description: "kept by p-median", Source: "x",
		Options: ScenarioOptions{MaxKm: &maxKm},
		Stages: []Stage{
			{Name: "1", Close: []string{"oe"}},
			{Name: "2", Close: []string{"akitsu", "tobu"}, Downgrade: []string{"hanazono"},
				Open: []data.Office{{ID: "n1", Name: "新", Kind: data.Branch, Location: [2]float64{lon, lat}}}},
		}}
	for _, format := range []string{"yaml", "json"} {
		var b bytes.Buffer
		if err := EncodeScenario(&b, in, format); err != nil {
			t.Fatal(err)
		}
		out, err := ParseScenario(&b, "x", format)
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, b.String())
		}
		out.Stages[1].Open[0].Source = ""
		if !reflect.DeepEqual(in, out) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", format, out, in)
		}
	}
}
