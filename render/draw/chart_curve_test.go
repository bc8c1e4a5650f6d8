package draw

import (
	"math"
	"strings"
	"testing"
)

// kumamotoCurve is the shape of the p-median curve of the Kumamoto
// default (mean km for K = 5 … 10), with notes.
func kumamotoCurve() []CurvePoint {
	ys := []float64{3.47, 3.09, 2.83, 2.60, 2.43, 2.33}
	notes := []string{"", "+清水", "+幸田", "+花園 +龍田 −清水", "+清水 +託麻 −龍田", "+大江"}
	notesEn := []string{"", "+Shimizu", "+Koda", "+Hanazono +Tatsuda −Shimizu", "+Shimizu +Takuma −Tatsuda", "+Oe"}
	var pts []CurvePoint
	for k, y := range ys {
		pts = append(pts, CurvePoint{X: float64(5 + k), Y: y, Proven: k != 4, Note: notes[k], NoteEn: notesEn[k]})
	}
	return pts
}

func TestRenderCurve(t *testing.T) {
	marks := []CurveMark{{X: 8, Y: 2.96, Label: "5 km ルール", LabelEn: "5 km rule"}}
	text := CurveText{Title: "最適配置", TitleEn: "Best plans", YLabel: "平均距離（km）", YLabelEn: "Mean distance (km)", Decimals: 2}
	for _, fc := range fontCases(t) {
		t.Run(fc.name, func(t *testing.T) {
			img, c, warns, err := renderCurve(kumamotoCurve(), marks, text, ChartOptions{Width: 1200, Height: 750, Fonts: fc.fonts})
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
			if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 750 {
				t.Errorf("size %v", b)
			}
			// Every note and the mark are labelled.
			if len(c.labels) != 6 {
				t.Errorf("%d labels placed, want 6", len(c.labels))
			}
			compareGolden(t, "curve_"+fc.name+".png", img)
		})
	}
}

func TestRenderCurveErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pts   []CurvePoint
		marks []CurveMark
		want  string
	}{
		{"none", nil, nil, "no points"},
		{"descending", []CurvePoint{{X: 6, Y: 1}, {X: 5, Y: 2}}, nil, "x ascending"},
		{"nan", []CurvePoint{{X: 5, Y: math.NaN()}}, nil, "want finite y"},
		{"negative", []CurvePoint{{X: 5, Y: -1}}, nil, "want finite y ≥ 0"},
		{"bad mark", []CurvePoint{{X: 5, Y: 1}}, []CurveMark{{X: math.NaN(), Y: 1, Label: "rule"}}, "mark 0 (rule)"},
	} {
		_, _, err := RenderCurve(tc.pts, tc.marks, CurveText{}, ChartOptions{Fonts: LatinFonts()})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
