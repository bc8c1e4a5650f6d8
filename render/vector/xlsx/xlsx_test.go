package xlsx

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/width"

	"github.com/xuri/excelize/v2"

	"github.com/kumamoto-gis/catchment/render/vector"
)

// testWorkbook has what the commands' tables have: Japanese text, ints,
// rounded and full-precision floats, booleans, nulls, NaN, a text that
// looks like a number or a formula, and a sheet with no rows.
func testWorkbook() Workbook {
	return Workbook{
		AboutName: "概要",
		Title:     "catchment report",
		Notes: [][2]string{
			{"合成データ", "districts, stores は合成デモデータです。" + strings.Repeat("長い注記。", 40)},
			{"出典: offices", "embedded:kumamoto/offices.csv"},
		},
		Sheets: []Sheet{
			{Name: "最寄りの区役所", Table: vector.Table{
				Columns: []string{"office_id", "office_name", "distance_m", "access", "population", "gap", "published_km", "code"},
				Rows: [][]any{
					{"oe", "大江出張所", 1677.3, 1.5629183474219123, 50370, false, 2.5, "0012"},
					{"takuma", "託麻総合出張所", 5459.9, 0.25, 0, true, nil, "=SUM(A1)"},
					{"x", "髙橋出張所", 12.0, math.NaN(), -3, nil, float32(0.1), "1e5"},
				},
			}},
			{Name: "empty", Table: vector.Table{Columns: []string{"id", "n"}}},
		},
	}
}

func write(t *testing.T, wb Workbook) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	var b bytes.Buffer
	if err := Write(&b, wb); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWorkbookReadsBack opens the workbook with excelize: the sheets in
// order, typed cells, the header frozen, an Excel table with filters, and
// columns fitted to their contents.
func TestWorkbookReadsBack(t *testing.T) {
	path := write(t, testWorkbook())
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"概要", "最寄りの区役所", "empty"}) {
		t.Errorf("sheets %v", got)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("the workbook opens on sheet %d, not the about sheet", i)
	}
	if v, _ := f.GetCellValue("概要", "A1"); v != "catchment report" {
		t.Errorf("about A1 = %q", v)
	}
	if v, _ := f.GetCellValue("概要", "A3"); v != "合成データ" {
		t.Errorf("about A3 = %q", v)
	}
	const sheet = "最寄りの区役所"
	for _, tc := range []struct {
		cell string
		typ  excelize.CellType
		raw  string
	}{
		{"A1", excelize.CellTypeInlineString, "office_id"},
		{"B2", excelize.CellTypeInlineString, "大江出張所"},
		{"C2", excelize.CellTypeUnset, "1677.3"},           // a number: no t attribute
		{"D2", excelize.CellTypeUnset, "1.56291834742191"}, // Excel's 15 significant digits
		{"E2", excelize.CellTypeUnset, "50370"},
		{"F2", excelize.CellTypeBool, "0"},
		{"F3", excelize.CellTypeBool, "1"},
		{"G3", excelize.CellTypeUnset, ""}, // null: empty
		{"D4", excelize.CellTypeUnset, ""}, // NaN: empty
		{"E4", excelize.CellTypeUnset, "-3"},
		{"G4", excelize.CellTypeUnset, "0.1"}, // a float32 by its shortest decimal
		{"H2", excelize.CellTypeInlineString, "0012"},
		{"H3", excelize.CellTypeInlineString, "=SUM(A1)"},
		{"H4", excelize.CellTypeInlineString, "1e5"},
	} {
		typ, err := f.GetCellType(sheet, tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(sheet, tc.cell, excelize.Options{RawCellValue: true})
		if typ != tc.typ || raw != tc.raw {
			t.Errorf("%s: type %v value %q, want %v %q", tc.cell, typ, raw, tc.typ, tc.raw)
		}
	}
	// Rounded floats show their decimals, full-precision ones Excel's General.
	if v, _ := f.GetCellValue(sheet, "C4"); v != "12.0" {
		t.Errorf("C4 shows %q, want 12.0 (the column's one decimal)", v)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, %v: want the header frozen", panes, err)
	}
	tables, err := f.GetTables(sheet)
	if err != nil || len(tables) != 1 || tables[0].Range != "A1:H4" {
		t.Errorf("tables %+v, %v", tables, err)
	}
	// office_name (Japanese, 7 wide characters) is wider than office_id.
	wid, _ := f.GetColWidth(sheet, "A")
	wname, _ := f.GetColWidth(sheet, "B")
	if wname < 15 || wname <= wid || wid < minWidth {
		t.Errorf("widths A %g, B %g", wid, wname)
	}
	if rows, _ := f.GetRows("empty"); len(rows) != 1 || !slices.Equal(rows[0], []string{"id", "n"}) {
		t.Errorf("empty sheet: %v", rows)
	}
}

// TestWorkbookErrors: what does not fit is an error naming the sheet, and
// nothing is written.
func TestWorkbookErrors(t *testing.T) {
	long := strings.Repeat("あ", maxCellChars+1)
	for _, tc := range []struct {
		name string
		edit func(*Workbook)
		want string
	}{
		{"bad name", func(wb *Workbook) { wb.Sheets[1].Name = "a/b" }, `sheet name "a/b"`},
		{"long name", func(wb *Workbook) { wb.Sheets[1].Name = strings.Repeat("区", 32) }, "more than 31"},
		{"twice", func(wb *Workbook) { wb.Sheets[1].Name = "最寄りの区役所" }, "appears twice"},
		{"as about", func(wb *Workbook) { wb.Sheets[1].Name = "概要" }, "appears twice"},
		{"long text", func(wb *Workbook) { wb.Sheets[0].Table.Rows[1][1] = long }, "sheet 最寄りの区役所: row 2, column office_name: 32768 characters"},
		{"ragged", func(wb *Workbook) { wb.Sheets[0].Table.Rows[0] = []any{"a"} }, "row 1 has 1 values for 8 columns"},
		{"type", func(wb *Workbook) { wb.Sheets[0].Table.Rows[0][0] = []int{1} }, "row 1, column office_id: unsupported value type"},
		{"no columns", func(wb *Workbook) { wb.Sheets[1].Table.Columns = nil }, "sheet empty: the table has no columns"},
	} {
		wb := testWorkbook()
		tc.edit(&wb)
		var b bytes.Buffer
		err := Write(&b, wb)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", tc.name, b.Len())
		}
	}
}

// TestWorkbookOpenpyxl reads the workbook with Debian's python3-openpyxl,
// as pandas.read_excel does: the cells keep their types.
func TestWorkbookOpenpyxl(t *testing.T) {
	python := requireTool(t, "python3-openpyxl", func() (string, bool) {
		p, err := exec.LookPath("/usr/bin/python3")
		return p, err == nil && exec.Command(p, "-c", "import openpyxl").Run() == nil
	})
	path := write(t, testWorkbook())
	out, err := exec.Command(python, "-c", `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames)
ws = wb["最寄りの区役所"]
print(ws.freeze_panes)
for row in ws.iter_rows(values_only=True):
    print([type(v).__name__ + ":" + str(v) for v in row])
`, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	want := `['概要', '最寄りの区役所', 'empty']
A2
['str:office_id', 'str:office_name', 'str:distance_m', 'str:access', 'str:population', 'str:gap', 'str:published_km', 'str:code']
['str:oe', 'str:大江出張所', 'float:1677.3', 'float:1.56291834742191', 'int:50370', 'bool:False', 'float:2.5', 'str:0012']
['str:takuma', 'str:託麻総合出張所', 'float:5459.9', 'float:0.25', 'int:0', 'bool:True', 'NoneType:None', 'str:=SUM(A1)']
['str:x', 'str:髙橋出張所', 'int:12', 'NoneType:None', 'int:-3', 'NoneType:None', 'float:0.1', 'str:1e5']
`
	if string(out) != want {
		t.Errorf("openpyxl reads\n%s\nwant\n%s", out, want)
	}
}

// TestWorkbookLibreOffice converts every sheet back to CSV with
// LibreOffice and compares the values with the table's.
func TestWorkbookLibreOffice(t *testing.T) {
	soffice := requireTool(t, "libreoffice-calc-nogui", func() (string, bool) {
		for _, name := range []string{"libreoffice", "soffice"} {
			if p, err := exec.LookPath(name); err == nil {
				return p, true
			}
		}
		return "", false
	})
	wb := testWorkbook()
	path := write(t, wb)
	dir := t.TempDir()
	// 44,34,76: comma, double quote, UTF-8; 1: from row 1; the last token,
	// -1, writes every sheet to a file of its own.
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`, "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	read := func(sheet string) [][]string {
		b, err := os.ReadFile(filepath.Join(dir, "book-"+sheet+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	got := read("最寄りの区役所")
	// The values as stored (not as shown): floats to Excel's 15
	// significant digits.
	want := [][]string{
		{"office_id", "office_name", "distance_m", "access", "population", "gap", "published_km", "code"},
		{"oe", "大江出張所", "1677.3", "1.56291834742191", "50370", "FALSE", "2.5", "0012"},
		{"takuma", "託麻総合出張所", "5459.9", "0.25", "0", "TRUE", "", "=SUM(A1)"},
		{"x", "髙橋出張所", "12", "", "-3", "", "0.1", "1e5"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("LibreOffice reads\n%q\nwant\n%q", got, want)
	}
	if about := read("概要"); len(about) < 4 || about[0][0] != "catchment report" || about[2][1] != wb.Notes[0][1] {
		t.Errorf("about sheet: %q", about)
	}
}

// requireTool returns the tool that find finds; when it is missing the
// test fails in CI (.ci/run installs pkg) and skips loudly otherwise.
func requireTool(t *testing.T, pkg string, find func() (string, bool)) string {
	t.Helper()
	if p, ok := find(); ok {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s missing in CI: .ci/run must apt-get install it", pkg)
	}
	t.Skipf("SKIPPING: %s is not installed (apt-get install %s); the workbook is NOT checked with it", pkg, pkg)
	return ""
}

// BenchmarkWriteWorkbook writes four sheets of 19,000 rows, the size of a
// nation-scale report's district tables.
func BenchmarkWriteWorkbook(b *testing.B) {
	rows := make([][]any, 19_000)
	for i := range rows {
		rows[i] = []any{"d" + strconv.Itoa(i), "第1校区 (synthetic)", "chuo", "中央区役所", 1234.5 + float64(i), i * 10, 1.2345678901234567 * float64(i), i%3 == 0}
	}
	tb := vector.Table{Columns: []string{"district_id", "district_name", "office_id", "office_name", "distance_m", "population", "access", "gap"}, Rows: rows}
	wb := Workbook{Title: "bench", Sheets: []Sheet{{"s1", tb}, {"s2", tb}, {"s3", tb}, {"s4", tb}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, wb); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDisplayWidthASCII checks the ASCII shortcut of displayWidth against
// the general rule, for every ASCII character repeated and for mixed text.
func TestDisplayWidthASCII(t *testing.T) {
	general := func(s string) int {
		n := 0.0
		for _, r := range s {
			switch {
			case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
				n += 2
			case strings.ContainsRune("ilj.,:;'|!() ", r):
				n += 0.5
			case unicode.IsUpper(r), r == 'm', r == 'w', r == '@', r == '%':
				n += 1.35
			default:
				n++
			}
		}
		return int(math.Ceil(n))
	}
	texts := []string{"熊本市役所 Kumamoto City Hall (中央区)", "ﾃｽﾄ café\u00ad", "OFFICE_ID,population,distance_m"}
	for r := rune(0); r < 0x80; r++ {
		texts = append(texts, strings.Repeat(string(r), 20))
	}
	for _, s := range texts {
		if got, want := displayWidth(s), general(s); got != want {
			t.Errorf("%q: width %d, want %d", s, got, want)
		}
	}
}
