package data

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPointGeometry(t *testing.T) {
	for _, c := range []struct {
		json string
		want string // substring of the problem; "" for a point
	}{
		{`null`, "empty (null)"},
		{`{"type":"Point","coordinates":[130.7,32.8]}`, ""},
		{`{"type":"Point","coordinates":[130.7,32.8,12.5]}`, ""},
		{`{"type":"Point","coordinates":[]}`, "a Point with no coordinates"},
		{`{"type":"Point","coordinates":[130.7]}`, "a position has 1 numbers"},
		{`{"type":"Point","coordinates":[[130.7,32.8]]}`, "not nested arrays of numbers"},
		{`{"type":"Point","coordinates":[1e999,32.8]}`, "not a finite number"},
		{`{"type":"MultiPoint","coordinates":[[130.7,32.8]]}`, ""},
		{`{"type":"MultiPoint","coordinates":[]}`, "MultiPoint with no points"},
		{`{"type":"MultiPoint","coordinates":[[130.7,32.8],[130.8,32.9]]}`, "MultiPoint of 2 points"},
		{`{"type":"LineString","coordinates":[[130.7,32.8],[130.8,32.9]]}`, "is a LineString; this layer needs Point"},
	} {
		var g *rawGeometry
		if err := json.Unmarshal([]byte(c.json), &g); err != nil {
			t.Fatal(err)
		}
		p, msg := pointGeometry(g)
		if c.want == "" && (msg != "" || p != [2]float64{130.7, 32.8}) {
			t.Errorf("%s: got %v, %q", c.json, p, msg)
		}
		if c.want != "" && !strings.Contains(msg, c.want) {
			t.Errorf("%s: problem %q, want %q", c.json, msg, c.want)
		}
	}
}

// TestManyErrors checks that a file with many bad rows reports a bounded
// number of them and says how many more there are.
func TestManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name,kind,lat,lon\n")
	for i := range 50 {
		fmt.Fprintf(&b, "K%d,office,castle,32.8,130.7\n", i)
	}
	path := filepath.Join(t.TempDir(), "offices.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := Load(Paths{LayerOffices: path}, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if n := strings.Count(msg, "unknown kind"); n != maxErrors {
		t.Errorf("%d errors shown, want %d", n, maxErrors)
	}
	if !strings.Contains(msg, "line 2: field kind") || !strings.Contains(msg, "30 more problems not shown") {
		t.Errorf("error:\n%s", msg)
	}
}

// TestGeoJSONMissingClosingBrace: a FeatureCollection cut just before its
// closing brace is truncated, not read as complete (both decoders took it).
func TestGeoJSONMissingClosingBrace(t *testing.T) {
	dir := t.TempDir()
	whole := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","name":"A","kind":"ward"},"geometry":{"type":"Point","coordinates":[130.7,32.8]}}]}`
	for name, text := range map[string]string{"whole": whole, "cut": strings.TrimSuffix(whole, "}"), "cut after a space": strings.TrimSuffix(whole, "}") + " \n"} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".geojson")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := Load(Paths{LayerOffices: path}, Options{})
		if name == "whole" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("%s: want a truncated-file error, got %v", name, err)
		}
	}
}
