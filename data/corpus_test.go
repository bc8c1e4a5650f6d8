package data_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/gpkg"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// gdalCorpus holds GDAL's own reader test files (see SOURCES.md in
// ../shared/data), beside the repository.
const gdalCorpus = "../../shared/data/gdal_autotest"

// corpusGolden is the table of what the loader does with each file.
const corpusGolden = "../testdata/gdal_corpus/outcomes.golden"

// sidecarExts are the files that travel with a main file of the same base
// name (a Shapefile's .dbf, a CSV's .csvt); they are not given on their
// own when their main file is there.
var sidecarExts = map[string]bool{".shx": true, ".dbf": true, ".prj": true, ".qpj": true, ".cpg": true, ".sbn": true,
	".sbx": true, ".qix": true, ".idm": true, ".ind": true, ".csvt": true}

// corpusFiles lists every file of the corpus a user could give the loader:
// all but the sidecars of a Shapefile or CSV beside them.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(gdalCorpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if sidecarExts[ext] {
			base := strings.TrimSuffix(path, filepath.Ext(path))
			for _, main := range []string{".shp", ".SHP", ".csv"} {
				if _, err := os.Stat(base + main); err == nil {
					return nil
				}
			}
		}
		if strings.HasSuffix(path, ".gpkg.sql") {
			return nil // the dump a GeoPackage of gpkg/derived was rebuilt from
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// corpusFormat groups a file by its extension for the summary.
func corpusFormat(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return "geojson"
	case ".csv":
		return "csv"
	case ".shp":
		return "shp"
	case ".gpkg":
		return "gpkg"
	}
	return "other"
}

// corpusOutcome is what loading one file as a user would gave.
type corpusOutcome struct {
	file  string     // relative to the corpus
	layer data.Layer // the layer it was read as; "" when refused
	ds    *data.Dataset
	warns []data.Warning
	err   error // why it was refused
}

// corpusOptions are the options of the catchment command.
func corpusOptions() data.Options {
	return data.Options{Readers: []data.Reader{gpkg.Reader{}}}
}

// loadCorpusFile loads path as a user would: as a point layer (stores),
// else as a polygon layer with ids and names (districts), else as a polygon
// layer without fields (boundary). When none reads it, the refusal kept is
// the first that is not only about the geometry type the layer needs.
func loadCorpusFile(path string) corpusOutcome {
	out := corpusOutcome{file: strings.TrimPrefix(path, gdalCorpus+"/")}
	var errs []error
	for _, layer := range []data.Layer{data.LayerStores, data.LayerDistricts, data.LayerBoundary} {
		ds, warns, err := data.Load(data.Paths{layer: path}, corpusOptions())
		if err == nil {
			out.layer, out.ds, out.warns = layer, ds, warns
			return out
		}
		if layer != data.LayerDistricts {
			errs = append(errs, err)
		}
	}
	out.err = errs[0]
	for _, err := range errs {
		if !onlyTypeMismatch(err) {
			out.err = err
			break
		}
	}
	return out
}

// leaves splits an error joined with errors.Join into its parts.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// onlyTypeMismatch reports whether every problem of err is a geometry of a
// type the layer does not take.
func onlyTypeMismatch(err error) bool {
	for _, e := range leaves(err) {
		msg := e.Error()
		if !strings.Contains(msg, "; this layer needs") && !strings.Contains(msg, "more problems not shown") {
			return false
		}
	}
	return true
}

// describe writes one outcome for the golden table: paths relative to the
// corpus, the first problem of a refusal and how many more there are, and
// the distinct warnings.
func (o corpusOutcome) describe() string {
	var b strings.Builder
	rel := func(s string) string { return strings.ReplaceAll(s, gdalCorpus+"/", "") }
	fmt.Fprintf(&b, "== %s\n", o.file)
	if o.err != nil {
		parts := leaves(o.err)
		fmt.Fprintf(&b, "refused: %s\n", rel(parts[0].Error()))
		if len(parts) > 1 {
			fmt.Fprintf(&b, "  (and %d more problems)\n", len(parts)-1)
		}
	} else {
		n := len(o.ds.Stores) + len(o.ds.Districts)
		unit := "features"
		if o.layer == data.LayerBoundary {
			n, unit = len(o.ds.Boundary), "polygons"
		}
		fmt.Fprintf(&b, "read as %s: %d %s\n", o.layer, n, unit)
	}
	seen := map[string]bool{}
	for _, w := range o.warns {
		msg := rel(w.String())
		if !seen[msg] && len(seen) < 3 {
			fmt.Fprintf(&b, "  warning: %s\n", msg)
		}
		seen[msg] = true
	}
	if len(seen) > 3 {
		fmt.Fprintf(&b, "  (and %d more warnings)\n", len(seen)-3)
	}
	return b.String()
}

// TestGDALCorpus loads every file of GDAL's own test corpus as a user
// would and keeps the outcome of each (read as which layer, or refused with
// which message) in testdata/gdal_corpus/outcomes.golden, so that a change
// shows; then, for every file it reads, it checks with GDAL's ogrinfo that
// the features are the ones GDAL reads: their number, the first and last
// positions (converted to WGS84 by GDAL where the file has another CRS)
// and the names. The standard is to read what GDAL reads the same way, or
// to refuse with a clear message.
func TestGDALCorpus(t *testing.T) {
	if _, err := os.Stat(gdalCorpus); err != nil {
		t.Skipf("SKIPPING GDAL CORPUS TEST: %s is absent (%v); GDAL's test files are not checked", gdalCorpus, err)
	}
	files := corpusFiles(t)
	outcomes := make([]corpusOutcome, len(files))
	parallel(len(files), func(i int) { outcomes[i] = loadCorpusFile(files[i]) })

	// The golden table: a summary per format, then every file.
	type tally struct{ files, stores, districts, boundary, refused int }
	counts := map[string]*tally{}
	var body strings.Builder
	for _, o := range outcomes {
		f := corpusFormat(o.file)
		if counts[f] == nil {
			counts[f] = &tally{}
		}
		c := counts[f]
		c.files++
		switch o.layer {
		case data.LayerStores:
			c.stores++
		case data.LayerDistricts:
			c.districts++
		case data.LayerBoundary:
			c.boundary++
		default:
			c.refused++
		}
		d := o.describe()
		for _, leak := range []string{"Go struct", "Go value", "map[string]", "interface {}", "unmarshal"} {
			if strings.Contains(d, leak) {
				t.Errorf("%s: a message speaks Go (%q):\n%s", o.file, leak, d)
			}
		}
		body.WriteString(d)
	}
	var head strings.Builder
	head.WriteString("# What the loader does with each file of GDAL's test corpus (../shared/data/gdal_autotest),\n")
	head.WriteString("# loaded as stores (points), else districts, else boundary (polygons). Rewrite with\n")
	head.WriteString("# go test ./data -run TestGDALCorpus -update after checking the change.\n")
	fmt.Fprintf(&head, "# %-8s %6s %7s %10s %9s %8s\n", "format", "files", "stores", "districts", "boundary", "refused")
	var total tally
	for _, f := range []string{"geojson", "csv", "shp", "gpkg", "other"} {
		c := counts[f]
		if c == nil {
			c = &tally{}
		}
		fmt.Fprintf(&head, "# %-8s %6d %7d %10d %9d %8d\n", f, c.files, c.stores, c.districts, c.boundary, c.refused)
		total.files += c.files
		total.stores += c.stores
		total.districts += c.districts
		total.boundary += c.boundary
		total.refused += c.refused
	}
	fmt.Fprintf(&head, "# %-8s %6d %7d %10d %9d %8d\n", "all", total.files, total.stores, total.districts, total.boundary, total.refused)
	checkCorpusGolden(t, head.String()+body.String())

	t.Run("ogrinfo", func(t *testing.T) {
		ogrinfo := ogrtest.RequireOgrinfo(t)
		var read []corpusOutcome
		for _, o := range outcomes {
			if o.err == nil {
				read = append(read, o)
			}
		}
		infos := make([]gdalInfo, len(read))
		parallel(len(read), func(i int) { infos[i] = runOgrinfo(ogrinfo, filepath.Join(gdalCorpus, read[i].file)) })
		known := 0
		for i, o := range read {
			if _, ok := knownDifferences[o.file]; ok {
				known++
			}
			compareWithGDAL(t, o, infos[i])
		}
		t.Logf("compared the %d files the loader reads with ogrinfo; %d differ on purpose (knownDifferences)", len(read), known)
	})
}

// parallel calls fn(0) … fn(n-1) on as many goroutines as there are CPUs.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func checkCorpusGolden(t *testing.T, got string) {
	t.Helper()
	if data.Updating() {
		if err := os.MkdirAll(filepath.Dir(corpusGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(corpusGolden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(corpusGolden)
	if err != nil {
		t.Fatalf("%v (run go test ./data -run TestGDALCorpus -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("outcomes differ from %s (run with -update after checking them); diff:\n%s", corpusGolden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if g[l] == 0 {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if w[l] == 0 {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

// gdalInfo is what ogrinfo -al says about a file, and GDAL's conversion of
// its positions to WGS84 where it has another CRS.
type gdalInfo struct {
	out    string // ogrinfo's output
	err    error
	layers []gdalLayer
	// wgs84 holds, per layer, the features' geometries converted to WGS84
	// by ogr2ogr; nil when the layer needs none or GDAL could not convert.
	wgs84    map[string][]string
	wgs84Err map[string]string
}

// gdalLayer is one layer of ogrinfo -al output.
type gdalLayer struct {
	name     string
	srs      string // WKT; "" when ogrinfo says (unknown)
	fields   []string
	text     map[string]bool // the String fields
	features []gdalFeature
}

// gdalFeature is one feature of ogrinfo -al output.
type gdalFeature struct {
	values map[string]string
	wkt    string // "" when it has no geometry
}

var (
	ogrFieldDef  = regexp.MustCompile(`^(.+): (Integer64|Integer|Real|String|Date|Time|DateTime|Binary)(List)?(\([A-Za-z0-9]+\))? \([0-9.]+\)`)
	ogrFieldLine = regexp.MustCompile(`^  (.+?) \(([A-Za-z0-9]+(?:\([A-Za-z0-9]+\))?)\) = (.*)$`)
	ogrGeomLine  = regexp.MustCompile(`^  (?:[A-Za-z_0-9]+ = )?([A-Z]+(?: ZM| Z| M)?) ?(\(|EMPTY)`)
)

// parseOgrinfo reads the layers and features of ogrinfo -al output.
func parseOgrinfo(out string) []gdalLayer {
	var layers []gdalLayer
	var cur *gdalLayer
	var feat *gdalFeature
	inSRS, lastField := false, ""
	for _, line := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(line, "Layer name: "); ok {
			layers = append(layers, gdalLayer{name: name})
			cur, feat, inSRS = &layers[len(layers)-1], nil, false
			continue
		}
		if cur == nil {
			continue
		}
		if inSRS {
			if line == "(unknown)" {
				inSRS = false
				continue
			}
			if cur.srs == "" || strings.HasPrefix(line, " ") {
				cur.srs += line + "\n"
				continue
			}
			inSRS = false
		}
		switch {
		case line == "Layer SRS WKT:":
			inSRS = true
		case strings.HasPrefix(line, "OGRFeature("):
			cur.features = append(cur.features, gdalFeature{values: map[string]string{}})
			feat, lastField = &cur.features[len(cur.features)-1], ""
		case feat == nil:
			if m := ogrFieldDef.FindStringSubmatch(line); m != nil {
				cur.fields = append(cur.fields, m[1])
				if m[2] == "String" && m[3] == "" {
					if cur.text == nil {
						cur.text = map[string]bool{}
					}
					cur.text[m[1]] = true
				}
			}
		case ogrFieldLine.MatchString(line):
			m := ogrFieldLine.FindStringSubmatch(line)
			feat.values[m[1]], lastField = m[3], m[1]
		case ogrGeomLine.MatchString(line):
			if feat.wkt == "" {
				wkt := strings.TrimSpace(line)
				if i := strings.Index(wkt, " = "); i >= 0 && !strings.Contains(wkt[:i], "(") {
					wkt = wkt[i+3:]
				}
				feat.wkt = wkt
			}
			lastField = ""
		case line != "" && lastField != "" && !strings.HasPrefix(line, "  "):
			feat.values[lastField] += "\n" + line // a text value with a line break
		}
	}
	return layers
}

// ogrCacheDir keeps GDAL's answers per file content, so that reruns do not
// start ogrinfo four hundred times.
func ogrCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "catchment-test", "ogrinfo")
}

var gdalVersion = sync.OnceValue(func() string {
	out, _ := exec.Command("ogrinfo", "--version").Output()
	return strings.TrimSpace(string(out))
})

// cachedRun runs a GDAL program on path, or returns its output of an earlier
// run on the same content (of path and the files beside it of the same
// base name).
func cachedRun(path string, name string, args ...string) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, "v2", gdalVersion(), name, strings.Join(args, "\x00"))
	base := strings.TrimSuffix(path, filepath.Ext(path))
	sibs, _ := filepath.Glob(base + ".*")
	sort.Strings(sibs)
	for _, s := range sibs {
		if b, err := os.ReadFile(s); err == nil {
			fmt.Fprintln(h, filepath.Base(s), len(b))
			h.Write(b)
		}
	}
	key := hex.EncodeToString(h.Sum(nil))
	dir := ogrCacheDir()
	if dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, key)); err == nil {
			if out, ok := strings.CutPrefix(string(b), "ok\n"); ok {
				return out, nil
			}
			return strings.TrimPrefix(string(b), "failed\n"), errors.New("GDAL failed")
		}
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=1", "CPL_CURL_VERBOSE=NO", "GDAL_DISABLE_READDIR_ON_OPEN=NO")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out, status := stdout.String(), "ok\n"
	if err != nil {
		out, status = stderr.String()+stdout.String(), "failed\n"
	}
	if dir != "" {
		if os.MkdirAll(dir, 0o755) == nil {
			tmp := filepath.Join(dir, key+".tmp"+strconv.Itoa(os.Getpid()))
			if os.WriteFile(tmp, []byte(status+out), 0o644) == nil {
				_ = os.Rename(tmp, filepath.Join(dir, key))
			}
		}
	}
	if err != nil {
		return out, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

// runOgrinfo asks GDAL what path holds: its layers and features, and their
// geometries in WGS84 when a layer has another CRS.
func runOgrinfo(ogrinfo, path string) gdalInfo {
	var info gdalInfo
	// SHAPE_RESTORE_SHX reads a Shapefile without its .shx, as the loader
	// does. OGR_ORGANIZE_POLYGONS=DEFAULT assembles the rings of a
	// Shapefile polygon by where they lie, as the loader does; GDAL's fast
	// default can make a polygon whose hole lies outside its shell.
	// The X/Y_POSSIBLE_NAMES of a CSV are the loader's lon and lat columns.
	args := []string{"-ro", "-al", "--config", "SHAPE_RESTORE_SHX", "YES",
		"--config", "OGR_ORGANIZE_POLYGONS", "DEFAULT", "--config", "OGR_GEOJSON_MAX_OBJ_SIZE", "0"}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		args = append(args, "-oo", "X_POSSIBLE_NAMES=lon,lng,long,longitude,経度,x", "-oo", "Y_POSSIBLE_NAMES=lat,latitude,緯度,y")
	}
	info.out, info.err = cachedRun(path, ogrinfo, append(args, path)...)
	if info.err != nil {
		return info
	}
	info.layers = parseOgrinfo(info.out)
	info.wgs84, info.wgs84Err = map[string][]string{}, map[string]string{}
	for _, l := range info.layers {
		if l.srs == "" || isWGS84(l.srs) {
			continue
		}
		out, err := cachedRun(path, "ogr2ogr", "--config", "SHAPE_RESTORE_SHX", "YES", "--config", "OGR_ORGANIZE_POLYGONS", "DEFAULT", "-f", "CSV", "/vsistdout/", "-t_srs", "EPSG:4326", "-lco", "GEOMETRY=AS_WKT", path, l.name)
		if err != nil {
			info.wgs84Err[l.name] = firstLine(out)
			continue
		}
		cr := csv.NewReader(strings.NewReader(out))
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		if err != nil || len(rows) == 0 {
			info.wgs84Err[l.name] = fmt.Sprintf("unreadable ogr2ogr output: %v", err)
			continue
		}
		var wkts []string
		for _, r := range rows[1:] {
			wkts = append(wkts, r[0])
		}
		info.wgs84[l.name] = wkts
	}
	return info
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// isWGS84 reports whether a layer SRS is longitude/latitude on WGS 84 (or
// a datum that agrees with it to well under a metre, as the loader reads
// them): no conversion is needed.
func isWGS84(wkt string) bool {
	w := strings.TrimSpace(wkt)
	if !strings.HasPrefix(w, "GEOGCRS[") {
		return false
	}
	for _, code := range []string{`ID["EPSG",4326]]`, `ID["EPSG",4979]]`, `ID["EPSG",4612]]`, `ID["EPSG",6668]]`, `ID["OGC","CRS84"]]`} {
		if strings.HasSuffix(w, code) {
			return true
		}
	}
	return false
}

// wktEnds returns the first and last positions (x, y) of a WKT geometry.
func wktEnds(wkt string) (first, last orb.Point, ok bool) {
	i := strings.IndexByte(wkt, '(')
	if i < 0 {
		return first, last, false
	}
	var pts []orb.Point
	for _, tuple := range strings.FieldsFunc(wkt[i:], func(r rune) bool { return r == '(' || r == ')' || r == ',' }) {
		f := strings.Fields(tuple)
		if len(f) < 2 {
			continue
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		if err1 == nil && err2 == nil {
			pts = append(pts, orb.Point{x, y})
		}
	}
	if len(pts) == 0 {
		return first, last, false
	}
	return pts[0], pts[len(pts)-1], true
}

// polygonParts counts the polygons of a POLYGON or MULTIPOLYGON.
func polygonParts(wkt string) int {
	return strings.Count(strings.ReplaceAll(wkt, " ", ""), "((")
}

// knownDifferences are the files the loader reads, on purpose, otherwise
// than GDAL does, and why.
var knownDifferences = map[string]string{
	"csv/ogr_csv/single_column.csv": "GDAL does not take a file without a separator for CSV; it is a CSV of one WKT column, which the loader reads",
	"derived_probes/crs_link.geojson": "its crs member links to spatialreference.org's EPSG:4301 page, which GDAL fetches (offline it falls back to WGS 84 with an error); " +
		"the loader reads the code in the link without fetching it",
	"derived_probes/grs80_paris/gjpoint.shp": "GDAL (PROJ) cannot convert a CRS in grads from the Paris meridian to WGS 84; the loader reads 100 grads east of Paris as 92.33722917° east of Greenwich (TestPrimeMeridian)",
}

// compareWithGDAL checks that a file the loader read holds what GDAL reads.
func compareWithGDAL(t *testing.T, o corpusOutcome, info gdalInfo) {
	t.Helper()
	differs := false
	defer func() {
		if _, ok := knownDifferences[o.file]; ok && !differs {
			t.Errorf("%s: knownDifferences lists it, but it now reads as GDAL does; remove it from the list", o.file)
		}
	}()
	fail := func(format string, args ...any) {
		t.Helper()
		differs = true
		if why, ok := knownDifferences[o.file]; ok {
			t.Logf("%s: %s (known difference: %s)", o.file, fmt.Sprintf(format, args...), why)
			return
		}
		t.Errorf("%s: %s", o.file, fmt.Sprintf(format, args...))
	}
	if info.err != nil {
		fail("read as %s, but GDAL cannot open it: %s", o.layer, firstLine(info.out))
		return
	}
	var l *gdalLayer
	if len(info.layers) == 1 {
		l = &info.layers[0]
	}
	for i := range info.layers {
		if strings.EqualFold(info.layers[i].name, string(o.layer)) {
			l = &info.layers[i]
		}
	}
	if l == nil {
		fail("read as %s, but GDAL has %d layers and none is named so", o.layer, len(info.layers))
		return
	}

	// Our features: position lists and names.
	type ours struct {
		first, last orb.Point
		name        string
	}
	var got []ours
	switch o.layer {
	case data.LayerStores:
		for _, s := range o.ds.Stores {
			got = append(got, ours{s.Location, s.Location, s.Name})
		}
	case data.LayerDistricts:
		for _, d := range o.ds.Districts {
			lp := d.Geometry[len(d.Geometry)-1]
			lr := lp[len(lp)-1]
			got = append(got, ours{d.Geometry[0][0][0], lr[len(lr)-1], d.Name})
		}
	case data.LayerBoundary:
		for _, p := range o.ds.Boundary {
			lr := p[len(p)-1]
			got = append(got, ours{p[0][0], lr[len(lr)-1], ""})
		}
	}

	// GDAL's features, in WGS84.
	wkts := make([]string, len(l.features))
	for i, f := range l.features {
		wkts[i] = f.wkt
	}
	converted := false
	if w, ok := info.wgs84[l.name]; ok {
		wkts, converted = w, true
	} else if msg, failed := info.wgs84Err[l.name]; failed {
		fail("read as %s, but GDAL cannot convert its CRS to WGS84 (%s), so the positions cannot be compared", o.layer, msg)
		return
	}
	repaired := false
	for _, w := range o.warns {
		repaired = repaired || strings.Contains(w.Message, "was repaired")
	}
	want := len(l.features)
	if o.layer == data.LayerBoundary && !repaired {
		want = 0
		for _, w := range wkts {
			want += polygonParts(w)
		}
	}
	if len(got) != want && !(o.layer == data.LayerBoundary && repaired) {
		fail("%d %s features (polygons for boundary), GDAL reads %d", len(got), o.layer, want)
		return
	}
	if len(got) == 0 || len(wkts) == 0 {
		return
	}
	gf, _, ok1 := wktEnds(wkts[0])
	_, gl, ok2 := wktEnds(wkts[len(wkts)-1])
	if !ok1 || !ok2 {
		fail("GDAL's first or last geometry has no position: %.80q … %.80q", wkts[0], wkts[len(wkts)-1])
		return
	}
	same := func(a, b orb.Point) bool {
		if converted {
			// GDAL shifts some datums the loader takes as WGS 84 (NAD83,
			// GRS 80 based) by up to a metre or two: noise for catchments,
			// while a datum the loader gets wrong is hundreds of metres off.
			return geo.Distance(a, b) <= 2
		}
		return math.Abs(a[0]-b[0]) <= 1e-9*math.Max(1, math.Abs(b[0])) && math.Abs(a[1]-b[1]) <= 1e-9*math.Max(1, math.Abs(b[1]))
	}
	if !repaired && (!same(got[0].first, gf) || !same(got[len(got)-1].last, gl)) {
		fail("first/last positions %v … %v, GDAL reads %v … %v", got[0].first, got[len(got)-1].last, gf, gl)
	}

	// Names: the property the loader reads as name, as GDAL reads it.
	if o.layer == data.LayerBoundary {
		return
	}
	field := data.FieldFor(o.layer, corpusOptions(), "name", l.fields)
	names := make([]string, len(got))
	for i, g := range got {
		names[i] = g.name
	}
	if msg := compareNames(names, l, field, o.warns); msg != "" {
		fail("%s", msg)
	}

	// The text field with the most non-ASCII characters, read as the name
	// (as --field LAYER.name=FIELD reads it), to check its decoding.
	other, most := "", 0
	for _, f := range l.fields {
		n := 0
		for _, feat := range l.features {
			for _, r := range feat.values[f] {
				if r >= 0x80 {
					n++
				}
			}
		}
		if l.text[f] && f != field && n > most {
			other, most = f, n
		}
	}
	if other == "" {
		return
	}
	opt := corpusOptions()
	opt.Fields = map[data.Layer]map[string]string{o.layer: {"name": other}}
	ds, warns, err := data.Load(data.Paths{o.layer: filepath.Join(gdalCorpus, o.file)}, opt)
	if err != nil {
		fail("with --field %s.name=%s: %v", o.layer, other, err)
		return
	}
	names = names[:0]
	for _, s := range ds.Stores {
		names = append(names, s.Name)
	}
	for _, d := range ds.Districts {
		names = append(names, d.Name)
	}
	if msg := compareNames(names, l, other, warns); msg != "" {
		fail("with --field %s.name=%s: %s", o.layer, other, msg)
	}
}

// compareNames compares the names the loader read with the values of
// GDAL's field, feature by feature; it returns the first difference.
func compareNames(names []string, l *gdalLayer, field string, warns []data.Warning) string {
	if len(names) != len(l.features) {
		return fmt.Sprintf("%d names, GDAL reads %d features", len(names), len(l.features))
	}
	for i, name := range names {
		w := ""
		if field != "" {
			w = l.features[i].values[field]
		}
		if w == "(null)" {
			w = ""
		}
		if !sameText(name, w, warns) {
			return fmt.Sprintf("feature %d: name %q, GDAL reads %s=%q", i, name, field, w)
		}
	}
	return ""
}

// sameText compares a name the loader read with GDAL's: numbers by value;
// text that GDAL passes through undecoded (not UTF-8) in the encoding the
// loader's warnings say it chose.
func sameText(ours, gdal string, warns []data.Warning) bool {
	gdal = strings.TrimSpace(gdal)
	if ours == gdal {
		return true
	}
	a, err1 := strconv.ParseFloat(ours, 64)
	b, err2 := strconv.ParseFloat(gdal, 64)
	if err1 == nil && err2 == nil && a == b {
		return true
	}
	if utf8.ValidString(gdal) {
		return false
	}
	for _, w := range warns {
		var dec interface{ String(string) (string, error) }
		switch {
		case strings.Contains(w.Message, "read as Windows-1252"):
			dec = charmap.Windows1252.NewDecoder()
		case strings.Contains(w.Message, "read as Shift_JIS"):
			dec = japanese.ShiftJIS.NewDecoder()
		default:
			continue
		}
		s, err := dec.String(gdal)
		return err == nil && s == ours
	}
	return false
}
