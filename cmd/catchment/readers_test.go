package main

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// bom is UTF-8's byte-order mark.
var bom = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads a CSV file written in UTF-8 with a byte-order mark.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, bom) {
		t.Errorf("%s does not start with a byte-order mark: % x", filepath.Base(path), b[:min(len(b), 3)])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestReportReaderFiles: the report folder's CSV files carry a byte-order
// mark, and report.xlsx holds the same tables, typed, beside report.html.
func TestReportReaderFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "report", "--out", dir, "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"nearest.csv", "candidates.csv", "access.csv"} {
		readCSV(t, filepath.Join(dir, f))
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.html", "report.xlsx"} {
		if !strings.Contains(string(md), "["+f+"]("+f+")") {
			t.Errorf("report.md does not link %s", f)
		}
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	want := []string{"概要", "最寄りの区役所", "再編候補", "校区の担当窓口", "コンビニ空白校区", "窓口の担当区域", "アクセス指標の変化", "単独閉鎖の影響順位",
		"証明書単価の再現", "サービスモデルの入力", "年度別の証明書と費用", "窓口別の業務量", "窓口取扱件数の予測", "証明書取得可能時間"}
	if got := wb.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	// Every sheet that has a CSV beside it holds the same values.
	for sheet, file := range map[string]string{"最寄りの区役所": "nearest.csv", "再編候補": "candidates.csv", "アクセス指標の変化": "access.csv"} {
		rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		sameValues(t, sheet, rows, readCSV(t, filepath.Join(dir, file)))
	}
	// Cells are typed: numbers, booleans, text.
	for _, c := range []struct {
		sheet, cell string
		typ         excelize.CellType
	}{
		{"最寄りの区役所", "B2", excelize.CellTypeInlineString},
		{"最寄りの区役所", "E2", excelize.CellTypeUnset}, // a number
		{"コンビニ空白校区", "E2", excelize.CellTypeBool},
		{"単独閉鎖の影響順位", "A2", excelize.CellTypeUnset},
	} {
		if typ, err := wb.GetCellType(c.sheet, c.cell); err != nil || typ != c.typ {
			t.Errorf("%s!%s: type %v (%v), want %v", c.sheet, c.cell, typ, err, c.typ)
		}
	}
	about, _ := wb.GetRows("概要")
	text := ""
	for _, r := range about {
		text += strings.Join(r, "\t") + "\n"
	}
	for _, w := range []string{"合成データ", "districts, posts, stores", "出典: offices\tembedded:kumamoto/offices.csv", "シート 最寄りの区役所"} {
		if !strings.Contains(text, w) {
			t.Errorf("the about sheet lacks %q:\n%s", w, text)
		}
	}
	t.Run("html", func(t *testing.T) { reportHTMLInChromium(t, dir) })
}

// sameValues compares a sheet's raw rows with a CSV's: text equal,
// numbers equal to Excel's 15 significant digits (excelize cuts the
// 16th and 17th), booleans 0 and 1.
func sameValues(t *testing.T, name string, sheet, file [][]string) {
	t.Helper()
	if len(sheet) != len(file) {
		t.Errorf("%s: %d rows, the CSV %d", name, len(sheet), len(file))
		return
	}
	for i := range file {
		for j := range file[i] {
			var got string
			if j < len(sheet[i]) {
				got = sheet[i][j]
			}
			want := file[i][j]
			if got == want || (got == "1" && want == "true") || (got == "0" && want == "false") {
				continue
			}
			g, err1 := strconv.ParseFloat(got, 64)
			w, err2 := strconv.ParseFloat(want, 64)
			if err1 == nil && err2 == nil && math.Abs(g-w) <= 1e-14*math.Abs(w) {
				continue
			}
			t.Errorf("%s row %d column %d: %q, the CSV %q", name, i+1, j+1, got, want)
		}
	}
}

// TestCSVEncodingsRoundTrip writes the districts as CSV with WKT in every
// encoding, and reads them back with our own reader and with GDAL.
func TestCSVEncodingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	code, want, stderr := runCLI(t, "assign", "--format", "json", "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, enc := range []string{"utf-8", "utf-8-bom", "shift_jis"} {
		path := filepath.Join(dir, enc+".csv")
		if code, _, stderr := runCLI(t, "assign", "--format", "csvwkt", "--csv-encoding", enc, "-o", path, "--quiet"); code != 0 {
			t.Fatalf("%s: %s", enc, stderr)
		}
		b, _ := os.ReadFile(path)
		if got := bytes.HasPrefix(b, bom); got != (enc == "utf-8-bom") {
			t.Errorf("%s: byte-order mark %v", enc, got)
		}
		// Our reader: the districts come back with the same names and
		// populations, and so the same assignment.
		code, got, stderr := runCLI(t, "assign", "--format", "json", "--quiet", "--districts", path,
			"--offices", "../../data/kumamoto/offices.csv",
			"--field", "districts.id=district_id", "--field", "districts.name=district_name")
		if code != 0 {
			t.Fatalf("%s: reading back: %s", enc, stderr)
		}
		if got != want {
			t.Errorf("%s: the districts read back assign differently:\n%.300s\nwant\n%.300s", enc, got, want)
		}
		// GDAL: the same fields and names (Shift_JIS bytes passed through).
		info := ogrtest.Info(t, path)
		l := ogrtest.Layers(info)
		if len(l) != 1 || l[0].FeatureCount != 90 || !slices.Contains(l[0].FieldOrder, "district_name") || !slices.Contains(l[0].FieldOrder, "office_name") {
			t.Errorf("%s: ogrinfo reads %+v", enc, l)
		}
		out, err := runOgr(t, path)
		if err != nil {
			t.Fatal(err)
		}
		if enc == "shift_jis" {
			if out, err = japanese.ShiftJIS.NewDecoder().Bytes(out); err != nil {
				t.Fatal(err)
			}
		}
		if !strings.Contains(string(out), "office_name (String) = 中央区役所") || !strings.Contains(string(out), "district_name (String) = 第1校区 (synthetic)") {
			t.Errorf("%s: ogrinfo shows no Japanese names", enc)
		}
	}
	// Standard output stays plain UTF-8.
	_, out, _ := runCLI(t, "nearest", "--format", "csv")
	if !strings.HasPrefix(out, "office_id,") {
		t.Errorf("stdout starts %q", out[:12])
	}
}

// runOgr lists a file's features with ogrinfo.
func runOgr(t *testing.T, path string) ([]byte, error) {
	t.Helper()
	return exec.Command(ogrtest.RequireOgrinfo(t), "-ro", "-q", "-al", "-where", "district_id = 'd01'", path).CombinedOutput()
}

// TestShiftJISUnencodableWritesNothing: a name Shift_JIS cannot encode
// stops the command with the row and column, and no file is written.
func TestShiftJISUnencodableWritesNothing(t *testing.T) {
	dir := t.TempDir()
	offices := filepath.Join(dir, "offices.csv")
	if err := os.WriteFile(offices, []byte("id,name,kind,lat,lon\nw1,中央区役所,ward,32.80,130.70\nb1,髙橋出張所,branch,32.79,130.75\nb2,𠮷野出張所,branch,32.81,130.72\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "nearest.csv")
	code, _, stderr := runCLI(t, "nearest", "--offices", offices, "--format", "csv", "--csv-encoding", "shift_jis", "-o", out)
	for _, want := range []string{"--csv-encoding shift_jis", `'𠮷' (U+20BB7)`, "row 2 (line 3), column office_name", "utf-8-bom"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q: want %q", code, stderr, want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
	// 髙 (outside JIS X 0208, in Windows' code page) is fine.
	code, stdout, stderr := runCLI(t, "nearest", "--offices", offices, "--format", "csv", "--csv-encoding", "shift_jis", "--to", "ward", "--from", "ward")
	if code != 0 || strings.Contains(stdout, "?") {
		t.Errorf("exit %d, %q, %s", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"nearest", "--csv-encoding", "latin1"},
		{"report", "--csv-encoding", "utf-16", "--out", filepath.Join(dir, "rep")},
		{"assign", "--format", "xlsx"},
		{"assign", "--sheet-names", "fr", "--format", "xlsx", "-o", filepath.Join(dir, "a.xlsx")},
	} {
		if code, _, stderr := runCLI(t, args...); code != 1 || !strings.Contains(stderr, "catchment "+args[0]+": ") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files written: %v", entries)
	}
}

// TestFormatXLSX: tabular commands write a workbook with -o, in Japanese
// or English sheet names.
func TestFormatXLSX(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args   []string
		sheets []string
	}{
		{[]string{"assign"}, []string{"概要", "校区の担当窓口"}},
		{[]string{"gaps", "--sheet-names", "en"}, []string{"about", "gaps"}},
		{[]string{"access"}, []string{"概要", "アクセス指標"}},
		{[]string{"whatif", "--close", "oe", "--each"}, []string{"概要", "再編案の要約", "校区の変化", "窓口の変化", "単独閉鎖の影響順位"}},
		{[]string{"whatif", "--close", "oe", "--table", "offices", "--sheet-names", "en"}, []string{"about", "whatif_offices"}},
	} {
		path := filepath.Join(dir, strings.Join(tc.args, "_")+".xlsx")
		if code, _, stderr := runCLI(t, append(tc.args, "--format", "xlsx", "-o", path, "--quiet")...); code != 0 {
			t.Fatalf("%v: %s", tc.args, stderr)
		}
		wb, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := wb.GetSheetList(); !slices.Equal(got, tc.sheets) {
			t.Errorf("%v: sheets %v, want %v", tc.args, got, tc.sheets)
		}
		wb.Close()
	}
	// The workbook holds what --format json prints.
	path := filepath.Join(dir, "assign.xlsx")
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows("校区の担当窓口", excelize.Options{RawCellValue: true})
	_, out, _ := runCLI(t, "assign", "--format", "csv")
	file, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	sameValues(t, "assign", rows, file)
}

// TestWhatIfOutReaderFiles: whatif --out writes whatif.html and
// whatif.xlsx beside whatif.md, and its CSVs with a byte-order mark.
func TestWhatIfOutReaderFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "whatif", "--close", "oe,akitsu", "--each", "--maps", "--out", dir, "--quiet", "--sheet-names", "en"); code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"whatif_summary.csv", "whatif_districts.csv", "whatif_offices.csv", "whatif_each.csv"} {
		readCSV(t, filepath.Join(dir, f))
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "whatif.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := wb.GetSheetList(); !slices.Equal(got, []string{"about", "whatif_summary", "whatif_districts", "whatif_offices", "whatif_each",
		"service_plan", "service_inputs", "service_years", "service_offices", "service_forecast", "service_hours"}) {
		t.Errorf("sheets %v", got)
	}
	rows, _ := wb.GetRows("whatif_districts", excelize.Options{RawCellValue: true})
	sameValues(t, "whatif_districts", rows, readCSV(t, filepath.Join(dir, "whatif_districts.csv")))
	page, err := os.ReadFile(filepath.Join(dir, "whatif.html"))
	if err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if n := strings.Count(string(page), `<img src="data:image/png;base64,`); n != len(pngs) || n < 2 {
		t.Errorf("whatif.html embeds %d pictures, want the %d beside it (the 2 maps and the service charts)", n, len(pngs))
	}
	if err := wellFormedXML(page); err != nil {
		t.Errorf("whatif.html: %v", err)
	}
}

// wellFormedXML parses an XHTML page strictly.
func wellFormedXML(page []byte) error {
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// reportHTMLInChromium opens report.html in Debian's chromium: every
// picture decodes, the contents link to their sections, nothing is
// fetched, and the page prints on A4 (its own @page size). With
// CATCHMENT_SCREENSHOT=DIR the screenshot and the PDF are saved there.
func reportHTMLInChromium(t *testing.T, dir string) {
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := wellFormedXML(page); err != nil {
		t.Fatalf("report.html is not well-formed: %v", err)
	}
	ctx := browser(t)
	type state struct {
		Title                 string
		Images, Broken, Links int
		MissingTargets        []string
		Resources             []string
		Overflow              bool
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, "report.html")), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
		const imgs = [...document.images];
		const links = [...document.querySelectorAll('nav.toc a')];
		return {
			Title: document.title,
			Images: imgs.length,
			Broken: imgs.filter((i) => !i.complete || i.naturalWidth === 0).length,
			Links: links.length,
			MissingTargets: links.filter((a) => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map((a) => a.hash),
			Resources: performance.getEntriesByType('resource').map((r) => r.name),
			Overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
		};
	})()`, chromedp.EvalAsValue))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Office catchment report" || s.Images < 7 || s.Broken != 0 || s.Links < 8 || len(s.MissingTargets) != 0 || len(s.Resources) != 0 || s.Overflow {
		t.Errorf("the page in chromium: %+v", s)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(shot)); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(func(p *cdppage.PrintToPDFParams) {
		yes := true
		p.PreferCSSPageSize = &yes
		p.PrintBackground = &yes
	}))
	if err != nil {
		t.Fatal(err)
	}
	// A4 is 595.28 × 841.89 pt; chromium rounds to whole CSS pixels.
	boxes := regexp.MustCompile(`/MediaBox \[0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\]`).FindAllSubmatch(pdf, -1)
	if len(boxes) < 5 {
		t.Fatalf("the PDF has %d pages, want the report's pictures and tables on several", len(boxes))
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if w < 593 || w > 597 || h < 840 || h > 844 {
			t.Fatalf("a page is %g × %g pt, not A4", w, h)
		}
	}
	if out := os.Getenv("CATCHMENT_SCREENSHOT"); out != "" {
		for name, b := range map[string][]byte{"report_html.png": shot, "report.pdf": pdf} {
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
