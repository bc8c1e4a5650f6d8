package data

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"golang.org/x/text/width"
)

// Paths names the file of each layer; a missing layer is not loaded.
type Paths map[Layer]string

// Options tunes loading.
type Options struct {
	// Fields maps, per layer, our field name to the name used in the user's file
	// (from --field districts.name=A27_004).
	Fields map[Layer]map[string]string
	// CRS gives, per layer, the CRS of the file's coordinates as "EPSG:NNNN",
	// overriding what the file says (from --crs); the key "" applies to
	// every layer.
	CRS map[Layer]string
	// Tables names, per layer, the table to read from a source of several
	// tables, such as a GeoPackage (from --layer); the key "" applies to
	// every layer.
	Tables map[Layer]string
	// Preset names a set of field mappings for published datasets: "" for
	// none, or "ksj" for 国土数値情報 (see Presets).
	Preset string
	// Readers read the sources that package data does not read itself,
	// such as GeoPackages (gpkg.Reader in
	// github.com/kumamoto-gis/catchment/data/gpkg). Load, LoadFS and
	// LoadDir ask them in order before their own GeoJSON, CSV and
	// Shapefile readers; the first that accepts a source reads it.
	// LoadPopulation asks them too (FlatGeobuf, GeoPackage).
	Readers []Reader
	// MaxInputBytes bounds every input file read from disk
	// (0: DefaultMaxInputBytes); a larger file, or a stream that goes on
	// past it, is refused.
	MaxInputBytes int64
	// PointDistricts lets the districts layer hold Point features (WKT
	// POINT in CSV): demand points used as given, with District.Point set
	// and no geometry. Only analyses that need no district area (the
	// location models) should ask for it.
	PointDistricts bool
	// CellPoints makes LoadPopulation keep each cell's Point only, not its
	// Geometry (nil): what the analyses use, at a fraction of the memory
	// (about 50 MB less for the nation's 394,049 cells).
	CellPoints bool
	// Layers, when not empty, are the only layers LoadDir reads from its
	// folder: the files of other layers are not opened, so a command reads
	// what it uses and nothing more.
	Layers []Layer
}

// perLayer returns m[layer], or m[""] when the layer has no entry of its own.
func perLayer(m map[Layer]string, layer Layer) string {
	if v, ok := m[layer]; ok {
		return v
	}
	return m[""]
}

// Load reads the layers from disk, validates them one by one and across layers.
func Load(paths Paths, opt Options) (*Dataset, []Warning, error) {
	return load(opt.readFile, paths, opt)
}

// LoadFS is Load on a file system (used for the embedded default).
func LoadFS(fsys fs.FS, paths Paths, opt Options) (*Dataset, []Warning, error) {
	return load(func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }, paths, opt)
}

// layerExts are the file extensions LoadDir looks for, in order. It finds
// .gpkg files without a GeoPackage reader too, so that Load can say where
// the reader is.
var layerExts = []string{".geojson", ".json", ".csv", ".shp", ".gpkg"}

// gpkgAdvice says what to do with a GeoPackage when no reader accepts it.
const gpkgAdvice = "GeoPackage input needs the reader in github.com/kumamoto-gis/catchment/data/gpkg: add gpkg.Reader{} to Options.Readers (the catchment command has it)"

// geoparquetAdvice says what to do with a GeoParquet file when no reader
// accepts it.
const geoparquetAdvice = "GeoParquet input needs the reader in github.com/kumamoto-gis/catchment/data/geoparquet: add geoparquet.Reader{} to Options.Readers (the catchment command has it)"

// LoadDir loads offices.*, districts.*, stores.*, posts.*, boundary.*
// (.geojson, .json, .csv, .shp or .gpkg, or a file one of opt.Readers
// accepts) found in dir: only the layers in opt.Layers when it names any.
func LoadDir(dir string, opt Options) (*Dataset, []Warning, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load directory: %w", err)
	}
	paths := Paths{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if !slices.Contains(layerExts, ext) && opt.reader(filepath.Join(dir, name)) == nil {
			continue
		}
		layer := Layer(strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name))))
		if _, ok := layerFields[layer]; !ok || layer == LayerNetwork {
			continue // a road network is given with --network, not in the folder
		}
		if len(opt.Layers) > 0 && !slices.Contains(opt.Layers, layer) {
			continue
		}
		if prev, ok := paths[layer]; ok {
			return nil, nil, fmt.Errorf("load directory %s: both %s and %s hold layer %s; keep one", dir, filepath.Base(prev), name, layer)
		}
		paths[layer] = filepath.Join(dir, name)
	}
	if len(paths) == 0 {
		names := "offices, districts, stores, posts or boundary"
		if len(opt.Layers) > 0 {
			var ls []string
			for _, l := range opt.Layers {
				ls = append(ls, string(l))
			}
			names = strings.Join(ls, ", ")
		}
		return nil, nil, fmt.Errorf("load directory %s: no layer files found; name them %s with extension .geojson, .json, .csv, .shp or .gpkg", dir, names)
	}
	return Load(paths, opt)
}

// load reads every layer named in paths with readFile.
func load(readFile func(string) ([]byte, error), paths Paths, opt Options) (*Dataset, []Warning, error) {
	for layer := range opt.Fields {
		if _, ok := layerFields[layer]; !ok {
			return nil, nil, fmt.Errorf("field mapping for layer %q: unknown layer; layers are %s", layer, layerList())
		}
	}
	for layer := range paths {
		if _, ok := layerFields[layer]; !ok {
			return nil, nil, fmt.Errorf("unknown layer %q; layers are %s", layer, layerList())
		}
	}
	for _, m := range []map[Layer]string{opt.CRS, opt.Tables} {
		for layer := range m {
			if _, ok := layerFields[layer]; !ok && layer != "" {
				return nil, nil, fmt.Errorf("unknown layer %q; layers are %s", layer, layerList())
			}
		}
	}
	if opt.Preset != "" && opt.Preset != PresetKSJ {
		return nil, nil, fmt.Errorf("unknown preset %q; presets are %s", opt.Preset, PresetKSJ)
	}
	ds := &Dataset{Sources: map[Layer]string{}}
	var warnings []Warning
	for _, layer := range Layers {
		file, ok := paths[layer]
		if !ok {
			continue
		}
		w, err := loadLayer(readFile, ds, layer, file, opt)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, warnings, err
		}
		ds.Sources[layer] = opt.sourceName(file)
	}
	w, err := Validate(ds)
	warnings = append(warnings, w...)
	if err != nil {
		return nil, warnings, err
	}
	return ds, warnings, nil
}

// loadLayer reads one file into its layer of ds. Records are read whole
// first, because a GeoJSON file may name its CRS after its features, then
// converted to WGS84 longitude/latitude and checked.
func loadLayer(readFile func(string) ([]byte, error), ds *Dataset, layer Layer, file string, opt Options) ([]Warning, error) {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(file)))
	rd := opt.reader(file)
	if fi, err := os.Stat(file); err == nil && fi.IsDir() && rd == nil {
		return nil, fmt.Errorf("layer %s: %s is a folder, not a file: give the layer's file, or the folder with --data", layer, file)
	}
	switch {
	case rd != nil:
	case ext == ".geojson", ext == ".json", ext == ".csv", ext == ".shp":
	case ext == ".gpkg":
		return nil, fmt.Errorf("%s: layer %s: %s", file, layer, gpkgAdvice)
	case ext == ".parquet", ext == ".geoparquet":
		return nil, fmt.Errorf("%s: layer %s: %s", file, layer, geoparquetAdvice)
	case ext == ".shx", ext == ".dbf", ext == ".prj", ext == ".cpg":
		return nil, fmt.Errorf("%s: layer %s: give the Shapefile's .shp; its .shx, .dbf, .prj and .cpg are read from beside it", file, layer)
	default:
		return nil, fmt.Errorf("%s: layer %s: unsupported format %q; give GeoJSON (.geojson, .json), CSV (.csv), a Shapefile (.shp) or a GeoPackage (.gpkg), e.g. ogr2ogr -f GPKG %s.gpkg %s",
			file, layer, ext, layer, filepath.Base(file))
	}
	res, err := newResolver(layer, opt)
	if err != nil {
		return nil, err
	}
	preset := applyPreset(res, opt.Preset)
	var override *crsInfo
	if s := perLayer(opt.CRS, layer); s != "" {
		c, err := parseCRSOverride(s)
		if err != nil {
			return nil, fmt.Errorf("layer %s: --crs %w", layer, err)
		}
		override = &c
	}
	shown := opt.sourceName(file) // without a password
	b := &builder{layer: layer, ds: ds, p: &problems{file: shown}, ids: map[string]string{}, repeated: map[coordProblem]*repeat{}, shapes: map[*record]shape{},
		pointDistricts: opt.PointDistricts}
	fileErr := func(err error) error { return fmt.Errorf("%s: %w", shown, err) }
	var recs []*record
	collect := func(r *record) { recs = append(recs, r) }
	var (
		fileCRS  *crsInfo
		crsWhere = "crs" // where the file names its CRS, for messages
		encNote  string
		keys     = map[string]bool{}
	)
	switch {
	case rd != nil:
		raw, err := readWith(rd, readFile, file, layer, perLayer(opt.Tables, layer), res, keys, false, func(r *record, sh shape) {
			b.shapes[r] = sh
			collect(r)
		})
		if err != nil {
			return nil, err
		}
		fileCRS = raw.CRS.info()
		if raw.Table != "" {
			b.p.file = shown + " (table " + raw.Table + ")"
		}
		for _, w := range raw.Warnings {
			b.p.warnf("", "", "%s", w)
		}
	case ext == ".csv", ext == ".geojson", ext == ".json":
		raw, err := readFile(file)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", layer, err)
		}
		dt, err := decodeText(raw)
		if err != nil {
			return nil, fileErr(err)
		}
		text := dt.text
		encNote = dt.note
		if ext == ".csv" {
			b.csv = true
			onHeader := func(h csvHeader) {
				b.columns = h.names
				for _, c := range h.all {
					keys[c] = true
				}
				_, lat := h.cols[fieldLat]
				_, wkt := h.cols[fieldWKT]
				b.wktPoints = wkt && !lat
			}
			if _, err := readCSV(text, layer, res, onHeader, collect); err != nil {
				return nil, fileErr(err)
			}
		} else {
			hdr, err := readGeoJSON(text, res, keys, reuseNothing, collect, func() { recs = nil })
			if err != nil {
				return nil, fileErr(err)
			}
			fileCRS, crsWhere = hdr.crs, "member crs"
			for _, w := range hdr.notes {
				b.p.warnf("", "", "%s", w)
			}
		}
	case ext == ".shp":
		sh, err := readShapefile(readFile, file, res, keys, b.shapes, collect)
		if err != nil {
			return nil, fileErr(err)
		}
		fileCRS, crsWhere = sh.crs, "crs ("+path.Base(filepath.ToSlash(sh.prj))+")"
		for _, w := range sh.notes {
			b.p.warnf("", "", "%s", w)
		}
	}
	crs := fileCRS
	if override != nil {
		switch {
		case fileCRS != nil && (fileCRS.problem != "" || fileCRS.projected):
			b.p.warnf("", "crs", "the file's CRS (%s) is not one this loader converts; --crs %s is used instead", fileCRS.name, override.name)
		case fileCRS != nil && fileCRS.known && fileCRS.name != override.name:
			b.p.warnf("", "crs", "the file says its CRS is %s; --crs %s is used instead", fileCRS.name, override.name)
		}
		crs = override
	}
	if crs != nil {
		switch {
		case crs.problem != "":
			return nil, fileErr(fmt.Errorf("%s: %s", crsWhere, strings.ReplaceAll(crs.problem, "--crs LAYER=", "--crs "+string(layer)+"=")))
		case crs.projected:
			return nil, fileErr(fmt.Errorf("%s: %s", crsWhere, projectedAdvice(*crs)))
		case crs.approx != "":
			b.p.warnf("", "crs", "the coordinates are on %s: %s", crs.name, crs.approx)
		case crs.undefined:
			b.p.warnf("", "crs", "the file declares no CRS (%s); the coordinates are read as WGS84 longitude/latitude — give --crs %s=EPSG:NNNN if they are not", crs.name, layer)
		case !crs.known && !crs.converts():
			b.p.warnf("", "crs", "crs %q is not known; the coordinates are read as WGS84 longitude/latitude degrees", crs.name)
		}
		b.conv = crs.toLonLat
	}
	skipped := map[string]int{}
	kept := recs[:0]
	for _, r := range recs {
		if why := preset.fix(layer, r, res); why != "" {
			skipped[why]++
			continue
		}
		kept = append(kept, r)
	}
	if err := noIDs(layer, kept, keys, b.csv, res); err != nil {
		return b.p.warnings, fileErr(err)
	}
	for _, r := range kept {
		b.add(r)
	}
	for why, n := range skipped {
		b.p.warnf("", "", "preset %s: skipped %d features that are %s", opt.Preset, n, why)
	}
	for f := range res.mapped {
		if !b.seen[f] && !b.csv {
			b.p.errorf("", f, "the mapping %s.%s=%s names no property of the file; properties are %s", layer, f, res.names[f][0], propertyList(keys))
		}
	}
	if encNote != "" {
		b.p.warnf("", "", "%s", encNote)
	}
	b.finish()
	return b.p.warnings, b.p.err()
}

// noIDs says once that a layer whose records need ids has none at all,
// listing the file's columns, instead of one error per record.
func noIDs(layer Layer, recs []*record, keys map[string]bool, csv bool, res *resolver) error {
	if layer != LayerOffices && layer != LayerDistricts || len(recs) < 2 {
		return nil
	}
	for _, r := range recs {
		if toText(r.values[fieldID]) != "" || r.fid != nil {
			return nil
		}
	}
	what, where := "property", "properties"
	if csv {
		what, where = "column", "columns"
	}
	hint := ""
	if code := ksjLike(keys); code != "" {
		hint = fmt.Sprintf(", or, as %s is a 国土数値情報 (KSJ) code, read the file with --preset ksj", code)
	}
	return fmt.Errorf("field id: none of the %d records has an id: no %s named %s; the file's %s are %s — map one with --field %s.id=NAME%s",
		len(recs), what, strings.Join(res.names[fieldID], ", "), where, propertyList(keys), layer, hint)
}

func propertyList(keys map[string]bool) string {
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 20 {
		names = append(names[:20], "...")
	}
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// repeat remembers the first report of a coordinate problem that tends to
// affect a whole layer, so that later ones are counted, not repeated.
type repeat struct {
	err   *InputError
	count int
}

// builder turns the records of one file into one layer of a dataset.
type builder struct {
	layer    Layer
	ds       *Dataset
	p        *problems
	ids      map[string]string // id -> where it was first used
	count    int
	columns  map[string]string // CSV only: our field -> column name
	seen     map[string]bool   // fields present in at least one record
	repeated map[coordProblem]*repeat
	bad      bool // the current record has a problem
	csv      bool // the file is CSV
	// wktPoints is set for a CSV of points in a WKT column, not lat/lon.
	wktPoints bool
	// shapes holds the decoded geometry of Shapefile and GeoPackage records.
	shapes map[*record]shape
	// conv converts the file's coordinates to WGS84 lon/lat; nil when they are.
	conv func(orb.Point) orb.Point
	// pointDistricts accepts districts given as points (Options.PointDistricts).
	pointDistricts bool
}

// where names a record for messages: "feature 3 (id=K12)" or "line 7".
func (b *builder) where(r *record, id string) string {
	if r.csv {
		return fmt.Sprintf("line %d", r.index)
	}
	if id != "" {
		return fmt.Sprintf("feature %d (id=%s)", r.index, id)
	}
	return fmt.Sprintf("feature %d", r.index)
}

// fieldHelp says how to point a field at another column or property.
func (b *builder) fieldHelp(field string) string {
	return fmt.Sprintf("--field %s.%s=NAME", b.layer, field)
}

func (b *builder) add(r *record) {
	b.count++
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	for f := range r.values {
		b.seen[f] = true
	}
	b.bad = false
	id := b.id(r)
	at := b.where(r, id)
	bad := func() bool { return b.bad }
	switch b.layer {
	case LayerOffices:
		o := Office{ID: id, Name: b.text(r, fieldName), NameEn: b.text(r, fieldNameEn), Ward: b.text(r, fieldWard), Source: b.text(r, fieldSource)}
		if o.Name == "" {
			b.errorf(at, fieldName, "missing; every office needs a name — fill it in or map another column with %s", b.fieldHelp(fieldName))
		}
		kind := b.text(r, fieldKind)
		var ok bool
		if o.Kind, ok = parseKind(kind); !ok {
			if kind == "" {
				b.errorf(at, fieldKind, "missing; give ward (区役所) or branch (出張所)")
			} else {
				b.errorf(at, fieldKind, "unknown kind %q; give ward (区役所) or branch (出張所, 総合出張所, 支所)", kind)
			}
		}
		o.CounterCount = b.number(r, at, fieldCounterCount)
		o.PublishedKm = b.number(r, at, fieldPublishedKm)
		o.Location = b.point(r, at)
		if !bad() {
			b.ds.Offices = append(b.ds.Offices, o)
		}
	case LayerStores, LayerPosts:
		s := ServicePoint{ID: id, Name: b.text(r, fieldName), Location: b.point(r, at)}
		if !bad() {
			if b.layer == LayerStores {
				b.ds.Stores = append(b.ds.Stores, s)
			} else {
				b.ds.Posts = append(b.ds.Posts, s)
			}
		}
	case LayerDistricts:
		d := District{ID: id, Name: b.text(r, fieldName), NameEn: b.text(r, fieldNameEn)}
		if d.Name == "" {
			b.errorf(at, fieldName, "missing; every district needs a name — fill it in or map another property with %s", b.fieldHelp(fieldName))
		}
		d.Population = b.number(r, at, fieldPopulation)
		if d.Population != nil && *d.Population < 0 {
			b.errorf(at, fieldPopulation, "negative population %v; give a count ≥ 0 or leave it empty", *d.Population)
		}
		if b.pointDistricts && b.isPoint(r) {
			p := b.wktPoint(r, at)
			d.Point = &p
		} else {
			d.Geometry = b.polygons(r, at)
		}
		if !bad() {
			b.ds.Districts = append(b.ds.Districts, d)
		}
	case LayerBoundary:
		mp := b.polygons(r, at)
		if !bad() {
			b.ds.Boundary = append(b.ds.Boundary, mp...)
		}
	case LayerNetwork:
		l := b.link(r, at, id)
		if !bad() {
			b.ds.Network = append(b.ds.Network, l)
		}
	}
}

// finish reports problems of the layer as a whole.
func (b *builder) finish() {
	for _, rep := range b.repeated {
		if rep.count > 0 {
			unit := "feature"
			if b.csv {
				unit = "row"
			}
			if rep.count > 1 {
				unit += "s"
			}
			rep.err.Message += fmt.Sprintf(" (the same in %d more %s)", rep.count, unit)
		}
	}
	if b.count == 0 {
		b.errorf("", "", "layer %s is empty (no features or rows); add at least one or leave the layer out", b.layer)
	}
}

// id returns the record's id, checking that it is present (for offices and
// districts) and unique. Stores and posts without one get "<layer>-<n>".
func (b *builder) id(r *record) string {
	id := toText(r.values[fieldID])
	if id == "" && r.fid != nil {
		id = toText(r.fid) // the GeoJSON Feature "id" member
	}
	if b.layer == LayerBoundary || b.layer == LayerNetwork {
		return id // optional, and need not be unique
	}
	if id == "" {
		if b.layer == LayerStores || b.layer == LayerPosts {
			return fmt.Sprintf("%s-%d", b.layer, r.index)
		}
		b.errorf(b.where(r, ""), fieldID, "missing id; every %s needs a unique id — fill it in or map another column with %s", strings.TrimSuffix(string(b.layer), "s"), b.fieldHelp(fieldID))
		return ""
	}
	at := b.where(r, id)
	if first, dup := b.ids[id]; dup {
		b.errorf(at, fieldID, "duplicate id %q, also used by %s; ids must be unique within the layer", id, first)
	} else {
		b.ids[id] = at
	}
	return id
}

// text returns a field as trimmed text, "" when absent.
func (b *builder) text(r *record, field string) string {
	return toText(r.values[field])
}

// toText renders a property value as text; integral numbers lose their
// decimal point ("12", not "12.000000").
func toText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return formatNumber(string(v))
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		out, _ := json.Marshal(v)
		return string(out)
	}
}

func formatNumber(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// number parses an optional numeric field; empty means unknown (nil).
func (b *builder) number(r *record, at, field string) *float64 {
	v, ok := r.values[field]
	if !ok || v == nil {
		return nil
	}
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = v
	default:
		b.errorf(at, field, "%v is not a number; give a number or leave it empty", v)
		return nil
	}
	f, msg := parseNumber(s)
	if msg == "empty" {
		return nil
	}
	if msg != "" {
		b.errorf(at, field, "%q %s; give a number or leave it empty", s, msg)
		return nil
	}
	return &f
}

// parseNumber reads a decimal number, accepting full-width digits and
// thousands separators. msg is "empty", or a reason when s is not a number.
func parseNumber(s string) (float64, string) {
	t := s
	if !plainNumber(s) {
		t = width.Narrow.String(strings.TrimSpace(s))
		t = strings.ReplaceAll(t, ",", "")
	}
	if t == "" {
		return 0, "empty"
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, "is not a number"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, "is not a finite number (NaN or Inf)"
	}
	return f, ""
}

// plainNumber reports whether s is printable ASCII without spaces or
// commas, which parseNumber may parse as it is: trimming, narrowing
// full-width characters and dropping thousands separators leave it alone.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == ',' {
			return false
		}
	}
	return true
}

// parseKind maps the spellings of an office kind to ours.
func parseKind(s string) (OfficeKind, bool) {
	k := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "ward", "ward_office", "区役所":
		return Ward, true
	case "branch", "branch_office", "general_branch_office", "出張所", "総合出張所", "支所":
		return Branch, true
	}
	return "", false
}

// point reads a point layer's position from a GeoJSON geometry or from the
// lat/lon columns of a CSV row.
func (b *builder) point(r *record, at string) orb.Point {
	if !r.csv || b.wktPoints {
		var p orb.Point
		var msg string
		if sh, ok := b.shapes[r]; ok {
			p, msg = sh.point()
		} else if r.csv {
			p, msg = wktPoint(b.text(r, fieldWKT))
		} else {
			p, msg = pointGeometry(r.geom)
		}
		if msg == "" && b.conv != nil {
			p = convertPoint(b.conv, p)
		}
		if msg != "" {
			b.errorf(at, "geometry", "%s", msg)
		} else if msg := positionMessage(p, b.layer); msg != "" && !b.once(classify(p[0], p[1]), at, "geometry", msg) {
			b.errorf(at, "geometry", "%s", msg)
		}
		return p
	}
	var p orb.Point
	for i, f := range []string{fieldLon, fieldLat} {
		name := map[string]string{fieldLat: "latitude", fieldLon: "longitude"}[f]
		s := b.text(r, f)
		v, msg := parseNumber(s)
		switch msg {
		case "":
			p[i] = v
			continue
		case "empty":
			b.errorf(at, f, "missing %s; every row needs decimal-degree lat and lon", name)
		case "is not a number":
			b.errorf(at, f, "%s %q is not a number; give decimal degrees such as %s", name, s, map[string]string{fieldLat: "32.8031", fieldLon: "130.7078"}[f])
		default:
			b.errorf(at, f, "%s %q %s; give decimal degrees", name, s, msg)
		}
		return p
	}
	if b.conv != nil {
		p = convertPoint(b.conv, p)
	}
	lat, lon := b.columns[fieldLat], b.columns[fieldLon]
	switch c := classify(p[0], p[1]); c {
	case coordSwapped:
		b.once(c, at, "lat/lon", fmt.Sprintf("latitude %v is out of range; latitude and longitude look swapped — swap the columns or map them with --field %s.lat=%s --field %s.lon=%s", p[1], b.layer, lon, b.layer, lat))
	case coordProjected:
		b.once(c, at, "lat/lon", fmt.Sprintf("(%s=%v, %s=%v) are not degrees: they look like projected coordinates in metres (e.g. JGD2011 plane rectangular EPSG:6670) — give their CRS with --crs (e.g. --crs %s=EPSG:6670; %s is then the easting) or convert them to longitude/latitude, EPSG:4326 (e.g. with ogr2ogr -t_srs EPSG:4326)", lon, p[0], lat, p[1], b.layer, lon))
	case coordOutOfRange:
		if math.Abs(p[1]) > 90 {
			b.errorf(at, fieldLat, "latitude %v is out of range; it must be within ±90 degrees", p[1])
		} else {
			b.errorf(at, fieldLon, "longitude %v is out of range; it must be within ±180 degrees", p[0])
		}
	}
	return p
}

// once reports a coordinate problem that usually affects a whole layer only
// the first time; later occurrences are counted and still fail the record.
// It reports whether the problem was of that kind.
func (b *builder) once(c coordProblem, at, field, msg string) bool {
	if c != coordSwapped && c != coordProjected {
		return false
	}
	if rep, ok := b.repeated[c]; ok {
		rep.count++
		b.bad = true
		return true
	}
	n := len(b.p.errs)
	b.errorf(at, field, "%s", msg)
	rep := &repeat{err: &InputError{}}
	if len(b.p.errs) > n {
		rep.err = b.p.errs[n].(*InputError)
	}
	b.repeated[c] = rep
	return true
}

// errorf reports a problem of the current record, which is then dropped.
func (b *builder) errorf(at, field, format string, args ...any) {
	b.bad = true
	b.p.errorf(at, field, format, args...)
}

// isPoint reports whether a record's geometry is a Point (or a MultiPoint):
// a GeoJSON, Shapefile or GeoPackage point, or a WKT POINT in CSV.
func (b *builder) isPoint(r *record) bool {
	if sh, ok := b.shapes[r]; ok {
		switch sh.g.(type) {
		case orb.Point, orb.MultiPoint:
			return true
		}
		return false
	}
	if r.csv {
		w := strings.ToUpper(strings.TrimSpace(b.text(r, fieldWKT)))
		return strings.HasPrefix(w, "POINT") || strings.HasPrefix(w, "MULTIPOINT")
	}
	return r.geom != nil && (r.geom.Type == "Point" || r.geom.Type == "MultiPoint")
}

// wktPoint reads a point from a record's geometry: GeoJSON, a shape, or a
// WKT POINT in CSV, converted to lon/lat and checked like b.point's.
func (b *builder) wktPoint(r *record, at string) orb.Point {
	if !r.csv {
		return b.point(r, at)
	}
	g, err := geom.UnmarshalWKT(b.text(r, fieldWKT), geom.NoValidate{})
	if err != nil || g.IsEmpty() || g.Type() != geom.TypePoint {
		b.errorf(at, "geometry", "the WKT is not one POINT (x y)")
		return orb.Point{}
	}
	xy, _ := g.AsPoint()
	c, _ := xy.XY()
	p := orb.Point{c.X, c.Y}
	if b.conv != nil {
		p = convertPoint(b.conv, p)
	}
	if msg := positionMessage(p, b.layer); msg != "" && !b.once(classify(p[0], p[1]), at, "geometry", msg) {
		b.errorf(at, "geometry", "%s", msg)
	}
	return p
}

// polygons reads a polygon layer's geometry from GeoJSON or from a WKT
// column, checks its rings and validity, and repairs it when that is safe.
func (b *builder) polygons(r *record, at string) orb.MultiPolygon {
	var mp orb.MultiPolygon
	var multi bool
	var msg string
	if sh, ok := b.shapes[r]; ok {
		mp, multi, msg = sh.polygons()
	} else if r.csv {
		mp, multi, msg = wktPolygons(b.text(r, fieldWKT))
	} else {
		mp, multi, msg = polygonGeometry(r.geom)
	}
	if msg == "" && b.conv != nil {
		mp = convertPolygons(b.conv, mp)
	}
	if msg == "" {
		msg = checkRings(mp, multi, b.layer)
	}
	if msg != "" {
		b.errorf(at, "geometry", "%s", msg)
		return nil
	}
	fixed, note, problem := checkValidity(mp)
	if problem != "" {
		b.errorf(at, "geometry", "%s", problem)
		return nil
	}
	if note != "" {
		b.p.warnf(at, "geometry", "%s", note)
	}
	return fixed
}

// wktPoint reads a WKT POINT (or a MULTIPOINT of one point).
func wktPoint(s string) (orb.Point, string) {
	if s == "" {
		return orb.Point{}, "the geometry is empty (no WKT); give a POINT"
	}
	if c := wktCurve(s); c != "" {
		return orb.Point{}, curvesMessage(c)
	}
	g, err := geom.UnmarshalWKT(s, geom.NoValidate{})
	if err != nil {
		return orb.Point{}, "the WKT cannot be read: " + err.Error()
	}
	switch {
	case g.IsEmpty():
		return orb.Point{}, "the geometry is empty (" + g.Type().String() + " EMPTY); give a POINT"
	case g.IsPoint():
		xy, _ := g.MustAsPoint().XY()
		return orb.Point{xy.X, xy.Y}, ""
	case g.IsMultiPoint() && g.MustAsMultiPoint().NumPoints() == 1:
		xy, _ := g.MustAsMultiPoint().PointN(0).XY()
		return orb.Point{xy.X, xy.Y}, ""
	}
	return orb.Point{}, fmt.Sprintf("the geometry is a %s; this layer needs POINT geometries", g.Type())
}

// wktCurve returns the curve type a WKT geometry holds, or "".
func wktCurve(s string) string {
	up := strings.ToUpper(s[:min(len(s), 4096)])
	for _, c := range []string{"CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON", "MULTICURVE", "MULTISURFACE"} {
		if strings.Contains(up, c) {
			return c
		}
	}
	return ""
}

// wktPolygons reads a WKT POLYGON or MULTIPOLYGON without validating it.
func wktPolygons(s string) (orb.MultiPolygon, bool, string) {
	if s == "" {
		return nil, false, "the geometry is empty (no WKT); give a POLYGON or MULTIPOLYGON"
	}
	if c := wktCurve(s); c != "" {
		return nil, false, curvesMessage(c)
	}
	g, err := geom.UnmarshalWKT(s, geom.NoValidate{})
	if err != nil {
		return nil, false, "the WKT cannot be read: " + err.Error()
	}
	if g.IsEmpty() {
		return nil, false, "the geometry is empty (" + g.Type().String() + " EMPTY)"
	}
	mp, ok := fromGeom(g)
	if !ok {
		return nil, false, fmt.Sprintf("the geometry is a %s; this layer needs POLYGON or MULTIPOLYGON", g.Type())
	}
	return mp, g.IsMultiPolygon(), ""
}
