package vector

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// officeTable is a nearest-office table with Japanese names, whole and
// fractional floats, nulls, NaN and booleans.
func officeTable() Table {
	return Table{
		Columns: []string{"office_id", "office_name", "distance_m", "distance_km", "published_km", "counters", "candidate"},
		Rows: [][]any{
			{"w1", "中央区役所", 1234.5, 1.23, nil, 12, false},
			{"b1", "北部総合出張所", 4321.0, 4.32, 4.0, 3, true},
			{"b2", "城南, \"まちづくり\"", 0.1, 0.0001, 1.0 / 3, nil, true},
			{"b3", "Tomioka\nbranch", math.NaN(), math.Inf(1), -0.0001, -2, false},
		},
	}
}

func TestWriteTableGolden(t *testing.T) {
	for _, format := range TableFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTable(&buf, format, officeTable()); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, "offices."+format+".golden", buf.Bytes())
		})
	}
}

func TestWriteTableErrors(t *testing.T) {
	tests := []struct {
		name   string
		format string
		table  Table
		want   string
	}{
		{"unknown format", "xlsx", officeTable(), `unknown table format "xlsx" (accepted: table, csv, json)`},
		{"short row", "csv", Table{Columns: []string{"a", "b"}, Rows: [][]any{{1, 2}, {1}}}, "table row 1 has 1 values for 2 columns"},
		{"duplicate column", "json", Table{Columns: []string{"a", "a"}}, `table column "a" appears twice`},
		{"empty column", "table", Table{Columns: []string{"a", ""}}, "table column 1 has an empty name"},
		{"bad value", "table", Table{Columns: []string{"a"}, Rows: [][]any{{map[string]int{}}}}, `table row 0 column "a": unsupported value type map[string]int`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteTable(&bytes.Buffer{}, tt.format, tt.table)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestWriteTextAlignment(t *testing.T) {
	var buf bytes.Buffer
	if err := officeTable().WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2+len(officeTable().Rows) {
		t.Fatalf("%d lines, want header, rule and %d rows:\n%s", len(lines), len(officeTable().Rows), buf.String())
	}
	// The rule's dashes mark each column; every cell must sit inside its
	// column's span as counted in terminal cells.
	rule := lines[1]
	var spans [][2]int
	for i := 0; i < len(rule); {
		if rule[i] != '-' {
			i++
			continue
		}
		j := i
		for j < len(rule) && rule[j] == '-' {
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	if len(spans) != len(officeTable().Columns) {
		t.Fatalf("rule %q has %d columns, want %d", rule, len(spans), len(officeTable().Columns))
	}
	for _, line := range append(lines[:1], lines[2:]...) {
		col := 0 // cell position in terminal cells
		for _, r := range line {
			w := cellWidth(string(r))
			if r != ' ' {
				inside := false
				for _, s := range spans {
					inside = inside || (col >= s[0] && col+w <= s[1])
				}
				if !inside {
					t.Errorf("line %q: %q at cell %d falls between columns", line, r, col)
				}
			}
			col += w
		}
	}
	// The numeric column distance_m is right-aligned: its last cell is
	// non-blank on every line.
	end := spans[2][1]
	for _, line := range lines {
		if cellPrefix(line, end) == "" || strings.HasSuffix(cellPrefix(line, end), " ") {
			t.Errorf("line %q: distance_m is not right-aligned at cell %d", line, end)
		}
	}
}

// cellPrefix is the part of s that fills its first n terminal cells.
func cellPrefix(s string, n int) string {
	col := 0
	for i, r := range s {
		if col >= n {
			return s[:i]
		}
		col += cellWidth(string(r))
	}
	return s
}

func TestCellWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"中央区", 6},
		{"ｱｲｳ", 3},       // halfwidth katakana
		{"ＡＢ", 4},        // fullwidth Latin
		{"e\u0301", 1},   // combining acute
		{"区\u200b役所", 6}, // zero-width space
		{"白川校区 (1)", 12}, // mixed
	}
	for _, tt := range tests {
		if got := cellWidth(tt.s); got != tt.want {
			t.Errorf("cellWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestWriteCSVRoundTrip reads the CSV back: header, no BOM, CRLF, and every
// float parses back to exactly the value written.
func TestWriteCSVRoundTrip(t *testing.T) {
	tab := officeTable()
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
		t.Error("CSV starts with a BOM")
	}
	if !bytes.HasSuffix(out, []byte("\r\n")) || bytes.Count(out, []byte("\r\n")) < len(tab.Rows)+1 {
		t.Error("CSV lines do not end in CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(tab.Columns, ",") {
		t.Errorf("header %q, want %q", recs[0], tab.Columns)
	}
	for i, row := range tab.Rows {
		for j, v := range row {
			got := recs[i+1][j]
			switch v := v.(type) {
			case float64:
				if math.IsNaN(v) || math.IsInf(v, 0) {
					if got != "" {
						t.Errorf("row %d col %d: %q for %v, want empty", i, j, got, v)
					}
					continue
				}
				f, err := strconv.ParseFloat(got, 64)
				if err != nil || f != v {
					t.Errorf("row %d col %d: %q does not parse back to %v", i, j, got, v)
				}
			case string:
				if got != strings.ReplaceAll(v, "\n", "\r\n") && got != v {
					t.Errorf("row %d col %d: %q, want %q", i, j, got, v)
				}
			}
		}
	}
}

// TestWriteJSONRoundTrip decodes the JSON: an array of objects whose keys
// are the columns in order, floats as floats, NaN and nil as null.
func TestWriteJSONRoundTrip(t *testing.T) {
	tab := officeTable()
	var buf bytes.Buffer
	if err := tab.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
	}
	if len(rows) != len(tab.Rows) {
		t.Fatalf("%d objects, want %d", len(rows), len(tab.Rows))
	}
	for i, row := range tab.Rows {
		for j, v := range row {
			got := rows[i][tab.Columns[j]]
			var want any = v
			switch v := v.(type) {
			case int:
				want = float64(v)
			case float64:
				if math.IsNaN(v) || math.IsInf(v, 0) {
					want = nil
				}
			}
			if got != want {
				t.Errorf("row %d %s = %#v, want %#v", i, tab.Columns[j], got, want)
			}
		}
	}
	// Keys appear in column order.
	first := buf.String()[:strings.Index(buf.String(), "}")]
	last := -1
	for _, c := range tab.Columns {
		k := strings.Index(first, strconv.Quote(c))
		if k <= last {
			t.Errorf("key %q out of column order", c)
		}
		last = k
	}
	// Empty tables are an empty array in every format that has one.
	buf.Reset()
	if err := (Table{Columns: []string{"a"}}).WriteJSON(&buf); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty table JSON = %q, %v", buf.String(), err)
	}
}

func BenchmarkWriteTableText(b *testing.B) {
	tab := officeTable()
	for len(tab.Rows) < 1000 {
		tab.Rows = append(tab.Rows, tab.Rows[:4]...)
	}
	for b.Loop() {
		if err := tab.WriteText(&countingWriter{}); err != nil {
			b.Fatal(err)
		}
	}
}
