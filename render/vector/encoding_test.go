package vector

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// encodingTable holds what a planner's tables hold: Japanese names, a
// name with an IBM extension kanji (髙), numbers, booleans, nulls, and a
// field with a comma, a quote and a line break.
func encodingTable() Table {
	return Table{
		Columns: []string{"office_id", "office_name", "distance_m", "population", "gap", "note"},
		Rows: [][]any{
			{"oe", "大江出張所", 1677.3, 50370, false, nil},
			{"takahashi", "髙橋出張所", 5459.9, 0, true, "「窓口」, \"証明書\"\n2行目"},
			{"dash", "1〜3丁目−西", 0.5, nil, nil, "¥350"},
		},
	}
}

func TestParseCSVEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want CSVEncoding
	}{
		{"utf-8", UTF8}, {"UTF8", UTF8}, {"utf-8-bom", UTF8BOM}, {"utf-8-sig", UTF8BOM},
		{"shift_jis", ShiftJIS}, {"SJIS", ShiftJIS}, {"cp932", ShiftJIS}, {"Windows-31J", ShiftJIS},
	} {
		if got, err := ParseCSVEncoding(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseCSVEncoding(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseCSVEncoding("latin1"); err == nil || !strings.Contains(err.Error(), "utf-8, utf-8-bom, shift_jis") {
		t.Errorf("latin1: %v", err)
	}
}

// encodeTable writes the table's CSV in enc.
func encodeTable(t *testing.T, tb Table, enc CSVEncoding) []byte {
	t.Helper()
	var text, out bytes.Buffer
	if err := tb.WriteCSV(&text); err != nil {
		t.Fatal(err)
	}
	if err := EncodeCSV(&out, text.Bytes(), enc); err != nil {
		t.Fatalf("%s: %v", enc, err)
	}
	return out.Bytes()
}

// TestEncodeCSVRoundTrips decodes each encoding back to the UTF-8 CSV,
// with the characters JIS and Windows map differently in their Windows
// forms.
func TestEncodeCSVRoundTrips(t *testing.T) {
	tb := encodingTable()
	var plain bytes.Buffer
	if err := tb.WriteCSV(&plain); err != nil {
		t.Fatal(err)
	}
	utf8 := encodeTable(t, tb, UTF8)
	if !bytes.Equal(utf8, plain.Bytes()) {
		t.Errorf("utf-8 changed the text")
	}
	bom := encodeTable(t, tb, UTF8BOM)
	if !bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}) || !bytes.Equal(bom[3:], plain.Bytes()) {
		t.Errorf("utf-8-bom is not the mark and the text: % x", bom[:8])
	}
	sjis := encodeTable(t, tb, ShiftJIS)
	if bytes.Contains(sjis, []byte("?")) {
		t.Errorf("shift_jis wrote a ?: %q", sjis)
	}
	back, err := japanese.ShiftJIS.NewDecoder().Bytes(sjis)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("〜", "～", "−", "－", "¥", "￥").Replace(plain.String())
	if string(back) != want {
		t.Errorf("shift_jis decodes to\n%s\nwant\n%s", back, want)
	}
}

// TestShiftJISRefusesUnencodable names the row, line and column of a
// character Shift_JIS has no code for, and writes nothing.
func TestShiftJISRefusesUnencodable(t *testing.T) {
	tb := encodingTable()
	tb.Rows = append(tb.Rows, []any{"yoshino", "𠮷野出張所", 1.0, 1, false, nil})
	var text, out bytes.Buffer
	if err := tb.WriteCSV(&text); err != nil {
		t.Fatal(err)
	}
	err := EncodeCSV(&out, text.Bytes(), ShiftJIS)
	var ue *UnencodableError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want an UnencodableError", err)
	}
	// Row 4 starts on line 6: row 2's note holds a line break.
	if ue.Char != '𠮷' || ue.Row != 4 || ue.Line != 6 || ue.Column != "office_name" || ue.Value != "𠮷野出張所" {
		t.Errorf("got %+v", *ue)
	}
	for _, want := range []string{"shift_jis", "U+20BB7", "row 4 (line 6)", "column office_name", "𠮷野出張所"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if out.Len() != 0 {
		t.Errorf("wrote %d bytes", out.Len())
	}
	// An unencodable column name is named by its number.
	err = EncodeCSV(&out, []byte("id,名前😀\na,b\n"), ShiftJIS)
	if !errors.As(err, &ue) || ue.Row != 0 || ue.Column != "2" || !strings.Contains(err.Error(), "the header (line 1), column 2") {
		t.Errorf("header: %v", err)
	}
}

// TestEncodedCSVReaders reads each encoding with GDAL's ogrinfo (QGIS's
// reader) and Python's csv module and pandas.
func TestEncodedCSVReaders(t *testing.T) {
	tb := encodingTable()
	dir := t.TempDir()
	files := map[CSVEncoding]string{}
	for _, enc := range CSVEncodings {
		path := filepath.Join(dir, strings.ReplaceAll(string(enc), "-", "_")+".csv")
		if err := os.WriteFile(path, encodeTable(t, tb, enc), 0o644); err != nil {
			t.Fatal(err)
		}
		files[enc] = path
	}
	t.Run("ogrinfo", func(t *testing.T) {
		for enc, path := range files {
			info := ogrtest.Info(t, path)
			l := ogrtest.Layers(info)
			if len(l) != 1 || l[0].FeatureCount != 3 || strings.Join(l[0].FieldOrder, ",") != strings.Join(tb.Columns, ",") {
				t.Errorf("%s: ogrinfo reads %+v", enc, l)
			}
			out, err := exec.Command(ogrtest.RequireOgrinfo(t), "-ro", "-q", "-al", "-oo", "AUTODETECT_TYPE=YES", path).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: ogrinfo: %v\n%s", enc, err, out)
			}
			text := string(out)
			if enc == ShiftJIS {
				b, err := japanese.ShiftJIS.NewDecoder().Bytes(out)
				if err != nil {
					t.Fatal(err)
				}
				text = string(b)
			}
			for _, want := range []string{"office_name (String) = 髙橋出張所", "distance_m (Real) = 1677.3", "population (Integer) = 50370", "office_name (String) = 1" + map[bool]string{true: "～", false: "〜"}[enc == ShiftJIS] + "3丁目"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: ogrinfo does not show %q:\n%s", enc, want, text)
				}
			}
		}
	})
	t.Run("python", func(t *testing.T) {
		python := requirePython(t, "pandas")
		// One python for the three files: importing pandas takes seconds.
		script := `
import csv, sys, pandas
for path, enc in zip(sys.argv[1::2], sys.argv[2::2]):
    with open(path, newline="", encoding=enc) as f:
        rows = list(csv.reader(f))
    df = pandas.read_csv(path, encoding=enc)
    print(enc, rows[0][0], rows[2][1], repr(rows[2][5]), len(rows), list(df.columns)[0], df["office_name"][1], df["distance_m"].dtype, df["population"][0], df["gap"][1])
`
		args := []string{"-c", script}
		var want strings.Builder
		for _, enc := range CSVEncodings {
			pyEnc := map[CSVEncoding]string{UTF8: "utf-8", UTF8BOM: "utf-8-sig", ShiftJIS: "cp932"}[enc]
			args = append(args, files[enc], pyEnc)
			// encoding/csv writes a line break in a field as CRLF, as
			// RFC 4180 lines end.
			want.WriteString(pyEnc + " office_id 髙橋出張所 '「窓口」, \"証明書\"\\r\\n2行目' 4 office_id 髙橋出張所 float64 50370.0 True\n")
		}
		out, err := exec.Command(python, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("python: %v\n%s", err, out)
		}
		if string(out) != want.String() {
			t.Errorf("python reads\n%s want\n%s", out, want.String())
		}
	})
}

// requirePython is Debian's python3 with the modules; it fails the test
// in CI when they are missing and skips it loudly otherwise.
func requirePython(t *testing.T, modules ...string) string {
	t.Helper()
	for _, python := range []string{"/usr/bin/python3", "python3"} {
		p, err := exec.LookPath(python)
		if err != nil {
			continue
		}
		if exec.Command(p, "-c", "import "+strings.Join(modules, ", ")).Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("python3 with %s missing in CI: .ci/run installs python3-pandas", strings.Join(modules, ", "))
	}
	t.Skipf("SKIPPING THE PYTHON READ-BACK: no python3 with %s (apt-get install python3-pandas)", strings.Join(modules, ", "))
	return ""
}

// BenchmarkEncodeCSVShiftJIS encodes a 19,000-row district table.
func BenchmarkEncodeCSVShiftJIS(b *testing.B) {
	tb := Table{Columns: []string{"district_id", "district_name", "office_name", "distance_m"}}
	for i := range 19_000 {
		tb.Rows = append(tb.Rows, []any{i, "第1校区 (synthetic)", "中央区役所", 1234.5})
	}
	var text bytes.Buffer
	if err := tb.WriteCSV(&text); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(text.Len()))
	for b.Loop() {
		if err := EncodeCSV(io.Discard, text.Bytes(), ShiftJIS); err != nil {
			b.Fatal(err)
		}
	}
}
