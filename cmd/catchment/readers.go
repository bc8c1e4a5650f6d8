package main

// Outputs for the people who read them: CSV in the encoding their
// spreadsheet reads, a workbook of the tables and the report as one HTML
// page.

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/htmldoc"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/xlsx"
)

// readerFlags are --csv-encoding and --sheet-names.
type readerFlags struct {
	csvEncoding string
	sheetNames  string
}

// addReaderFlags registers --csv-encoding and --sheet-names.
func addReaderFlags(fs *flag.FlagSet) *readerFlags {
	rf := &readerFlags{}
	fs.StringVar(&rf.csvEncoding, "csv-encoding", "", "CSV encoding: utf-8, utf-8-bom (Excel reads it as UTF-8) or shift_jis (refuses characters it has no code for); default utf-8-bom for files, utf-8 on standard output")
	fs.StringVar(&rf.sheetNames, "sheet-names", "ja", "workbook (.xlsx) sheet names: ja (Japanese) or en (English)")
	return rf
}

// check checks the flags' values, before any data is read.
func (rf *readerFlags) check() error {
	if _, err := rf.encoding(true); err != nil {
		return err
	}
	if rf.sheetNames != "ja" && rf.sheetNames != "en" {
		return fmt.Errorf("--sheet-names %q: want ja (Japanese) or en (English)", rf.sheetNames)
	}
	return nil
}

// english reports whether sheets take their English names.
func (rf *readerFlags) english() bool { return rf.sheetNames == "en" }

// encoding is --csv-encoding, or by default UTF-8 with a byte-order mark
// for a file (Excel then reads it as UTF-8) and plain UTF-8 for standard
// output (pipes).
func (rf *readerFlags) encoding(toFile bool) (vector.CSVEncoding, error) {
	if rf.csvEncoding == "" {
		if toFile {
			return vector.UTF8BOM, nil
		}
		return vector.UTF8, nil
	}
	enc, err := vector.ParseCSVEncoding(rf.csvEncoding)
	if err != nil {
		return "", fmt.Errorf("--csv-encoding: %w", err)
	}
	return enc, nil
}

// encodedCSV turns a writer of UTF-8 CSV into one that writes enc. A
// character Shift_JIS cannot encode is an error naming its row and column.
func encodedCSV(enc vector.CSVEncoding, write func(io.Writer) error) func(io.Writer) error {
	if enc == vector.UTF8 {
		return write
	}
	return func(w io.Writer) error {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return err
		}
		err := vector.EncodeCSV(w, b.Bytes(), enc)
		var ue *vector.UnencodableError
		if errors.As(err, &ue) {
			return fmt.Errorf("--csv-encoding %s: %w; use --csv-encoding utf-8-bom, which Excel reads too", enc, err)
		}
		return err
	}
}

// encodeCSVFiles makes the .csv files of a folder write in --csv-encoding
// (UTF-8 with a byte-order mark by default).
func (rf *readerFlags) encodeCSVFiles(files []outputFile) error {
	enc, err := rf.encoding(true)
	if err != nil {
		return err
	}
	for i, f := range files {
		if strings.HasSuffix(f.name, ".csv") && f.write != nil {
			files[i].write = encodedCSV(enc, f.write)
		}
	}
	return nil
}

// title is en with English sheet names, ja otherwise.
func (rf *readerFlags) title(en, ja string) string {
	if rf.english() {
		return en
	}
	return ja
}

// workbook writes tables as an .xlsx workbook, after an about sheet
// titled title that names the sources (synthetic layers flagged) and says
// what each sheet holds.
func (rf *readerFlags) workbook(title string, ds *data.Dataset, metric string, tables []render.NamedTable) func(io.Writer) error {
	english := rf.english()
	return func(w io.Writer) error {
		wb := xlsx.Workbook{Title: title, AboutName: "概要", Notes: render.WorkbookNotes(title, ds, metric, tables, english)}
		if english {
			wb.AboutName = "about"
		}
		for _, t := range tables {
			wb.Sheets = append(wb.Sheets, xlsx.Sheet{Name: t.SheetName(english), Table: t.Table})
		}
		return xlsx.Write(w, wb)
	}
}

// htmlPage writes the Markdown that markdown writes as one self-contained
// HTML page, with the pictures (PNG bytes by file name) embedded.
func htmlPage(markdown func(io.Writer) error, pictures map[string][]byte) func(io.Writer) error {
	return func(w io.Writer) error {
		var md bytes.Buffer
		if err := markdown(&md); err != nil {
			return err
		}
		return htmldoc.Write(w, md.Bytes(), htmldoc.Options{Images: pictures})
	}
}

// readerFiles are the files beside a Markdown report STEM.md for readers
// without a Markdown viewer or who want the numbers: STEM.html, the
// report as one page with its pictures, and STEM.xlsx, its tables.
func (rf *readerFlags) readerFiles(stem, title string, ds *data.Dataset, metric string, markdown func(io.Writer) error, pictures map[string][]byte, tables []render.NamedTable) []outputFile {
	return []outputFile{
		{name: stem + ".html", write: htmlPage(markdown, pictures)},
		{name: stem + ".xlsx", write: rf.workbook(title, ds, metric, tables)},
	}
}
