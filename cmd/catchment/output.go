package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/gpkg"
)

// outputFlags are --format and -o, and for CSV and workbooks the
// readerFlags.
type outputFlags struct {
	format  string
	out     string
	formats []string
	*readerFlags
	// dataset, once loaded, gives a workbook's about sheet its sources.
	dataset *data.Dataset
	command string
}

// addOutputFlags registers --format and -o. A command that writes GeoJSON
// also writes a GeoPackage (gpkg, needs -o) and CSV with a WKT geometry
// column (csvwkt); one that writes CSV also writes an Excel workbook (xlsx,
// needs -o) and takes --csv-encoding and --sheet-names.
func addOutputFlags(fs *flag.FlagSet, formats ...string) *outputFlags {
	if slices.Contains(formats, "geojson") {
		formats = append(slices.Clone(formats), "gpkg", "csvwkt")
	}
	if slices.Contains(formats, "csv") {
		formats = append(slices.Clone(formats), "xlsx")
	}
	of := &outputFlags{formats: formats, command: fs.Name()}
	if slices.Contains(formats, "csv") {
		of.readerFlags = addReaderFlags(fs)
	}
	fs.StringVar(&of.format, "format", "table", "output format: "+strings.Join(formats, "|"))
	fs.StringVar(&of.out, "o", "", "write to FILE instead of standard output (written whole or not at all); with geojson or gpkg a QGIS style FILE.qml is written beside it; gpkg and xlsx need it")
	return of
}

func (of *outputFlags) check() error {
	if !slices.Contains(of.formats, of.format) {
		return fmt.Errorf("--format %q: want one of %s", of.format, strings.Join(of.formats, ", "))
	}
	if of.format == "gpkg" && of.out == "" {
		return fmt.Errorf("--format gpkg writes a database file: give -o FILE.gpkg")
	}
	if of.format == "xlsx" && of.out == "" {
		return fmt.Errorf("--format xlsx writes a workbook: give -o FILE.xlsx")
	}
	if of.readerFlags != nil {
		return of.readerFlags.check()
	}
	return nil
}

// write sends the output to -o (atomically) or to stdout; CSV in
// --csv-encoding (by default UTF-8 with a byte-order mark in a file, plain
// UTF-8 on stdout).
func (of *outputFlags) write(e *env, fn func(w io.Writer) error) error {
	if (of.format == "csv" || of.format == "csvwkt") && of.readerFlags != nil {
		enc, err := of.encoding(of.out != "")
		if err != nil {
			return err
		}
		// Encoded before the file is opened: an unencodable character
		// writes nothing.
		var b bytes.Buffer
		if err := encodedCSV(enc, fn)(&b); err != nil {
			return err
		}
		fn = func(w io.Writer) error {
			_, err := w.Write(b.Bytes())
			return err
		}
	}
	if of.out == "" {
		return fn(e.stdout)
	}
	if err := atomicfile.WriteFile(of.out, fn); err != nil {
		return fmt.Errorf("write %s: %w", of.out, err)
	}
	return nil
}

// emit writes a table, or the features as GeoJSON, GeoPackage or CSV with
// WKT. GeoJSON and GeoPackage files get a QGIS style beside them when the
// layer has one.
func (of *outputFlags) emit(e *env, t vector.Table, layer string, features func() []vector.Feature) error {
	switch of.format {
	case "gpkg":
		fs := features()
		style, err := layerQML(layer, fs, of.dataset)
		if err != nil {
			return err
		}
		if err := gpkg.Write(of.out, []gpkg.Layer{{Name: layer, Features: fs, Style: style}}); err != nil {
			return err
		}
		return of.writeQML(layer, fs)
	case "geojson":
		fs := features()
		if err := of.write(e, func(w io.Writer) error { return vector.WriteGeoJSON(w, layer, fs) }); err != nil {
			return err
		}
		return of.writeQML(layer, fs)
	case "csvwkt":
		return of.write(e, func(w io.Writer) error { return vector.WriteCSVWKT(w, features()) })
	case "xlsx":
		return of.writeWorkbook(e, render.Named(sheetOf(layer), t))
	}
	return of.write(e, func(w io.Writer) error { return vector.WriteTable(w, of.format, t) })
}

// layerQML is the QGIS style document of a report layer, or "" when the
// layer has none.
func layerQML(layer string, fs []vector.Feature, ds *data.Dataset) (string, error) {
	var fills map[string]color.RGBA
	if ds != nil {
		fills = render.OfficeFills(ds.Offices)
	}
	style, ok := render.LayerStyleFor(layer, fs, fills)
	if !ok {
		return "", nil
	}
	return style.QML()
}

// writeQML writes FILE.qml beside -o FILE, which QGIS loads with the layer.
func (of *outputFlags) writeQML(layer string, fs []vector.Feature) error {
	if of.out == "" {
		return nil
	}
	style, err := layerQML(layer, fs, of.dataset)
	if err != nil || style == "" {
		return err
	}
	path := strings.TrimSuffix(of.out, filepath.Ext(of.out)) + ".qml"
	if err := atomicfile.WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, style); return err }); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// sheetOf is the name of the table a command's layer holds.
func sheetOf(layer string) string {
	if layer == "assign" {
		return "assignment"
	}
	return layer
}

// writeWorkbook writes tables as the -o workbook, after an about sheet
// naming the command and the data's sources.
func (of *outputFlags) writeWorkbook(e *env, tables ...render.NamedTable) error {
	return of.write(e, of.workbook(of.title("catchment ", "catchment の出力: catchment ")+of.command, of.dataset, "", tables))
}
