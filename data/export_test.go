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
