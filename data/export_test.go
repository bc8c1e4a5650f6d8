package data

// Internals that the external tests of package data (package data_test)
// reach; those tests share their helpers with the readers' tests through
// data/internal/datatest, which package data's own tests cannot import.

// DBFEncoding reads a .dbf (with the text of its .cpg, "" for none) and
// returns its text encoding and where that came from: "cpg", "LDID" or
// "detected".
func DBFEncoding(raw []byte, cpg string) (encoding, from string, err error) {
	tab, err := readDBF(raw, cpg)
	if err != nil {
		return "", "", err
	}
	return tab.encoding, tab.encodingFrom, nil
}

// CRSName identifies a CRS definition (a .prj or GeoPackage WKT) and
// returns the name messages give it.
func CRSName(def string) string { return crsFromWKT(def).name }

// FieldFor returns which of names (the properties or columns of a file)
// the loader reads as field of layer, with the mappings of opt; "" when
// none.
func FieldFor(layer Layer, opt Options, field string, names []string) string {
	res, err := newResolver(layer, opt)
	if err != nil {
		return ""
	}
	best, rank := "", -1
	for _, n := range names {
		for _, m := range res.lookup(n) {
			if m.field == field && (rank < 0 || m.rank < rank) {
				best, rank = n, m.rank
			}
		}
	}
	return best
}

// Updating reports whether the tests run with -update (rewrite golden files).
func Updating() bool { return *update }

// DecodeGeoJSON reads a FeatureCollection as the loaders read layer, with
// the fast decoder (falling back to encoding/json where it gives up) or
// with encoding/json alone, and returns how many features it gave.
func DecodeGeoJSON(text []byte, layer Layer, fast bool) (int, error) {
	res, err := newResolver(layer, Options{})
	if err != nil {
		return 0, err
	}
	n := 0
	count := func(*record) { n++ }
	if fast {
		_, err = readGeoJSON(text, res, map[string]bool{}, reuseAll, count, func() { n = 0 })
	} else {
		_, err = readGeoJSONStd(text, res, map[string]bool{}, count)
	}
	return n, err
}
