package data

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// dbfField is one column of a dBASE table.
type dbfField struct {
	name   string
	typ    byte // C text, N/F number, L logical, D date; others are read as text
	offset int  // within the record, after the deletion flag
	length int
}

// dbfTable is a decoded dBASE III/IV table (the attributes of a Shapefile).
type dbfTable struct {
	fields   []dbfField
	rows     [][]any // per record, per field: string, json.Number, bool or nil
	deleted  []bool
	encoding string // e.g. "UTF-8", "Shift_JIS", "ISO-8859-1", "Windows-1252"
	// encodingFrom says how the encoding was chosen: ".cpg", "LDID" or "detected".
	encodingFrom string
	// note explains the encoding for a warning; "" when nothing is doubtful.
	note string
}

// readDBF decodes a dBASE table. cpg is the content of the .cpg file, or ""
// when there is none. Text is decoded as GDAL decodes it: as the .cpg
// says, else as the language driver byte says; without either, as UTF-8
// when every text is valid UTF-8, else as Shift_JIS or Windows-1252,
// whichever reads as plausible text (detectEncoding).
func readDBF(b []byte, cpg string) (*dbfTable, error) {
	if len(b) < 32 {
		return nil, fmt.Errorf("the .dbf is %d bytes, shorter than a dBASE header (32 bytes)", len(b))
	}
	nrec := int(binary.LittleEndian.Uint32(b[4:8]))
	hdrLen := int(binary.LittleEndian.Uint16(b[8:10]))
	recLen := int(binary.LittleEndian.Uint16(b[10:12]))
	ldid := b[29]
	if hdrLen < 33 || hdrLen > len(b) {
		return nil, fmt.Errorf("the .dbf header length %d does not fit the file (%d bytes); the file is damaged", hdrLen, len(b))
	}
	if recLen < 1 {
		return nil, fmt.Errorf("the .dbf record length is %d; the file is damaged", recLen)
	}
	t := &dbfTable{}
	off := 1
	for p := 32; p+32 <= hdrLen && b[p] != 0x0D; p += 32 {
		d := b[p : p+32]
		raw := d[:11]
		if i := bytes.IndexByte(raw, 0); i >= 0 {
			raw = raw[:i]
		}
		f := dbfField{name: string(raw), typ: d[11], offset: off, length: int(d[16])}
		if f.typ == 'C' {
			f.length += int(d[17]) << 8 // long text fields use the decimal byte as the high byte
		}
		off += f.length
		t.fields = append(t.fields, f)
	}
	if off > recLen {
		return nil, fmt.Errorf("the .dbf fields take %d bytes but a record has %d; the file is damaged", off, recLen)
	}
	if avail := (len(b) - hdrLen) / recLen; nrec > avail {
		// Some writers leave the count wrong; read the records that are there.
		nrec = avail
	}
	data := b[hdrLen:min(len(b), hdrLen+nrec*recLen)]
	e, err := t.chooseEncoding(cpg, ldid, data)
	if err != nil {
		return nil, err
	}
	enc, from := e.name, map[string]string{".cpg": "as the .cpg says", "LDID": "as the language driver byte says"}[t.encodingFrom]
	if from == "" {
		from = "detected"
	}
	decode := e.decode
	for i := range t.fields {
		name, err := decode([]byte(t.fields[i].name))
		if err != nil {
			return nil, fmt.Errorf("the .dbf field name %q %v (read as %s, %s); %s", clip(name, 20), err, enc, from, dbfAdvice)
		}
		t.fields[i].name = strings.TrimSpace(name)
	}

	t.rows = make([][]any, nrec)
	t.deleted = make([]bool, nrec)
	for r := 0; r < nrec; r++ {
		rec := b[hdrLen+r*recLen : hdrLen+(r+1)*recLen]
		t.deleted[r] = rec[0] == '*'
		row := make([]any, len(t.fields))
		for j, f := range t.fields {
			raw := bytes.TrimRight(rec[f.offset:f.offset+f.length], " \x00")
			switch f.typ {
			case 'N', 'F':
				s := strings.TrimSpace(string(raw))
				if s == "" || strings.Trim(s, "*") == "" {
					row[j] = nil
				} else if _, err := strconv.ParseFloat(s, 64); err == nil {
					row[j] = json.Number(s)
				} else {
					row[j] = s
				}
			case 'L':
				switch strings.ToUpper(strings.TrimSpace(string(raw))) {
				case "T", "Y":
					row[j] = true
				case "F", "N":
					row[j] = false
				default:
					row[j] = nil
				}
			case 'D':
				s := strings.TrimSpace(string(raw))
				if len(s) == 8 {
					s = s[:4] + "-" + s[4:6] + "-" + s[6:]
				}
				if s == "" {
					row[j] = nil
				} else {
					row[j] = s
				}
			default:
				s, err := decode(bytes.TrimLeft(raw, " "))
				if err != nil {
					return nil, fmt.Errorf("record %d: field %s: the text %q %s (read as %s, %s); %s", r, f.name, clip(s, 20), err, enc, from, dbfAdvice)
				}
				if s == "" {
					row[j] = nil
				} else {
					row[j] = s
				}
			}
		}
		t.rows[r] = row
	}
	return t, nil
}

// dbfAdvice says how to tell the loader a .dbf's code page.
const dbfAdvice = "put the code page in a .cpg file beside the .dbf (UTF-8, CP932 or 1252), or convert the Shapefile with ogr2ogr -lco ENCODING=UTF-8"

// chooseEncoding sets the encoding of the table's text, where it came from
// and, when it is doubtful, a note; data holds the records.
func (t *dbfTable) chooseEncoding(cpg string, ldid byte, data []byte) (textEncoding, error) {
	if strings.TrimSpace(strings.TrimPrefix(cpg, "\ufeff")) != "" {
		e, err := cpgEncoding(cpg)
		if err != nil {
			return e, fmt.Errorf("%v; %s", err, dbfAdvice)
		}
		t.encoding, t.encodingFrom = e.name, ".cpg"
		return e, nil
	}
	// The text to decode: field names and text values.
	var text []byte
	for _, f := range t.fields {
		text = append(append(text, f.name...), '\n')
	}
	text = append(text, data...)
	e, ok, err := ldidEncoding(ldid)
	if err != nil {
		return e, fmt.Errorf("%v; %s", err, dbfAdvice)
	}
	if ok {
		t.encoding, t.encodingFrom = e.name, "LDID"
		switch {
		case e.enc == nil || isASCII(text):
		case utf8.Valid(text):
			t.note = fmt.Sprintf("the .dbf's language driver byte 0x%02X says %s, as which it was read (as GDAL reads it), but the text is also valid UTF-8 — if names look garbled, add a .cpg holding UTF-8", ldid, e.name)
		case e.name != encShiftJIS:
			if d, why, err := detectEncoding(text); err == nil && d.name == encShiftJIS {
				t.note = fmt.Sprintf("the .dbf's language driver byte 0x%02X says %s, as which it was read (as GDAL reads it), but the text reads as Shift_JIS: %s — if names look garbled, add a .cpg holding CP932", ldid, e.name, why)
			}
		}
		return e, nil
	}
	t.encodingFrom = "detected"
	if utf8.Valid(text) {
		t.encoding = "ASCII"
		if !isASCII(text) {
			t.encoding = encUTF8
		}
		return utf8Text, nil
	}
	e, why, err := detectEncoding(text)
	if err != nil {
		return e, fmt.Errorf("the .dbf names no code page (no .cpg, no language driver byte) and its text %v", err)
	}
	t.encoding = e.name
	t.note = fmt.Sprintf("the .dbf names no code page (no .cpg, no language driver byte) and its text is not UTF-8; read as %s: %s — add a .cpg naming the code page to be sure", e.name, why)
	return e, nil
}
