package render

import (
	"slices"
	"strings"
	"testing"
)

// TestWorkbookTablesAndNotes: the report's tables carry their Japanese and
// English names, and the about notes flag every synthetic layer, name every
// source and describe every sheet.
func TestWorkbookTablesAndNotes(t *testing.T) {
	ds, s := accessStudy(t)
	rep, err := s.Report(5)
	if err != nil {
		t.Fatal(err)
	}
	tables := ReportTables(Report{Study: s, Report: rep})
	_, stages, each := stagedOnDefault(t)
	tables = append(tables, WhatIfTables(stages, &stages[len(stages)-1].Comparison, each)...)
	var en, ja []string
	for _, tb := range tables {
		en, ja = append(en, tb.SheetName(true)), append(ja, tb.SheetName(false))
		if tb.NameJa == "" || tb.About == "" || tb.AboutJa == "" {
			t.Errorf("%s has no Japanese name or description", tb.Name)
		}
		if len(tb.Table.Rows) == 0 {
			t.Errorf("%s is empty", tb.Name)
		}
	}
	if want := []string{"nearest", "candidates", "assignment", "gaps", "catchments", "whatif_summary", "whatif_districts", "whatif_offices", "whatif_each"}; !slices.Equal(en, want) {
		t.Errorf("English names %v, want %v", en, want)
	}
	if ja[0] != "最寄りの区役所" || ja[8] != "単独閉鎖の影響順位" {
		t.Errorf("Japanese names %v", ja)
	}
	if got := Named("not_listed", tables[0].Table).SheetName(false); got != "not_listed" {
		t.Errorf("an unlisted table is named %q in Japanese", got)
	}

	for _, english := range []bool{false, true} {
		notes := WorkbookNotes("title", ds, "geodesic", tables, english)
		text := ""
		for _, n := range notes {
			text += n[0] + "\t" + n[1] + "\n"
		}
		for _, want := range []string{"districts, posts, stores", "embedded:kumamoto/offices.csv", "出典：国土地理院"} {
			if !strings.Contains(text, want) {
				t.Errorf("english=%v: the notes do not say %q:\n%s", english, want, text)
			}
		}
		wantLines := map[bool][]string{
			false: {"合成データ\t合成（デモ）データ: boundary, counts, districts, posts, stores。", "シート 校区の担当窓口\t校区ごとの最寄りの窓口と距離（90 行）", "距離\t測地線距離"},
			true:  {"SYNTHETIC\tSYNTHETIC demo layers: boundary, counts, districts, posts, stores.", "sheet assignment\tevery district's nearest office and the distance (90 rows)", "distances\tgeodesic"},
		}[english]
		for _, want := range wantLines {
			if !strings.Contains(text, want) {
				t.Errorf("english=%v: the notes lack %q:\n%s", english, want, text)
			}
		}
	}
}
