package data

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
)

// gdalTokyo is where GDAL (PROJ's "Tokyo to WGS 84 (108)", the same
// 3-parameter shift) puts the Tokyo-datum point (130.7078, 32.8031).
var gdalTokyo = orb.Point{130.705452109286, 32.8064577533935}

// TestGeoJSONCRSForms is the regression test of issue 21's first misread:
// a legacy crs member of type "EPSG" ({"code": 4301}) or "OGC" was
// ignored, so Tokyo-datum coordinates were read 430 m off. Every form GDAL
// reads is honoured; one that cannot be resolved is refused, saying why.
func TestGeoJSONCRSForms(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, crs string
		err       string // "" when it loads
	}{
		{"name URN", `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4301"}}`, ""},
		{"name EPSG:", `{"type":"name","properties":{"name":"EPSG:4301"}}`, ""},
		{"name URL", `{"type":"name","properties":{"name":"http://www.opengis.net/def/crs/EPSG/0/4301"}}`, ""},
		{"name URN with version", `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG:6.3:4301"}}`, ""},
		{"name WKT", `{"type":"name","properties":{"name":"GEOGCS[\"Tokyo\",DATUM[\"D_Tokyo\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]]"}}`, ""},
		{"EPSG code", `{"type":"EPSG","properties":{"code":4301}}`, ""},
		{"EPSG code as text", `{"type":"EPSG","properties":{"code":"4301"}}`, ""},
		{"OGC URN", `{"type":"OGC","properties":{"urn":"urn:ogc:def:crs:EPSG::4301"}}`, ""},
		{"link href", `{"type":"link","properties":{"href":"http://spatialreference.org/ref/epsg/4301/proj4/","type":"proj4"}}`, ""},
		{"link to opengis.net", `{"type":"link","properties":{"href":"https://www.opengis.net/def/crs/EPSG/0/4301"}}`, ""},
		{"url", `{"type":"url","properties":{"url":"https://epsg.io/4301"}}`, ""},
		{"link elsewhere", `{"type":"link","properties":{"href":"http://example.com/tokyo.prj","type":"esriwkt"}}`, `member crs: it links to "http://example.com/tokyo.prj", which the loader does not fetch`},
		{"unknown type", `{"type":"ESRI","properties":{"code":4301}}`, `member crs: its type "ESRI" is not one of name, EPSG, OGC or link`},
		{"unknown code", `{"type":"EPSG","properties":{"code":2154}}`, "member crs: EPSG:2154 is not a CRS this loader converts"},
		{"unknown name", `{"type":"name","properties":{"name":"Tokyo-ish"}}`, `member crs: the CRS "Tokyo-ish" is not one this loader can resolve`},
		{"string", `"EPSG:4301"`, "member crs: it holds a string, not an object"},
		{"properties a number", `{"type":"name","properties":1}`, `member crs: its "properties" is a number, not an object`},
		{"name a number", `{"type":"name","properties":{"name":1}}`, "member crs: its properties.name is a number, not the name of a CRS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, after := range []bool{false, true} {
				feats := `"features":[{"type":"Feature","properties":{"id":"p1","name":"kumamoto"},"geometry":{"type":"Point","coordinates":[130.7078,32.8031]}}]`
				doc := `{"type":"FeatureCollection","crs":` + c.crs + `,` + feats + `}`
				if after {
					doc = `{"type":"FeatureCollection",` + feats + `,"crs":` + c.crs + `}`
				}
				file := filepath.Join(dir, "stores.geojson")
				if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
					t.Fatal(err)
				}
				ds, _, err := Load(Paths{LayerStores: file}, Options{})
				if c.err != "" {
					if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "--crs stores=EPSG:NNNN") {
						t.Errorf("error %v, want %q and the --crs advice", err, c.err)
					}
					for _, leak := range []string{"Go ", "struct", "unmarshal"} {
						if err != nil && strings.Contains(err.Error(), leak) {
							t.Errorf("error %q speaks Go", err)
						}
					}
					// --crs overrides a crs member that cannot be used.
					ds, warns, err := Load(Paths{LayerStores: file}, Options{CRS: map[Layer]string{"": "EPSG:4326"}})
					if err != nil || ds.Stores[0].Location != (orb.Point{130.7078, 32.8031}) || len(warns) == 0 {
						t.Errorf("with --crs EPSG:4326: %v, %v", err, warns)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if d := geo.Distance(ds.Stores[0].Location, gdalTokyo); d > 0.01 {
					t.Errorf("crs after features %v: read at %v, %.3f m from GDAL's %v", after, ds.Stores[0].Location, d, gdalTokyo)
				}
			}
		})
	}
	needShared(t)
	for _, f := range []string{"crs_EPSG", "crs_OGC", "crs_name", "crs_link"} {
		ds, _, err := Load(Paths{LayerStores: sharedData + "gdal_autotest/derived_probes/" + f + ".geojson"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := geo.Distance(ds.Stores[0].Location, gdalTokyo); d > 0.01 {
			t.Errorf("%s: read at %v, %.3f m from GDAL's %v", f, ds.Stores[0].Location, d, gdalTokyo)
		}
	}
}

// TestPrimeMeridian is the regression test of issue 21's fourth misread: a
// geographic .prj with a prime meridian other than Greenwich, or angles in
// grads, was read as degrees from Greenwich. Both are honoured on datums
// the loader knows; a datum it does not know is refused.
func TestPrimeMeridian(t *testing.T) {
	const grad = `UNIT["grad",0.01570796326794897]`
	for _, c := range []struct {
		name, prj string
		in, want  orb.Point
		err       string
	}{
		// 100 grads = 90°, east of Paris (2.33722917° E, PROJ's reading of
		// the Paris meridian written in degrees beside a unit of grads).
		{"RGF93 Paris grads", `GEOGCS["RGF93 (Paris meridian)",DATUM["Reseau_Geodesique_Francais_1993",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Paris",2.33722917],` + grad + `]`,
			orb.Point{100, 50}, orb.Point{92.33722917, 45}, ""},
		{"Paris meridian in grads", `GEOGCS["x",DATUM["D_GRS80",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Paris",2.5969213],` + grad + `]`,
			orb.Point{100, 50}, orb.Point{92.33722917, 45}, ""},
		{"Paris meridian, degrees", `GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Paris",2.33722917],UNIT["Degree",0.0174532925199433]]`,
			orb.Point{1, 2}, orb.Point{3.33722917, 2}, ""},
		{"WKT2 meridian with its own unit", `GEOGCRS["x",DATUM["RGF93",ELLIPSOID["GRS 1980",6378137,298.257222101]],PRIMEM["Paris",2.5969213,ANGLEUNIT["grad",0.0157079632679489]],CS[ellipsoidal,2],AXIS["longitude",east,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["latitude",north,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]]]`,
			orb.Point{1, 2}, orb.Point{3.33722917, 2}, ""},
		{"radians", `GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Radian",1]]`,
			orb.Point{math.Pi / 4, math.Pi / 6}, orb.Point{45, 30}, ""},
		{"Tokyo datum, Ferro meridian", `GEOGCS["x",DATUM["D_Tokyo",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Ferro",-17.66666667],UNIT["Degree",0.0174532925199433]]`,
			orb.Point{130.7078 + 17.66666667, 32.8031}, gdalTokyo, ""},
		{"NTF Paris", `GEOGCS["NTF (Paris)",DATUM["Nouvelle_Triangulation_Francaise_Paris",SPHEROID["Clarke 1880 (IGN)",6378249.2,293.4660212936269]],PRIMEM["Paris",2.33722917],` + grad + `]`,
			orb.Point{}, orb.Point{}, "is on the datum NOUVELLE_TRIANGULATION_FRANCAISE_PARIS (ellipsoid CLARKE 1880 (IGN)), which this loader does not convert"},
		{"meridian at the wrong place", `GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Paris",2.5969213],UNIT["Degree",0.0174532925199433]]`,
			orb.Point{}, orb.Point{}, "its prime meridian Paris is given as 2.5969213°, not the 2.33722917° east of Greenwich it is"},
		{"projected from Paris", `PROJCS["x",GEOGCS["x",DATUM["D_GRS80",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Paris",2.33722917],` + grad + `],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",0],UNIT["metre",1]]`,
			orb.Point{}, orb.Point{}, "is projected from a base CRS with a prime meridian other than Greenwich"},
	} {
		t.Run(c.name, func(t *testing.T) {
			crs := crsFromWKT(c.prj)
			if c.err != "" {
				if !strings.Contains(crs.problem, c.err) || !strings.Contains(crs.problem, "ogr2ogr -t_srs EPSG:4326") {
					t.Errorf("problem %q, want %q and advice", crs.problem, c.err)
				}
				return
			}
			if crs.problem != "" || crs.projected || crs.toLonLat == nil {
				t.Fatalf("%+v, want a conversion", crs)
			}
			if got := crs.toLonLat(c.in); geo.Distance(got, c.want) > 0.01 {
				t.Errorf("%v read as %v, want %v (%.3f m off)", c.in, got, c.want, geo.Distance(got, c.want))
			}
		})
	}
	needShared(t)
	ds, _, err := Load(Paths{LayerStores: sharedData + "gdal_autotest/derived_probes/grs80_paris/gjpoint.shp"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ds.Stores[0].Location, (orb.Point{92.33722917, 0}); geo.Distance(got, want) > 0.01 {
		t.Errorf("grs80_paris read at %v, want %v", got, want)
	}
	_, _, err = Load(Paths{LayerStores: sharedData + "gdal_autotest/derived_probes/ntf_paris/gjpoint.shp"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "gjpoint.shp: crs (gjpoint.prj): NTF (Paris) is on the datum") {
		t.Errorf("ntf_paris: %v, want a refusal naming the .prj and the datum", err)
	}
}

// TestLocalCRS: a local (engineering) CRS is refused with --crs advice, not
// with ogr2ogr -t_srs, which cannot convert it either (issue 21).
func TestLocalCRS(t *testing.T) {
	c := crsFromWKT(`LOCAL_CS["Undefined SRS",LOCAL_DATUM["unknown",32767],UNIT["unknown",0],AXIS["Easting",EAST],AXIS["Northing",NORTH]]`)
	if !strings.Contains(c.problem, "Undefined SRS is a local (engineering) CRS") || !strings.Contains(c.problem, "--crs LAYER=EPSG:NNNN") || strings.Contains(c.problem, "-t_srs") {
		t.Errorf("problem %q", c.problem)
	}
}
