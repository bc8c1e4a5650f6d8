// Package data holds the data model of a catchment study (offices, districts,
// service points, boundary) and loads and validates it from GeoJSON and CSV,
// or from the embedded Kumamoto default.
package data

import (
	"strings"

	"github.com/paulmach/orb"
)

// OfficeKind is the role of a public service office.
type OfficeKind string

// Office kinds.
const (
	// Ward is a ward office (区役所).
	Ward OfficeKind = "ward"
	// Branch is a branch office (出張所 / 総合出張所).
	Branch OfficeKind = "branch"
)

// Layer names one input layer of a study.
type Layer string

// The layers of a study.
const (
	LayerOffices   Layer = "offices"
	LayerDistricts Layer = "districts"
	LayerStores    Layer = "stores"
	LayerPosts     Layer = "posts"
	LayerBoundary  Layer = "boundary"
	// LayerCounts is the table of counter transactions per office and year.
	LayerCounts Layer = "counts"
)

// Layers lists every layer in load order.
var Layers = []Layer{LayerOffices, LayerDistricts, LayerStores, LayerPosts, LayerBoundary}

// Office is a public service counter: a ward office or a branch office.
type Office struct {
	ID     string
	Name   string
	NameEn string // romanised name, for maps without a Japanese font; may be empty
	Kind   OfficeKind
	Ward   string // the ward the office belongs to; may be empty
	// CounterCount is the yearly number of counter transactions, if known.
	CounterCount *float64
	// PublishedKm is the distance to the nearest ward office that the city
	// publishes (road kilometres), if known.
	PublishedKm *float64
	// Source says where the position comes from and how sure it is.
	Source   string
	Location orb.Point // lon, lat in degrees (WGS84 / JGD2011)
}

// District is an area served by one office, such as a school district (校区).
type District struct {
	ID     string
	Name   string
	NameEn string
	// Population is the number of residents, if known.
	Population *float64
	Geometry   orb.MultiPolygon // lon, lat in degrees
	// Point is the district's position when it was given as a point (a
	// demand point for the location models, read with
	// Options.PointDistricts); Geometry is then nil.
	Point *orb.Point
}

// Pop returns the district's population, or 0 when it is unknown.
func (d District) Pop() float64 {
	if d.Population == nil {
		return 0
	}
	return *d.Population
}

// ServicePoint is a place that can issue certificates: a convenience store
// or a post office.
type ServicePoint struct {
	ID       string
	Name     string
	Location orb.Point
}

// Dataset is everything one study reads.
type Dataset struct {
	Offices   []Office
	Districts []District
	Stores    []ServicePoint
	Posts     []ServicePoint
	// Boundary is the study area; nil when none was given.
	Boundary orb.MultiPolygon
	// Sources names the file each layer came from ("embedded:..." for the default).
	Sources map[Layer]string
	// Synthetic marks layers that are generated demo data, not real data.
	Synthetic map[Layer]bool
	// Attribution lists the credit lines the data's licences require.
	Attribution []string
	// Counts are yearly counter transactions per office, if known (from a
	// counts CSV; the embedded default carries DEMO figures).
	Counts []CounterCount
	// Network is a road network read as a layer of lines (LoadNetwork).
	Network []RoadLink
	// References are figures from official documents about the study area,
	// shown in reports beside the figures computed from the data.
	References []Reference
}

// Reference is one figure from an official document.
type Reference struct {
	Key    string // what it measures, e.g. "residents_per_office"
	Label  string // what a reader sees
	Value  string
	Source string
}

// Warning is a problem in the input that was repaired or that does not stop
// the study, such as a self-intersecting polygon that was fixed.
type Warning struct {
	File    string
	Feature string // "feature 3 (id=K12)" or "line 7"
	Field   string
	Message string
}

// String is "file: feature: field name: message", leaving out the parts
// that are empty.
func (w Warning) String() string {
	var parts []string
	for _, p := range []string{w.File, w.Feature} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if w.Field != "" {
		parts = append(parts, "field "+w.Field)
	}
	return strings.Join(append(parts, w.Message), ": ")
}
