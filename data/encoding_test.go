package data

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// makeDBF builds a dBASE III table of one text field NAME holding values,
// with language driver byte ldid.
func makeDBF(ldid byte, values ...[]byte) []byte {
	const width = 20
	hdr := make([]byte, 32+32+1)
	hdr[0] = 3
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(values)))
	binary.LittleEndian.PutUint16(hdr[8:], uint16(len(hdr)))
	binary.LittleEndian.PutUint16(hdr[10:], 1+width)
	hdr[29] = ldid
	copy(hdr[32:], "NAME")
	hdr[32+11] = 'C'
	hdr[32+16] = width
	hdr[64] = 0x0D
	out := hdr
	for _, v := range values {
		rec := make([]byte, 1+width)
		for i := range rec {
			rec[i] = ' '
		}
		copy(rec[1:], v)
		out = append(out, rec...)
	}
	return append(out, 0x1A)
}

func encode(t *testing.T, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDBFCodePages is the regression test of issue 21's second misread: a
// .dbf whose language driver byte is 0x57 (ISO-8859-1, what GDAL writes by
// default) was decoded as Shift_JIS ('FRØY' read as 'FRﾘY'), and a .cpg
// saying 1252 failed. The code page now comes from the .cpg, else the
// language driver byte, as GDAL maps them.
func TestDBFCodePages(t *testing.T) {
	latin1 := encode(t, charmap.ISO8859_1.NewEncoder(), "FRØY")
	cp1252 := encode(t, charmap.Windows1252.NewEncoder(), "Œuvre “été”")
	sjis := encode(t, japanese.ShiftJIS.NewEncoder(), "熊本市役所")
	gbk := encode(t, simplifiedchinese.GBK.NewEncoder(), "中国")
	for _, c := range []struct {
		name  string
		ldid  byte
		cpg   string
		value []byte
		want  string // "" for an error
		enc   string
		from  string
	}{
		{"LDID 0x57 is ISO-8859-1", 0x57, "", latin1, "FRØY", "ISO-8859-1", "LDID"},
		{"LDID 0x03 is CP1252", 0x03, "", cp1252, "Œuvre “été”", "Windows-1252", "LDID"},
		{"LDID 0x58 is CP1252", 0x58, "", cp1252, "Œuvre “été”", "Windows-1252", "LDID"},
		{"LDID 0x13 is CP932", 0x13, "", sjis, "熊本市役所", "Shift_JIS", "LDID"},
		{"LDID 0x7B is CP932", 0x7B, "", sjis, "熊本市役所", "Shift_JIS", "LDID"},
		{"LDID 0x4D is GBK", 0x4D, "", gbk, "中国", "GBK (CP936)", "LDID"},
		{"LDID 0x4F is Big5", 0x4F, "", []byte("abc"), "abc", "Big5 (CP950)", "LDID"},
		{".cpg 1252", 0x57, "1252", cp1252, "Œuvre “été”", "Windows-1252", ".cpg"},
		{".cpg ISO-8859-1", 0, "ISO-8859-1\r\n", latin1, "FRØY", "ISO-8859-1", ".cpg"},
		{".cpg LATIN1", 0, "LATIN1", latin1, "FRØY", "ISO-8859-1", ".cpg"},
		{".cpg 8859-1", 0, "8859-1", latin1, "FRØY", "ISO-8859-1", ".cpg"},
		{".cpg 88591", 0, "88591", latin1, "FRØY", "ISO-8859-1", ".cpg"},
		{".cpg ANSI 1251", 0, "ANSI 1251", []byte{0xCC, 0xEE}, "Мо", "Windows-1251", ".cpg"},
		{".cpg UTF-8 wins over the LDID", 0x57, "UTF-8", []byte("FRØY"), "FRØY", "UTF-8", ".cpg"},
		{".cpg 932", 0x57, "932", sjis, "熊本市役所", "Shift_JIS", ".cpg"},
		{".cpg SJIS", 0, "SJIS", sjis, "熊本市役所", "Shift_JIS", ".cpg"},
		{".cpg CP932", 0, "CP932", sjis, "熊本市役所", "Shift_JIS", ".cpg"},
		{".cpg Shift_JIS", 0, "Shift_JIS", sjis, "熊本市役所", "Shift_JIS", ".cpg"},
		{".cpg 936", 0, "936", gbk, "中国", "GBK (CP936)", ".cpg"},
		{"unknown .cpg", 0, "KLINGON", latin1, "", "", ""},
		{"code page without a decoder", 0x6A, "", latin1, "", "", ""},
		{"no code page, UTF-8", 0, "", []byte("FRØY"), "FRØY", "UTF-8", "detected"},
		{"no code page, Latin-1", 0, "", encode(t, charmap.Windows1252.NewEncoder(), "Frédéric"), "Frédéric", "Windows-1252", "detected"},
		{"no code page, Shift_JIS", 0, "", sjis, "熊本市役所", "Shift_JIS", "detected"},
		// As GDAL reads it, with a warning that it reads as Japanese.
		{"LDID 0x57 on Shift_JIS text", 0x57, "", sjis, string(encode(t, charmap.ISO8859_1.NewDecoder(), string(sjis))), "ISO-8859-1", "LDID"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab, err := readDBF(makeDBF(c.ldid, c.value), c.cpg)
			if c.want == "" {
				if err == nil {
					t.Fatalf("read %q as %s, want an error", tab.rows[0][0], tab.encoding)
				}
				if !strings.Contains(err.Error(), "ENCODING=UTF-8") {
					t.Errorf("error %q gives no advice", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.rows[0][0]; got != c.want || tab.encoding != c.enc || tab.encodingFrom != c.from {
				t.Errorf("read %q as %s from %s, want %q as %s from %s", got, tab.encoding, tab.encodingFrom, c.want, c.enc, c.from)
			}
			if c.from == "detected" && c.enc != "UTF-8" && !strings.Contains(tab.note, "read as "+c.enc) {
				t.Errorf("detected %s without saying so: note %q", c.enc, tab.note)
			}
			if strings.HasPrefix(c.name, "LDID 0x57 on") && !strings.Contains(tab.note, "says ISO-8859-1, as which it was read (as GDAL reads it), but the text reads as Shift_JIS") {
				t.Errorf("no warning that the text reads as Shift_JIS: note %q", tab.note)
			}
		})
	}
}

// TestDBFLatin1FromCorpus loads GDAL's facility_surface_dd.dbf (code-page
// byte 0x57): 14 of its 159 names have a letter beyond ASCII.
func TestDBFLatin1FromCorpus(t *testing.T) {
	needShared(t)
	shp := sharedData + "gdal_autotest/shp/dbf_only_synth_shp/facility_surface_dd.shp"
	ds, warns, err := Load(Paths{LayerStores: shp}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range ds.Stores {
		names[s.Name] = true
	}
	for _, want := range []string{"FRØY", "KÅRSTØ", "ALBUSKJELL A"} {
		if !names[want] {
			t.Errorf("no store named %q", want)
		}
	}
	for n := range names {
		if strings.ContainsAny(n, "ｰﾘﾆﾓ\uFFFD") {
			t.Errorf("name %q is decoded as Shift_JIS", n)
		}
	}
	for _, w := range warns {
		if strings.Contains(w.Message, "Shift_JIS") || strings.Contains(w.Message, "code page") {
			t.Errorf("warning %q: the code page byte is there and says ISO-8859-1", w)
		}
	}
	for _, dir := range []string{"departs_cpg_1252", "departs_cpg_ISO-8859-1", "departs_cpg_LATIN1"} {
		raw, err := os.ReadFile(filepath.Join(sharedData, "gdal_autotest/derived_probes", dir, "departs.dbf"))
		if err != nil {
			t.Fatal(err)
		}
		cpg, err := os.ReadFile(filepath.Join(sharedData, "gdal_autotest/derived_probes", dir, "departs.cpg"))
		if err != nil {
			t.Fatal(err)
		}
		tab, err := readDBF(raw, string(cpg))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if tab.fields[1].name != "NOMDéPART" || tab.rows[0][1] != "Frédéric" {
			t.Errorf("%s: field %q = %q, want NOMDéPART = Frédéric", dir, tab.fields[1].name, tab.rows[0][1])
		}
	}
}

// TestDetectEncoding is the regression test of issue 21's third misread:
// Latin-1 GeoJSON ("Québec École") was decoded as Shift_JIS ("Qu饕ec
// ﾉcole") with a soft warning. Text that is not UTF-8 is now read as the
// encoding in which it is plausible text, with a note saying which and
// why, or refused.
func TestDetectEncoding(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string // "" for an error
		why  string // in the note
	}{
		{"Latin-1 GeoJSON", []byte(`{"name":"Qu` + "\xe9" + `bec ` + "\xc9" + `cole"}`), `{"name":"Québec École"}`, `read as Windows-1252: its accented letters sit inside words (e.g. "Québec École")`},
		{"Latin-1 names", encode(t, charmap.Windows1252.NewEncoder(), "Frédéric,Bàlicôt,Pallaïssou,l’École"), "Frédéric,Bàlicôt,Pallaïssou,l’École", "read as Windows-1252"},
		{"Shift_JIS", encode(t, japanese.ShiftJIS.NewEncoder(), "名称,熊本市中央区役所"), "名称,熊本市中央区役所", "read as Shift_JIS"},
		{"Shift_JIS kanji from the second level", encode(t, japanese.ShiftJIS.NewEncoder(), "滝,熊本"), "滝,熊本", "read as Shift_JIS: it reads as Japanese"},
		{"Shift_JIS half-width katakana", encode(t, japanese.ShiftJIS.NewEncoder(), "ｺﾝﾋﾞﾆ 1"), "ｺﾝﾋﾞﾆ 1", "read as Shift_JIS"},
		{"CP932 extension", []byte{0x87, 0x40}, "①", "read as Shift_JIS"},
		{"neither decodes", []byte{'a', 0x81, 0xFF}, "", "neither UTF-8 nor Shift_JIS nor Windows-1252"},
		{"binary", []byte("origin,dest\n\xff\xfe\x00\x01"), "", "neither UTF-8 nor Shift_JIS nor Windows-1252 text (control byte 0x00 at offset 14)"},
		{"both decode, neither plausible", []byte("a\x8a\x40 \x8a\x40b"), "", "neither Shift_JIS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dt, err := decodeText(c.in)
			if c.want == "" {
				if err == nil {
					t.Fatalf("decoded %q as %s, want an error", dt.text, dt.enc)
				}
				if !strings.Contains(err.Error(), c.why) || !strings.Contains(err.Error(), "save it as UTF-8") {
					t.Errorf("error %q, want %q and advice", err, c.why)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(dt.text) != c.want || !strings.Contains(dt.note, c.why) {
				t.Errorf("decoded %q with note %q; want %q and a note saying %q", dt.text, dt.note, c.want, c.why)
			}
		})
	}
	needShared(t)
	ds, warns, err := Load(Paths{LayerStores: sharedData + "gdal_autotest/derived_probes/latin1.geojson"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Stores[0].Name != "Québec École" {
		t.Errorf("name %q, want Québec École", ds.Stores[0].Name)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].String(), "latin1.geojson: the text is not UTF-8; read as Windows-1252") {
		t.Errorf("warnings %v, want one saying the file was read as Windows-1252", warns)
	}
}
