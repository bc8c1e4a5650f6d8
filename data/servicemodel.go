package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ServiceModel is the certificate service model: the channels that issue
// certificates (counters, service corners, convenience stores, post
// offices) with their costs and opening hours, the shift of certificates to
// stores as My Number cards spread, the information linkage that removes
// the need for many certificates, staffing, and the settings of the counter
// forecast. Every figure carries where it comes from (Figure.Source). The
// embedded default (DefaultServiceModel) holds the figures of Kumamoto
// City's plan for reorganising ward and branch offices, with the inputs the
// plan does not give marked "assumed". See data/kumamoto/service_model.yaml
// for the file format.
type ServiceModel struct {
	// Name names the model; Plan the document its "plan" figures come from.
	Name, Plan string
	// Source names the file the model was read from.
	Source string
	// ReferenceYear is the fiscal year at whose volumes the plan's unit
	// costs hold (the plan's base year).
	ReferenceYear int
	// Fee is what a resident pays per certificate, yen.
	Fee Figure
	// CertificateShare is the share (0..1) of counter work that is
	// certificate issuing: the part of counter staff cost that certificates
	// bear, and the split of an office's work when its counts do not say.
	CertificateShare Figure
	Counter          CounterChannel
	Corner           CornerChannel
	Store            StoreChannel
	Post             PostChannel
	Adoption         Adoption
	Linkage          Linkage
	Staff            Staffing
	Forecast         ForecastSettings
	Access           AccessSettings
	PlanFigures      PlanFigures
	// CountsFile is a counts CSV named by the model (relative to the model
	// file); empty when the model uses the study's counts.
	CountsFile string
}

// Figure is one number of the model and where it comes from.
type Figure struct {
	Value float64
	// Source says where the figure comes from: "plan", "assumed",
	// "assumed (DEMO)", …; empty when the model file gave a bare number.
	Source string
	// Note explains the figure.
	Note string
}

// CounterChannel is full counter service at ward and branch offices.
type CounterChannel struct {
	// Hours are the counters' opening hours; OfficeHours replace them for
	// the offices they name (by id).
	Hours       WeekHours
	OfficeHours map[string]WeekHours
	// VariableCost is the cost per certificate that falls with volume
	// (forms, printing), yen; staff cost is in Staffing.
	VariableCost Figure
}

// CornerChannel is a service corner (証明書発行のみ): an office a scenario
// downgrades keeps issuing certificates and nothing else.
type CornerChannel struct {
	Hours        WeekHours
	VariableCost Figure
}

// StoreChannel is certificate printing at convenience stores with a My
// Number card (the stores layer).
type StoreChannel struct {
	Hours WeekHours
	// FixedCostPerYear is the yearly cost of the service whatever its
	// volume (system and operation fees), yen.
	FixedCostPerYear Figure
	// CostPerCertificate is paid per certificate (the commission to the
	// store chain), yen.
	CostPerCertificate Figure
	// FromYear is the first fiscal year of the service.
	FromYear int
}

// PostChannel is post offices issuing or relaying certificates (the posts
// layer).
type PostChannel struct {
	Hours WeekHours
	// GapDistrictsOnly limits the channel to the post offices in districts
	// with no convenience store (the plan's proposal); false uses every
	// post office.
	GapDistrictsOnly bool
	// Share is the share (0..1) of the certificates of the residents of the
	// districts served by a post office that go to it.
	Share              Figure
	FixedCostPerYear   Figure
	CostPerCertificate Figure
	// FromYear is the first fiscal year of the service.
	FromYear int
}

// Adoption is how many residents hold a My Number card, per fiscal year,
// and the share of their certificates that they print at a store: the
// store share of certificates in a year is CardAdoption × StoreShare.
type Adoption struct {
	// CardAdoption is the share (0..1) of residents holding a card per
	// fiscal year; 0 before its first year, its last value after its last.
	CardAdoption []YearFigure
	StoreShare   Figure
}

// YearFigure is a figure for one fiscal year.
type YearFigure struct {
	Year int
	Figure
}

// Linkage is information linkage (情報連携): from a month on, a share of
// certificates is no longer needed.
type Linkage struct {
	// Factor is what is left (0..1) of certificate volume once linkage
	// acts: 0.5 halves it.
	Factor Figure
	// FromYear and FromMonth (1..12) are the calendar month it starts.
	FromYear, FromMonth int
}

// Staffing is the counter staff: today's staff per office, what a staff
// member costs and handles in a year, and the least an office needs.
type Staffing struct {
	// PerKind is today's counter staff of an office of each kind: "ward",
	// "branch", and "corner" for a service corner.
	PerKind map[string]Figure
	// Offices replace PerKind for the offices they name (by id).
	Offices map[string]Figure
	// CostPerYear is the yearly cost of one staff member, yen.
	CostPerYear Figure
	// WorkloadPerStaff is the counter transactions one staff member
	// handles in a year: staff needed = ⌈workload / WorkloadPerStaff⌉.
	WorkloadPerStaff Figure
	// MinimumFull and MinimumCorner are the least staff an office with
	// full counter service, or a service corner, needs.
	MinimumFull, MinimumCorner Figure
}

// Trend is how the forecast extends an office's recorded counter work.
type Trend string

// Trends.
const (
	// TrendFlat holds the last recorded year's level.
	TrendFlat Trend = "flat"
	// TrendLinear fits a + b·year by least squares.
	TrendLinear Trend = "linear"
	// TrendExponential fits a·exp(b·year) by least squares on the
	// logarithm.
	TrendExponential Trend = "exponential"
)

// ForecastSettings set the counter forecast.
type ForecastSettings struct {
	Trend Trend
	// HoldCityTotal scales the offices' projected work (before stores and
	// linkage take their part) so that the city's total stays at its last
	// recorded year's: the plan's assumption of constant totals. The
	// offices' trends then only move work between offices.
	HoldCityTotal bool
	// TargetYear is the fiscal year the forecast projects to.
	TargetYear int
	// ThresholdPerStaff flags an office whose projected counter work per
	// staff member (today's staff) falls below it.
	ThresholdPerStaff Figure
}

// AccessSettings are the defaults of the opening-hours accessibility.
type AccessSettings struct {
	// WithinKm is the distance within which a district's residents count
	// a certificate point as available.
	WithinKm Figure
	// At is the time of the week asked about ("Sat 10:00").
	At WeekTime
}

// PlanFigures are the plan's unit costs, which the model's inputs must
// reproduce.
type PlanFigures struct {
	// CounterCost is the cost per certificate at a counter, yen, at the
	// reference year's volume.
	CounterCost Figure
	// StoreCost is the cost per certificate at a store, yen, when stores
	// take StoreShare of the reference year's certificates.
	StoreCost  Figure
	StoreShare Figure
	// CounterCostNotReorganised is the counter's cost per certificate when
	// linkage has cut the volume and the staff stay as they are, yen.
	CounterCostNotReorganised Figure
}

// Interval is an opening interval of one day, in minutes from midnight:
// open at Open, closed from Close (0 ≤ Open < Close ≤ 1440).
type Interval struct {
	Open, Close int
}

// WeekHours are the opening intervals of each day of the week, Monday
// first, each day's ascending and not overlapping.
type WeekHours [7][]Interval

// DayNames are the days of WeekHours, Monday first, as the model file and
// WeekTime write them.
var DayNames = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Hours is the number of opening hours in a week.
func (w WeekHours) Hours() float64 {
	var m int
	for _, day := range w {
		for _, iv := range day {
			m += iv.Close - iv.Open
		}
	}
	return float64(m) / 60
}

// OpenAt reports whether the hours are open at t.
func (w WeekHours) OpenAt(t WeekTime) bool {
	for _, iv := range w[t.Day] {
		if t.Minute >= iv.Open && t.Minute < iv.Close {
			return true
		}
	}
	return false
}

// String writes the hours as the model file does: "mon-fri 08:30-17:15".
func (w WeekHours) String() string {
	day := func(d int) string {
		var s []string
		for _, iv := range w[d] {
			s = append(s, clock(iv.Open)+"-"+clock(iv.Close))
		}
		return strings.Join(s, ",")
	}
	var parts []string
	for d := 0; d < 7; {
		e := d
		for e+1 < 7 && day(e+1) == day(d) {
			e++
		}
		if day(d) != "" {
			name := DayNames[d]
			if e > d {
				name += "-" + DayNames[e]
			}
			if d == 0 && e == 6 {
				name = "daily"
			}
			parts = append(parts, name+" "+day(d))
		}
		d = e + 1
	}
	if len(parts) == 0 {
		return "closed"
	}
	return strings.Join(parts, "; ")
}

// clock writes minutes from midnight as "08:30".
func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// WeekTime is a moment of the week: a day (0 = Monday) and minutes from
// midnight.
type WeekTime struct {
	Day, Minute int
}

// String writes t as "Sat 10:00".
func (t WeekTime) String() string {
	d := DayNames[t.Day]
	return strings.ToUpper(d[:1]) + d[1:] + " " + clock(t.Minute)
}

// dayAliases are the names a day may be written with.
var dayAliases = map[string]int{
	"mon": 0, "monday": 0, "月": 0, "tue": 1, "tuesday": 1, "火": 1, "wed": 2, "wednesday": 2, "水": 2,
	"thu": 3, "thursday": 3, "木": 3, "fri": 4, "friday": 4, "金": 4, "sat": 5, "saturday": 5, "土": 5,
	"sun": 6, "sunday": 6, "日": 6,
}

// ParseWeekTime reads a moment of the week such as "Sat 10:00" (day names
// in English, three letters or in full, or 月…日).
func ParseWeekTime(s string) (WeekTime, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return WeekTime{}, fmt.Errorf("%q: want a day and a time, such as \"Sat 10:00\"", s)
	}
	d, ok := dayAliases[strings.ToLower(strings.TrimSuffix(f[0], "曜日"))]
	if !ok {
		return WeekTime{}, fmt.Errorf("%q: unknown day %q (want mon, tue, … sun)", s, f[0])
	}
	m, err := parseClock(f[1])
	if err != nil || m >= 1440 {
		return WeekTime{}, fmt.Errorf("%q: %q is not a time of day from 00:00 to 23:59", s, f[1])
	}
	return WeekTime{Day: d, Minute: m}, nil
}

// parseClock reads "HH:MM" from 00:00 to 24:00 as minutes.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) == 0 || len(h) > 2 {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time from 00:00 to 24:00", s)
	}
	return hh*60 + mm, nil
}

// serviceModelFile names the embedded default model.
const serviceModelFile = "service_model.yaml"

// DefaultServiceModel is the embedded model of Kumamoto City's plan
// (data/kumamoto/service_model.yaml). Its office-specific keys are checked
// against offices (nil: not checked).
func DefaultServiceModel(offices []Office) (*ServiceModel, error) {
	m, err := LoadServiceModelFS(kumamoto, defaultDir+"/"+serviceModelFile, offices)
	if err != nil {
		return nil, fmt.Errorf("embedded default: %w", err)
	}
	m.Source = "embedded:" + defaultDir + "/" + serviceModelFile
	return m, nil
}

// LoadServiceModel reads a service model file (YAML) and checks it; office
// ids are checked against offices (nil: not checked). Errors name the file,
// the line and the key.
func LoadServiceModel(path string, offices []Office) (*ServiceModel, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load service model: %w", err)
	}
	return ParseServiceModel(b, path, offices)
}

// LoadServiceModelFS is LoadServiceModel on a file system.
func LoadServiceModelFS(fsys fs.FS, name string, offices []Office) (*ServiceModel, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load service model: %w", err)
	}
	return ParseServiceModel(b, name, offices)
}

// ParseServiceModel reads a service model from the YAML bytes of a file
// named source. Unknown keys are errors, as are negative costs, shares
// outside 0–1, hours outside 00:00–24:00 or overlapping within a day, and
// office ids that are not among offices (when given).
func ParseServiceModel(b []byte, source string, offices []Office) (*ServiceModel, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, &InputError{File: source, Message: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(root.Content) == 0 {
		return nil, &InputError{File: source, Message: "empty service model file"}
	}
	var f modelFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlDecodeError(source, &root, err)
	}
	p := &modelCheck{source: source, root: root.Content[0]}
	m := p.model(f, offices)
	if p.err != nil {
		return nil, p.err
	}
	return m, nil
}

// yamlDecodeError turns a decoding error into an InputError naming the line
// and the key.
func yamlDecodeError(source string, root *yaml.Node, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
		if len(te.Errors) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(te.Errors)-1)
		}
	}
	feature := ""
	if line, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(line, "line ") {
		feature, msg = line, rest
		if n, err := strconv.Atoi(strings.TrimPrefix(line, "line ")); err == nil {
			if key := keyAtLine(root, n, ""); key != "" {
				msg = strings.Replace(msg, "field ", "key ", 1)
				return &InputError{File: source, Feature: feature, Field: key, Message: yamlUnknown(msg)}
			}
		}
	}
	return &InputError{File: source, Feature: feature, Message: yamlUnknown(msg)}
}

// yamlUnknown rewords the decoder's message for an unknown key, which names
// a Go type the user does not know.
func yamlUnknown(msg string) string {
	if i := strings.Index(msg, " not found in type "); i >= 0 {
		return "unknown key " + strings.TrimPrefix(strings.TrimPrefix(msg[:i], "key "), "field ") + " (misspelt? see the documented keys in data/kumamoto/service_model.yaml)"
	}
	return msg
}

// keyAtLine finds the dotted key path of the mapping key or value on line n.
func keyAtLine(n *yaml.Node, line int, prefix string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if k := keyAtLine(c, line, prefix); k != "" {
				return k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := joinKey(prefix, k.Value)
			if k.Line == line {
				return path
			}
			if sub := keyAtLine(v, line, path); sub != "" {
				return sub
			}
			if v.Line == line {
				return path
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			path := fmt.Sprintf("%s[%d]", prefix, i)
			if sub := keyAtLine(c, line, path); sub != "" {
				return sub
			}
			if c.Line == line {
				return path
			}
		}
	}
	return ""
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// The file form of the model (see service_model.yaml).
type modelFile struct {
	Name             string       `yaml:"name"`
	Plan             string       `yaml:"plan"`
	ReferenceYear    int          `yaml:"reference_year"`
	Fee              *figureFile  `yaml:"fee"`
	CertificateShare *figureFile  `yaml:"certificate_share"`
	Counts           string       `yaml:"counts"`
	Channels         channelsFile `yaml:"channels"`
	Adoption         adoptionFile `yaml:"adoption"`
	Linkage          linkageFile  `yaml:"linkage"`
	Staff            staffFile    `yaml:"staff"`
	Forecast         forecastFile `yaml:"forecast"`
	Access           accessFile   `yaml:"accessibility"`
	Plans            planFile     `yaml:"plan_figures"`
}

type channelsFile struct {
	Counter struct {
		Hours        hoursFile            `yaml:"hours"`
		OfficeHours  map[string]hoursFile `yaml:"office_hours"`
		VariableCost *figureFile          `yaml:"variable_cost"`
	} `yaml:"counter"`
	Corner struct {
		Hours        hoursFile   `yaml:"hours"`
		VariableCost *figureFile `yaml:"variable_cost"`
	} `yaml:"corner"`
	Store struct {
		Hours              hoursFile   `yaml:"hours"`
		FixedCostPerYear   *figureFile `yaml:"fixed_cost_per_year"`
		CostPerCertificate *figureFile `yaml:"cost_per_certificate"`
		FromYear           int         `yaml:"from_year"`
	} `yaml:"store"`
	Post struct {
		Hours              hoursFile   `yaml:"hours"`
		Points             string      `yaml:"points"`
		Share              *figureFile `yaml:"share"`
		FixedCostPerYear   *figureFile `yaml:"fixed_cost_per_year"`
		CostPerCertificate *figureFile `yaml:"cost_per_certificate"`
		FromYear           int         `yaml:"from_year"`
	} `yaml:"post"`
}

type adoptionFile struct {
	CardAdoption map[int]*figureFile `yaml:"card_adoption"`
	StoreShare   *figureFile         `yaml:"store_share_of_card_holders"`
}

type linkageFile struct {
	Factor *figureFile `yaml:"factor"`
	From   string      `yaml:"from"`
}

type staffFile struct {
	PerKind          map[string]*figureFile `yaml:"per_office"`
	Offices          map[string]*figureFile `yaml:"offices"`
	CostPerYear      *figureFile            `yaml:"cost_per_year"`
	WorkloadPerStaff *figureFile            `yaml:"workload_per_staff"`
	Minimum          struct {
		Full   *figureFile `yaml:"full"`
		Corner *figureFile `yaml:"corner"`
	} `yaml:"minimum"`
}

type forecastFile struct {
	Trend             string      `yaml:"trend"`
	HoldCityTotal     *bool       `yaml:"hold_city_total"`
	TargetYear        int         `yaml:"target_year"`
	ThresholdPerStaff *figureFile `yaml:"threshold_per_staff"`
}

type accessFile struct {
	WithinKm *figureFile `yaml:"within_km"`
	At       string      `yaml:"at"`
}

type planFile struct {
	CounterCost               *figureFile `yaml:"counter_cost"`
	StoreCost                 *figureFile `yaml:"store_cost"`
	StoreShare                *figureFile `yaml:"store_share"`
	CounterCostNotReorganised *figureFile `yaml:"counter_cost_not_reorganised"`
}

// figureFile is a figure as written: a bare number, or {value, source,
// note}.
type figureFile struct {
	Figure
	line int
}

// UnmarshalYAML reads a number or a mapping with value, source and note.
func (f *figureFile) UnmarshalYAML(n *yaml.Node) error {
	f.line = n.Line
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := parseModelNumber(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
		f.Value = v
		return nil
	case yaml.MappingNode:
		hasValue := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "value":
				x, err := parseModelNumber(v.Value)
				if err != nil || v.Kind != yaml.ScalarNode {
					return fmt.Errorf("line %d: value %q is not a number", v.Line, v.Value)
				}
				f.Value, hasValue = x, true
			case "source":
				f.Source = v.Value
			case "note":
				f.Note = v.Value
			default:
				return fmt.Errorf("line %d: unknown key %q in a figure (want value, source, note)", k.Line, k.Value)
			}
		}
		if !hasValue {
			return fmt.Errorf("line %d: a figure needs a value", n.Line)
		}
		return nil
	}
	return fmt.Errorf("line %d: want a number or {value: N, source: …, note: …}", n.Line)
}

// parseModelNumber reads a number, allowing _ and , as thousands separators.
func parseModelNumber(s string) (float64, error) {
	s = strings.NewReplacer("_", "", ",", "").Replace(strings.TrimSpace(s))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// hoursFile is opening hours as written: a mapping of days (mon…sun,
// ranges such as mon-fri, or daily) to one interval "08:30-17:15", a list
// of them, or "closed".
type hoursFile struct {
	node *yaml.Node
}

// UnmarshalYAML keeps the node; modelCheck reads it.
func (h *hoursFile) UnmarshalYAML(n *yaml.Node) error {
	h.node = n
	return nil
}

// modelCheck builds the model and keeps the first problem, naming the key.
type modelCheck struct {
	source string
	root   *yaml.Node
	err    error
}

// fail records a problem at key (its line from the file).
func (p *modelCheck) fail(key, format string, a ...any) {
	if p.err != nil {
		return
	}
	e := &InputError{File: p.source, Field: key, Message: fmt.Sprintf(format, a...)}
	if n := p.lookup(key); n > 0 {
		e.Feature = fmt.Sprintf("line %d", n)
	}
	p.err = e
}

// lookup finds the line of a dotted key path (0: not found).
func (p *modelCheck) lookup(key string) int {
	n := p.root
	line := 0
	for _, part := range strings.Split(key, ".") {
		if n == nil || n.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// figure checks a required figure: present, within lo..hi.
func (p *modelCheck) figure(key string, f *figureFile, lo, hi float64, what string) Figure {
	if f == nil {
		p.fail(key, "missing: give %s", what)
		return Figure{}
	}
	if f.Value < lo || f.Value > hi {
		switch {
		case lo == 0 && math.IsInf(hi, 1):
			p.fail(key, "%g: must not be negative (%s)", f.Value, what)
		case lo == 0 && hi == 1:
			p.fail(key, "%g: a share must be between 0 and 1 (%s)", f.Value, what)
		default:
			p.fail(key, "%g: must be from %g to %g (%s)", f.Value, lo, hi, what)
		}
	}
	return f.Figure
}

// positive checks a required figure > 0.
func (p *modelCheck) positive(key string, f *figureFile, what string) Figure {
	fig := p.figure(key, f, 0, math.Inf(1), what)
	if f != nil && f.Value == 0 {
		p.fail(key, "0: must be positive (%s)", what)
	}
	return fig
}

// year checks a fiscal year.
func (p *modelCheck) year(key string, y int, required bool) int {
	if y == 0 && !required {
		return 0
	}
	if y < 1900 || y > 2200 {
		if y == 0 {
			p.fail(key, "missing: give a fiscal year such as 2014")
		} else {
			p.fail(key, "%d is not a fiscal year (want e.g. 2014)", y)
		}
	}
	return y
}

// office checks an office id.
func (p *modelCheck) office(key, id string, known map[string]bool) {
	if known != nil && !known[id] {
		ids := make([]string, 0, len(known))
		for k := range known {
			ids = append(ids, k)
		}
		sort.Strings(ids)
		p.fail(key, "unknown office id %q (known ids: %s)", id, strings.Join(ids, ", "))
	}
}

// hours reads opening hours.
func (p *modelCheck) hours(key string, h hoursFile) WeekHours {
	var w WeekHours
	n := h.node
	if n == nil {
		p.fail(key, "missing: give the opening hours, e.g. {mon-fri: \"08:30-17:15\"}")
		return w
	}
	if n.Kind != yaml.MappingNode {
		p.fail(key, "want a mapping of days to hours, e.g. {mon-fri: \"08:30-17:15\", sat: closed}")
		return w
	}
	from := [7][]string{} // which key gave each interval, for overlap messages
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		dk := key + "." + k.Value
		days, err := parseDays(k.Value)
		if err != nil {
			p.fail(dk, "%v", err)
			return w
		}
		var specs []string
		switch v.Kind {
		case yaml.ScalarNode:
			specs = []string{v.Value}
		case yaml.SequenceNode:
			for _, c := range v.Content {
				specs = append(specs, c.Value)
			}
		default:
			p.fail(dk, "want \"08:30-17:15\", a list of them or closed")
			return w
		}
		for _, s := range specs {
			s = strings.TrimSpace(s)
			if s == "" || strings.EqualFold(s, "closed") {
				continue
			}
			a, b, ok := strings.Cut(s, "-")
			if !ok {
				p.fail(dk, "%q: want an interval such as \"08:30-17:15\"", s)
				return w
			}
			open, err1 := parseClock(a)
			closing, err2 := parseClock(b)
			if err := errors.Join(err1, err2); err != nil {
				p.fail(dk, "%q: hours must be times from 00:00 to 24:00: %v", s, err)
				return w
			}
			if closing <= open {
				p.fail(dk, "%q: closes before it opens (split an interval that passes midnight into two days)", s)
				return w
			}
			for _, d := range days {
				for j, iv := range w[d] {
					if open < iv.Close && iv.Open < closing {
						p.fail(dk, "%s %q overlaps %s-%s given by %s", DayNames[d], s, clock(iv.Open), clock(iv.Close), from[d][j])
						return w
					}
				}
				w[d] = append(w[d], Interval{open, closing})
				from[d] = append(from[d], key+"."+k.Value)
			}
		}
	}
	for d := range w {
		sort.Slice(w[d], func(a, b int) bool { return w[d][a].Open < w[d][b].Open })
	}
	return w
}

// parseDays reads a day key: a day, a range "mon-fri", or "daily".
func parseDays(s string) ([]int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "daily" || s == "every day" {
		return []int{0, 1, 2, 3, 4, 5, 6}, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	da, ok := dayAliases[a]
	if !ok {
		return nil, fmt.Errorf("unknown day %q (want mon … sun, a range such as mon-fri, or daily)", a)
	}
	if !isRange {
		return []int{da}, nil
	}
	db, ok := dayAliases[b]
	if !ok {
		return nil, fmt.Errorf("unknown day %q in %q (want mon … sun)", b, s)
	}
	if db < da {
		return nil, fmt.Errorf("%q is not a range of days (want e.g. mon-fri)", s)
	}
	var out []int
	for d := da; d <= db; d++ {
		out = append(out, d)
	}
	return out, nil
}

// model checks the file's values and builds the model.
func (p *modelCheck) model(f modelFile, offices []Office) *ServiceModel {
	var known map[string]bool
	if offices != nil {
		known = map[string]bool{}
		for _, o := range offices {
			known[o.ID] = true
		}
	}
	inf := math.Inf(1)
	m := &ServiceModel{Name: f.Name, Plan: f.Plan, Source: p.source, CountsFile: f.Counts}
	m.ReferenceYear = p.year("reference_year", f.ReferenceYear, true)
	m.Fee = p.figure("fee", f.Fee, 0, inf, "the fee per certificate, yen")
	m.CertificateShare = p.figure("certificate_share", f.CertificateShare, 0, 1, "the share of counter work that is certificate issuing")

	c := f.Channels
	m.Counter.Hours = p.hours("channels.counter.hours", c.Counter.Hours)
	if len(c.Counter.OfficeHours) > 0 {
		m.Counter.OfficeHours = map[string]WeekHours{}
		ids := make([]string, 0, len(c.Counter.OfficeHours))
		for id := range c.Counter.OfficeHours {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p.office("channels.counter.office_hours."+id, id, known)
			m.Counter.OfficeHours[id] = p.hours("channels.counter.office_hours."+id, c.Counter.OfficeHours[id])
		}
	}
	m.Counter.VariableCost = p.figure("channels.counter.variable_cost", c.Counter.VariableCost, 0, inf, "the counter's cost per certificate that falls with volume, yen")
	m.Corner.Hours = p.hours("channels.corner.hours", c.Corner.Hours)
	m.Corner.VariableCost = p.figure("channels.corner.variable_cost", c.Corner.VariableCost, 0, inf, "a service corner's cost per certificate that falls with volume, yen")
	m.Store.Hours = p.hours("channels.store.hours", c.Store.Hours)
	m.Store.FixedCostPerYear = p.figure("channels.store.fixed_cost_per_year", c.Store.FixedCostPerYear, 0, inf, "the stores' yearly fixed cost, yen")
	m.Store.CostPerCertificate = p.figure("channels.store.cost_per_certificate", c.Store.CostPerCertificate, 0, inf, "the cost per certificate printed at a store, yen")
	m.Store.FromYear = p.year("channels.store.from_year", c.Store.FromYear, true)
	m.Post.Hours = p.hours("channels.post.hours", c.Post.Hours)
	switch c.Post.Points {
	case "gap_districts":
		m.Post.GapDistrictsOnly = true
	case "all":
	default:
		p.fail("channels.post.points", "%q: want gap_districts (post offices in districts with no convenience store) or all", c.Post.Points)
	}
	m.Post.Share = p.figure("channels.post.share", c.Post.Share, 0, 1, "the share of certificates of the districts a post office serves that go to it")
	m.Post.FixedCostPerYear = p.figure("channels.post.fixed_cost_per_year", c.Post.FixedCostPerYear, 0, inf, "the post offices' yearly fixed cost, yen")
	m.Post.CostPerCertificate = p.figure("channels.post.cost_per_certificate", c.Post.CostPerCertificate, 0, inf, "the cost per certificate at a post office, yen")
	m.Post.FromYear = p.year("channels.post.from_year", c.Post.FromYear, true)

	if len(f.Adoption.CardAdoption) == 0 {
		p.fail("adoption.card_adoption", "missing: give the share of residents holding a My Number card per fiscal year, e.g. {2016: 0.1}")
	}
	years := make([]int, 0, len(f.Adoption.CardAdoption))
	for y := range f.Adoption.CardAdoption {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		key := fmt.Sprintf("adoption.card_adoption.%d", y)
		p.year(key, y, true)
		fig := p.figure(key, f.Adoption.CardAdoption[y], 0, 1, "the share of residents holding a My Number card")
		m.Adoption.CardAdoption = append(m.Adoption.CardAdoption, YearFigure{Year: y, Figure: fig})
	}
	m.Adoption.StoreShare = p.figure("adoption.store_share_of_card_holders", f.Adoption.StoreShare, 0, 1, "the share of card holders' certificates printed at a store")

	m.Linkage.Factor = p.figure("linkage.factor", f.Linkage.Factor, 0, 1, "the share of certificate volume left once linkage acts (0.5 halves it)")
	if y, mo, ok := strings.Cut(f.Linkage.From, "-"); ok {
		yy, err1 := strconv.Atoi(y)
		mm, err2 := strconv.Atoi(mo)
		if err1 != nil || err2 != nil || mm < 1 || mm > 12 || yy < 1900 || yy > 2200 {
			p.fail("linkage.from", "%q: want a month YYYY-MM, such as 2017-07", f.Linkage.From)
		}
		m.Linkage.FromYear, m.Linkage.FromMonth = yy, mm
	} else {
		p.fail("linkage.from", "%q: want a month YYYY-MM, such as 2017-07", f.Linkage.From)
	}

	s := f.Staff
	m.Staff.PerKind = map[string]Figure{}
	for _, k := range []string{"ward", "branch", "corner"} {
		m.Staff.PerKind[k] = p.figure("staff.per_office."+k, s.PerKind[k], 0, inf, "today's counter staff of an office of this kind")
	}
	for k := range s.PerKind {
		if k != "ward" && k != "branch" && k != "corner" {
			p.fail("staff.per_office."+k, "unknown office kind %q (want ward, branch or corner)", k)
		}
	}
	if len(s.Offices) > 0 {
		m.Staff.Offices = map[string]Figure{}
		ids := make([]string, 0, len(s.Offices))
		for id := range s.Offices {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p.office("staff.offices."+id, id, known)
			m.Staff.Offices[id] = p.figure("staff.offices."+id, s.Offices[id], 0, inf, "the office's counter staff")
		}
	}
	m.Staff.CostPerYear = p.figure("staff.cost_per_year", s.CostPerYear, 0, inf, "the yearly cost of one staff member, yen")
	m.Staff.WorkloadPerStaff = p.positive("staff.workload_per_staff", s.WorkloadPerStaff, "counter transactions one staff member handles in a year")
	m.Staff.MinimumFull = p.figure("staff.minimum.full", s.Minimum.Full, 0, inf, "the least staff of an office with full counter service")
	m.Staff.MinimumCorner = p.figure("staff.minimum.corner", s.Minimum.Corner, 0, inf, "the least staff of a service corner")

	switch Trend(f.Forecast.Trend) {
	case TrendFlat, TrendLinear, TrendExponential:
		m.Forecast.Trend = Trend(f.Forecast.Trend)
	default:
		p.fail("forecast.trend", "%q: want flat, linear or exponential", f.Forecast.Trend)
	}
	m.Forecast.HoldCityTotal = f.Forecast.HoldCityTotal != nil && *f.Forecast.HoldCityTotal
	m.Forecast.TargetYear = p.year("forecast.target_year", f.Forecast.TargetYear, true)
	if m.Forecast.TargetYear != 0 && m.ReferenceYear != 0 && m.Forecast.TargetYear < m.ReferenceYear {
		p.fail("forecast.target_year", "%d is before the reference year %d", m.Forecast.TargetYear, m.ReferenceYear)
	}
	m.Forecast.ThresholdPerStaff = p.figure("forecast.threshold_per_staff", f.Forecast.ThresholdPerStaff, 0, inf, "counter transactions per staff member below which an office is flagged")

	m.Access.WithinKm = p.positive("accessibility.within_km", f.Access.WithinKm, "the distance within which a certificate point counts as available, km")
	if f.Access.At == "" {
		p.fail("accessibility.at", "missing: give a time of the week such as \"Sat 10:00\"")
	} else if t, err := ParseWeekTime(f.Access.At); err != nil {
		p.fail("accessibility.at", "%v", err)
	} else {
		m.Access.At = t
	}

	pf := f.Plans
	m.PlanFigures.CounterCost = p.figure("plan_figures.counter_cost", pf.CounterCost, 0, inf, "the plan's cost per certificate at a counter, yen")
	m.PlanFigures.StoreCost = p.figure("plan_figures.store_cost", pf.StoreCost, 0, inf, "the plan's cost per certificate at a store, yen")
	m.PlanFigures.StoreShare = p.figure("plan_figures.store_share", pf.StoreShare, 0, 1, "the store share of certificates the plan's store cost is estimated at")
	if pf.StoreShare != nil && pf.StoreShare.Value == 0 {
		p.fail("plan_figures.store_share", "0: the store cost needs a store share above 0")
	}
	m.PlanFigures.CounterCostNotReorganised = p.figure("plan_figures.counter_cost_not_reorganised", pf.CounterCostNotReorganised, 0, inf, "the plan's counter cost per certificate without reorganisation, yen")
	return m
}

// StoreShare is the share (0..1) of certificates printed at stores in
// fiscal year y: card adoption × the card holders' store share, 0 before
// the store service starts.
func (m *ServiceModel) StoreShare(y int) float64 {
	if y < m.Store.FromYear || len(m.Adoption.CardAdoption) == 0 {
		return 0
	}
	a := 0.0
	for _, yf := range m.Adoption.CardAdoption {
		if yf.Year <= y {
			a = yf.Value
		}
	}
	return a * m.Adoption.StoreShare.Value
}

// LinkageShare is what linkage leaves (0..1) of certificate volume in
// fiscal year y (April y to March y+1): 1 before it starts, Factor once it
// acts all year, in proportion to its months in the year it starts.
func (m *ServiceModel) LinkageShare(y int) float64 {
	start := m.Linkage.FromYear*12 + m.Linkage.FromMonth - 1 // months since year 0
	end := y*12 + 3 + 12                                     // April y + 12 months
	months := math.Max(0, math.Min(12, float64(end-start)))
	return 1 - (1-m.Linkage.Factor.Value)*months/12
}

// StaffOf is today's counter staff of an office (its own figure, else its
// kind's); kind is "ward", "branch" or "corner".
func (m *ServiceModel) StaffOf(id, kind string) float64 {
	if f, ok := m.Staff.Offices[id]; ok {
		return f.Value
	}
	return m.Staff.PerKind[kind].Value
}

// CounterHours are the counter hours of an office: its own, else the
// counters'.
func (m *ServiceModel) CounterHours(id string) WeekHours {
	if h, ok := m.Counter.OfficeHours[id]; ok {
		return h
	}
	return m.Counter.Hours
}
