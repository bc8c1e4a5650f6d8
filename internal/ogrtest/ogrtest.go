// Package ogrtest lets tests check written files with GDAL's ogrinfo, the
// reader QGIS uses, so that "QGIS opens it" is tested, not assumed.
package ogrtest

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// RequireOgrinfo returns the path of the ogrinfo program. When it is not
// installed the test fails if the CI environment variable is set (CI must
// install gdal-bin) and is skipped loudly otherwise.
func RequireOgrinfo(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("ogrinfo")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatal("ogrinfo missing in CI: .ci/run must apt-get install gdal-bin")
		return ""
	}
	t.Skipf("SKIPPING GDAL CHECK in package %s: ogrinfo not found (apt-get install gdal-bin); GeoJSON output is NOT verified against GDAL/QGIS", callerPackage())
	return ""
}

// callerPackage is the import path of the package whose test called
// RequireOgrinfo or Info, for the skip message.
func callerPackage() string {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	const self = "github.com/kumamoto-gis/catchment/internal/ogrtest."
	for {
		f, more := frames.Next()
		switch f.Function {
		case self + "RequireOgrinfo", self + "RequireOgr2ogr", self + "Convert", self + "Info", "":
		default:
			// "example.com/a/b.TestX.func1" -> "example.com/a/b".
			name := f.Function
			slash := strings.LastIndex(name, "/")
			if dot := strings.Index(name[slash+1:], "."); dot >= 0 {
				return name[:slash+1+dot]
			}
			return name
		}
		if !more {
			return "(unknown)"
		}
	}
}

// Info runs `ogrinfo -al -so path` and returns its output (a summary of
// every layer: name, geometry type, feature count, fields). The test fails
// if ogrinfo cannot open the file.
func Info(t testing.TB, path string) string {
	t.Helper()
	ogrinfo := RequireOgrinfo(t)
	cmd := exec.Command(ogrinfo, "-al", "-so", path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -al -so %s: %v\n%s", path, err, out)
	}
	return string(out)
}

// Layer is one layer of an ogrinfo -al -so summary.
type Layer struct {
	Name         string
	Geometry     string // e.g. "Point", "Polygon", "Multi Polygon", "Unknown (any)"
	FeatureCount int
	// Fields maps each field name to its type as ogrinfo prints it, e.g.
	// "String", "Real", "Integer", "Integer64", "Integer(Boolean)".
	Fields map[string]string
	// FieldOrder lists the field names in the order of the layer.
	FieldOrder []string
}

// fieldLine matches a field line such as "distance_m: Real (0.0)" or
// "gap: Integer(Boolean) (1.0)".
var fieldLine = regexp.MustCompile(`^(.+): ((?:Integer64|Integer|Real|String|Date|Time|DateTime|Binary)(?:List)?(?:\([A-Za-z0-9]+\))?) \([0-9.]+\)$`)

// Layers parses the output of Info into its layers.
func Layers(info string) []Layer {
	var layers []Layer
	var cur *Layer
	for _, line := range strings.Split(info, "\n") {
		line = strings.TrimRight(line, "\r")
		if name, ok := strings.CutPrefix(line, "Layer name: "); ok {
			layers = append(layers, Layer{Name: name, Fields: map[string]string{}})
			cur = &layers[len(layers)-1]
			continue
		}
		if cur == nil {
			continue
		}
		if g, ok := strings.CutPrefix(line, "Geometry: "); ok {
			cur.Geometry = g
		} else if c, ok := strings.CutPrefix(line, "Feature Count: "); ok {
			cur.FeatureCount, _ = strconv.Atoi(c)
		} else if m := fieldLine.FindStringSubmatch(line); m != nil {
			cur.Fields[m[1]] = m[2]
			cur.FieldOrder = append(cur.FieldOrder, m[1])
		}
	}
	return layers
}

// RequireOgr2ogr returns the path of the ogr2ogr program, which tests use to
// make fixtures in other formats and CRSs. Like RequireOgrinfo, it fails the
// test in CI when the program is missing and skips it loudly otherwise.
func RequireOgr2ogr(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("ogr2ogr")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatal("ogr2ogr missing in CI: .ci/run must apt-get install gdal-bin")
		return ""
	}
	t.Skipf("SKIPPING FORMAT CONVERSION TEST in package %s: ogr2ogr not found (apt-get install gdal-bin); Shapefile/GeoPackage/CRS fixtures are NOT made", callerPackage())
	return ""
}

// Convert runs ogr2ogr with args (e.g. "-f", "GPKG", "-t_srs", "EPSG:6670",
// out, in) and fails the test when it fails.
func Convert(t testing.TB, args ...string) {
	t.Helper()
	ogr2ogr := RequireOgr2ogr(t)
	out, err := exec.Command(ogr2ogr, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// SQL runs an SQLite-dialect query (SpatiaLite functions such as
// ST_IsValid, ST_Union, ST_Area are available) on the file at path with
// ogrinfo and returns its rows, each mapping a column name to the value as
// ogrinfo prints it (a missing key is NULL). The test fails if ogrinfo
// fails; its warnings on standard error are ignored.
func SQL(t testing.TB, path, query string) []map[string]string {
	t.Helper()
	ogrinfo := RequireOgrinfo(t)
	cmd := exec.Command(ogrinfo, "-ro", "-q", "-dialect", "sqlite", "-sql", query, path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ogrinfo -sql %q %s: %v\n%s", query, path, err, stderr.String())
	}
	return sqlRows(string(out))
}

// sqlValue matches a value line of a feature, "  name (Type) = value".
var sqlValue = regexp.MustCompile(`^  ([^ ]+) \([A-Za-z0-9()]+\) = (.*)$`)

// sqlRows parses the features ogrinfo prints for a query.
func sqlRows(out string) []map[string]string {
	var rows []map[string]string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "OGRFeature(") {
			rows = append(rows, map[string]string{})
			continue
		}
		if m := sqlValue.FindStringSubmatch(line); m != nil && len(rows) > 0 && m[2] != "(null)" {
			rows[len(rows)-1][m[1]] = m[2]
		}
	}
	return rows
}
