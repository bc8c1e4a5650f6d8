package network

import (
	"fmt"
	"strconv"
	"strings"
)

// Profile is a travel mode: which ways are used, in which directions, and
// at what speed.
type Profile string

const (
	// Car uses drivable highway classes, obeys oneway tags and drives at the
	// way's maxspeed or a default speed for its highway class.
	Car Profile = "car"
	// Walk uses every walkable way in both directions at WalkSpeedKmh.
	Walk Profile = "walk"
)

// ParseProfile checks a profile name such as a command-line value.
func ParseProfile(s string) (Profile, error) {
	switch p := Profile(strings.ToLower(strings.TrimSpace(s))); p {
	case Car, Walk:
		return p, nil
	}
	return "", fmt.Errorf("network: unknown profile %q (want car or walk)", s)
}

// Metric is what a search minimises.
type Metric string

const (
	// Geodesic is the straight-line distance on the ellipsoid, ignoring roads.
	Geodesic Metric = "geodesic"
	// Road is the route length in metres.
	Road Metric = "road"
	// Time is the travel time in seconds.
	Time Metric = "time"
)

// ParseMetric checks a metric name such as a command-line value.
func ParseMetric(s string) (Metric, error) {
	switch m := Metric(strings.ToLower(strings.TrimSpace(s))); m {
	case Geodesic, Road, Time:
		return m, nil
	}
	return "", fmt.Errorf("network: unknown metric %q (want geodesic, road or time)", s)
}

// carSpeedKmh is the default speed of each drivable highway class when a way
// has no usable maxspeed: Japan's general legal limits, lowered on minor
// roads. They are free-flow speeds: signals and congestion are not modelled.
var carSpeedKmh = map[string]float64{
	"motorway":       80,
	"motorway_link":  40,
	"trunk":          50,
	"trunk_link":     40,
	"primary":        50,
	"primary_link":   40,
	"secondary":      40,
	"secondary_link": 30,
	"tertiary":       40,
	"tertiary_link":  30,
	"unclassified":   30,
	"residential":    30,
	"living_street":  15,
	"service":        15,
	"road":           30,
}

// walkable lists the highway classes the walk profile uses.
var walkable = map[string]bool{
	"trunk": true, "trunk_link": true, "primary": true, "primary_link": true,
	"secondary": true, "secondary_link": true, "tertiary": true, "tertiary_link": true,
	"unclassified": true, "residential": true, "living_street": true, "service": true,
	"road": true, "pedestrian": true, "footway": true, "path": true, "steps": true,
	"track": true, "cycleway": true, "bridleway": true, "corridor": true,
}

// wayRule is how a profile travels along one way.
type wayRule struct {
	dir      int // 0 both ways, 1 along the node order, -1 against it
	speedKmh float64
}

// tagger gives a way's tag values; a missing tag is "".
type tagger func(key string) string

// rule decides whether profile p uses a way with these tags, and how.
func (p Profile) rule(tag tagger) (wayRule, bool) {
	hw := tag("highway")
	if hw == "" || tag("area") == "yes" {
		return wayRule{}, false
	}
	access := tag("access")
	switch p {
	case Car:
		speed, ok := carSpeedKmh[hw]
		if !ok {
			return wayRule{}, false
		}
		mv := firstNonEmpty(tag("motorcar"), tag("motor_vehicle"), tag("vehicle"))
		if isNo(mv) || (mv == "" && isNo(access)) {
			return wayRule{}, false
		}
		if hw == "service" {
			switch tag("service") {
			case "parking_aisle", "driveway", "drive-through", "emergency_access":
				return wayRule{}, false
			}
		}
		if ms, ok := parseMaxspeed(tag("maxspeed")); ok {
			speed = ms
		}
		dir := 0
		switch tag("oneway") {
		case "yes", "true", "1":
			dir = 1
		case "-1", "reverse":
			dir = -1
		case "reversible", "alternating":
			return wayRule{}, false // direction changes over the day
		case "no", "false", "0":
		default:
			if hw == "motorway" || hw == "motorway_link" || tag("junction") == "roundabout" {
				dir = 1
			}
		}
		return wayRule{dir: dir, speedKmh: speed}, true
	case Walk:
		if !walkable[hw] {
			return wayRule{}, false
		}
		foot := tag("foot")
		if isNo(foot) || (foot == "" && isNo(access)) {
			return wayRule{}, false
		}
		return wayRule{dir: 0, speedKmh: WalkSpeedKmh}, true
	}
	return wayRule{}, false
}

// isNo reports whether an access value forbids use.
func isNo(v string) bool { return v == "no" || v == "private" }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseMaxspeed reads a numeric maxspeed ("40", "40 km/h", "25 mph"); zone
// codes such as "JP:urban" and "none" are not numeric and give ok false.
func parseMaxspeed(s string) (kmh float64, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i] // several values: take the first
	}
	factor := 1.0
	switch {
	case strings.HasSuffix(s, "mph"):
		factor = 1.609344
		s = strings.TrimSpace(strings.TrimSuffix(s, "mph"))
	case strings.HasSuffix(s, "km/h"):
		s = strings.TrimSpace(strings.TrimSuffix(s, "km/h"))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || v > 300 {
		return 0, false
	}
	return v * factor, true
}
