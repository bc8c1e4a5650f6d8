package data

import (
	"fmt"
	"strconv"
	"strings"
)

// crsInfo describes a coordinate reference system named in a legacy GeoJSON
// "crs" member.
type crsInfo struct {
	name      string // e.g. "EPSG:6670 (JGD2011 / Japan Plane Rectangular CS II)"
	projected bool   // coordinates are metres, not degrees
	known     bool
	oldDatum  bool // geographic on the Tokyo datum: positions off by ~400 m
}

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"}

// lookupCRS interprets a crs name such as "urn:ogc:def:crs:EPSG::6670",
// "EPSG:4326" or "urn:ogc:def:crs:OGC:1.3:CRS84".
func lookupCRS(name string) crsInfo {
	up := strings.ToUpper(strings.TrimSpace(name))
	if strings.HasSuffix(up, "CRS84") || strings.HasSuffix(up, "CRS:84") {
		return crsInfo{name: "OGC:CRS84 (WGS 84 longitude/latitude)", known: true}
	}
	i := strings.LastIndex(up, ":")
	code, err := strconv.Atoi(up[i+1:])
	if !strings.Contains(up, "EPSG") || err != nil {
		return crsInfo{name: name}
	}
	c := crsInfo{name: fmt.Sprintf("EPSG:%d", code), known: true}
	describe := func(s string) { c.name += " (" + s + ")" }
	switch {
	case code == 4326:
		describe("WGS 84")
	case code == 4612:
		describe("JGD2000")
	case code == 6668:
		describe("JGD2011")
	case code == 4301:
		describe("Tokyo datum")
		c.oldDatum = true
	case code >= 6669 && code <= 6687:
		describe("JGD2011 / Japan Plane Rectangular CS " + romans[code-6669])
		c.projected = true
	case code >= 2443 && code <= 2461:
		describe("JGD2000 / Japan Plane Rectangular CS " + romans[code-2443])
		c.projected = true
	case code >= 30161 && code <= 30179:
		describe("Tokyo / Japan Plane Rectangular CS " + romans[code-30161])
		c.projected = true
	case code >= 6688 && code <= 6692:
		describe(fmt.Sprintf("JGD2011 / UTM zone %dN", code-6688+51))
		c.projected = true
	case code >= 3097 && code <= 3101:
		describe(fmt.Sprintf("JGD2000 / UTM zone %dN", code-3097+51))
		c.projected = true
	case code >= 32601 && code <= 32660:
		describe(fmt.Sprintf("WGS 84 / UTM zone %dN", code-32600))
		c.projected = true
	case code >= 32701 && code <= 32760:
		describe(fmt.Sprintf("WGS 84 / UTM zone %dS", code-32700))
		c.projected = true
	case code == 3857 || code == 900913:
		describe("WGS 84 / Pseudo-Mercator")
		c.projected = true
	default:
		c.known = false
	}
	return c
}
