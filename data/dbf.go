package data

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
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
	encoding string // "UTF-8", "Shift_JIS" or "ASCII"
	// encodingFrom says how the encoding was chosen: ".cpg", "LDID" or "detected".
	encodingFrom string
}

// ldidShiftJIS are the dBASE language driver ids of Japanese Shift_JIS
// (code page 932) in the header byte 29.
var ldidShiftJIS = map[byte]bool{0x13: true, 0x7B: true}

// cpgEncoding reads the code page named in a .cpg file: "UTF-8", "Shift_JIS",
// or "" when unknown.
func cpgEncoding(cpg string) string {
	s := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(cpg, "\ufeff")))
	s = strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
	switch s {
	case "UTF8", "65001":
		return "UTF-8"
	case "SJIS", "SHIFTJIS", "CP932", "932", "MS932", "WINDOWS31J", "ANSI932", "SHIFTJIS2004":
		return "Shift_JIS"
	}
	return ""
}

// readDBF decodes a dBASE table. cpg is the content of the .cpg file, or "".
// Text is decoded as the .cpg says, else as the LDID byte says, else as
// UTF-8 when every text value is valid UTF-8, else as Shift_JIS.
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

	// Choose the text encoding.
	enc, from := cpgEncoding(cpg), ".cpg"
	if enc == "" && ldidShiftJIS[ldid] {
		enc, from = "Shift_JIS", "LDID"
	}
	if enc == "" {
		from = "detected"
		enc = "ASCII"
		names := make([][]byte, 0, len(t.fields))
		for _, f := range t.fields {
			names = append(names, []byte(f.name))
		}
		data := b[hdrLen:min(len(b), hdrLen+nrec*recLen)]
		for _, chunk := range append(names, data) {
			if !isASCII(chunk) {
				enc = "UTF-8"
				if !utf8.Valid(chunk) {
					enc = "Shift_JIS"
					break
				}
			}
		}
	}
	t.encoding, t.encodingFrom = enc, from
	decode := func(raw []byte) (string, error) {
		if enc != "Shift_JIS" || isASCII(raw) {
			if !utf8.Valid(raw) {
				return strings.ToValidUTF8(string(raw), "\uFFFD"), fmt.Errorf("is not valid UTF-8")
			}
			return string(raw), nil
		}
		out, err := japanese.ShiftJIS.NewDecoder().Bytes(raw)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return string(out), fmt.Errorf("is not valid Shift_JIS")
		}
		return string(out), nil
	}
	for i := range t.fields {
		name, err := decode([]byte(t.fields[i].name))
		if err != nil {
			return nil, fmt.Errorf("the .dbf field name %q %v (encoding %s, %s); add a .cpg file naming the code page (UTF-8 or CP932)", name, err, enc, from)
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
					return nil, fmt.Errorf("record %d: field %s: the text %s (encoding %s, %s); add a .cpg file naming the code page (UTF-8 or CP932)", r, f.name, err, enc, from)
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

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
