package catchment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/paulmach/orb"
	yaml "go.yaml.in/yaml/v3"
)

// Scenario is a reorganisation plan: stages applied in order, each closing
// offices, downgrading offices to service corners (証明書発行のみ: they issue
// certificates but give no other counter service) or opening new offices.
type Scenario struct {
	Name        string
	Description string
	// Source names where the scenario came from (a file name, or the command
	// line flags); errors about the scenario start with it.
	Source  string
	Stages  []Stage
	Options ScenarioOptions
}

// Stage is one step of a scenario. Its changes add to those of the stages
// before it.
type Stage struct {
	Name      string
	Close     []string      // ids of offices that close
	Downgrade []string      // ids of offices that become service corners
	Open      []data.Office // new offices; their ids must be new
}

// ScenarioOptions are the analysis settings a scenario file may carry; nil
// means "not given" (the caller's default applies).
type ScenarioOptions struct {
	// MaxKm is the distance beyond which a district counts as far from
	// full counter service.
	MaxKm *float64
	// CertificateShare is the fraction (0..1) of a service corner's
	// counter_count that it keeps (certificates); the rest is shifted.
	CertificateShare *float64
	// WithinM counts stores and post offices within this many metres of a
	// district as covering it (0: inside only).
	WithinM *float64
}

// Change is the state of the offices relative to the baseline (every office
// open): which are closed, which are service corners and which are new.
// Changes are cumulative: a stage's Change includes every earlier stage's.
type Change struct {
	Name      string        // a label, such as the stage name
	Close     []string      // ids of closed offices
	Downgrade []string      // ids of service corners (not closed)
	Open      []data.Office // new offices, after the baseline offices in index order
}

// scenarioFile is the file form of a Scenario (YAML or JSON, same keys).
type scenarioFile struct {
	Name        string       `json:"name" yaml:"name"`
	Description string       `json:"description" yaml:"description"`
	Options     *optionsFile `json:"options" yaml:"options"`
	Stages      []stageFile  `json:"stages" yaml:"stages"`
}

type optionsFile struct {
	MaxKm            *float64 `json:"max_km" yaml:"max_km"`
	CertificateShare *float64 `json:"certificate_share" yaml:"certificate_share"`
	WithinM          *float64 `json:"within_m" yaml:"within_m"`
}

type stageFile struct {
	Name      string     `json:"name" yaml:"name"`
	Close     []string   `json:"close" yaml:"close"`
	Downgrade []string   `json:"downgrade" yaml:"downgrade"`
	Open      []openFile `json:"open" yaml:"open"`
}

type openFile struct {
	ID           string   `json:"id" yaml:"id"`
	Name         string   `json:"name" yaml:"name"`
	NameEn       string   `json:"name_en" yaml:"name_en"`
	Kind         string   `json:"kind" yaml:"kind"`
	Ward         string   `json:"ward" yaml:"ward"`
	Lat          *float64 `json:"lat" yaml:"lat"`
	Lon          *float64 `json:"lon" yaml:"lon"`
	CounterCount *float64 `json:"counter_count" yaml:"counter_count"`
}

// maxScenarioBytes bounds a scenario: thousands of stages fit.
const maxScenarioBytes = 64 << 20

// LoadScenario reads a scenario file: YAML (.yaml, .yml) or JSON (.json).
func LoadScenario(path string) (Scenario, error) {
	var format string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		format = "yaml"
	case ".json":
		format = "json"
	default:
		return Scenario{}, &data.InputError{File: path, Message: "unknown scenario format: want a .yaml, .yml or .json file"}
	}
	b, err := data.ReadInput(path)
	if err != nil {
		return Scenario{}, fmt.Errorf("read scenario: %w", err)
	}
	return ParseScenario(bytes.NewReader(b), path, format)
}

// ParseScenario reads a scenario in format "yaml" or "json" from r; source
// names the input in errors. Unknown keys are errors, so that a misspelt
// key does not silently do nothing. Ids are checked against the offices by
// Changes.
func ParseScenario(r io.Reader, source, format string) (Scenario, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxScenarioBytes+1))
	if err != nil {
		return Scenario{}, fmt.Errorf("read scenario %s: %w", source, err)
	}
	if len(b) > maxScenarioBytes {
		return Scenario{}, &data.InputError{File: source, Message: fmt.Sprintf("more than %d MiB: a scenario file is a short list of stages", maxScenarioBytes>>20)}
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return Scenario{}, &data.InputError{File: source, Message: fmt.Sprintf("a NUL byte at byte %d: not a YAML or JSON text file", i)}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	var f scenarioFile
	switch format {
	case "json":
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return Scenario{}, &data.InputError{File: source, Message: jsonProblem(b, err)}
		}
		if dec.More() {
			return Scenario{}, &data.InputError{File: source, Message: "invalid JSON: more than one value"}
		}
	case "yaml":
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			if errors.Is(err, io.EOF) {
				return Scenario{}, &data.InputError{File: source, Message: "empty scenario file"}
			}
			msg := strings.TrimPrefix(err.Error(), "yaml: ")
			msg = yamlUnknownField.ReplaceAllString(msg, "unknown key $1")
			msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
			if line := tabIndented(b); line > 0 {
				msg += fmt.Sprintf(" — line %d is indented with a tab; YAML allows only spaces for indentation", line)
			}
			return Scenario{}, &data.InputError{File: source, Message: "invalid YAML: " + msg}
		}
	default:
		return Scenario{}, fmt.Errorf("scenario %s: unknown format %q: want yaml or json", source, format)
	}
	return f.scenario(source)
}

// yamlUnknownField matches the YAML decoder's message for an unknown key,
// which names a Go type the user does not know.
var yamlUnknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// jsonProblem describes a JSON decoding error with its line number.
func jsonProblem(b []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.EOF) {
		return "empty scenario file"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "invalid JSON: unexpected end of file"
	}
	if off >= 0 && off <= int64(len(b)) {
		line := 1 + bytes.Count(b[:off], []byte("\n"))
		return fmt.Sprintf("invalid JSON at line %d: %s", line, msg)
	}
	return "invalid JSON: " + msg
}

// scenario checks the file's values (ids against offices come later).
func (f scenarioFile) scenario(source string) (Scenario, error) {
	s := Scenario{Name: f.Name, Description: f.Description, Source: source}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(source), filepath.Ext(source))
	}
	bad := func(feature, field, format string, a ...any) error {
		return &data.InputError{File: source, Feature: feature, Field: field, Message: fmt.Sprintf(format, a...)}
	}
	if o := f.Options; o != nil {
		if o.MaxKm != nil && !(*o.MaxKm > 0 && !math.IsInf(*o.MaxKm, 0)) {
			return s, bad("options", "max_km", "must be a positive number of km, got %g", *o.MaxKm)
		}
		if o.CertificateShare != nil && !(*o.CertificateShare >= 0 && *o.CertificateShare <= 1) {
			return s, bad("options", "certificate_share", "must be between 0 and 1, got %g", *o.CertificateShare)
		}
		if o.WithinM != nil && !(*o.WithinM >= 0 && !math.IsInf(*o.WithinM, 0)) {
			return s, bad("options", "within_m", "must be 0 or a positive number of metres, got %g", *o.WithinM)
		}
		s.Options = ScenarioOptions{MaxKm: o.MaxKm, CertificateShare: o.CertificateShare, WithinM: o.WithinM}
	}
	if len(f.Stages) == 0 {
		return s, bad("", "stages", "the scenario has no stages: give a list of stages, each with close, downgrade or open")
	}
	for i, sf := range f.Stages {
		st := Stage{Name: sf.Name, Close: sf.Close, Downgrade: sf.Downgrade}
		where := stageLabel(i, sf.Name)
		for j, of := range sf.Open {
			field := fmt.Sprintf("open[%d]", j)
			if strings.TrimSpace(of.ID) == "" {
				return s, bad(where, field+".id", "a new office needs an id")
			}
			if of.Lat == nil || of.Lon == nil {
				return s, bad(where, field+".lat/lon", "new office %q needs lat and lon (degrees, WGS84)", of.ID)
			}
			if !(*of.Lat >= -90 && *of.Lat <= 90) || !(*of.Lon >= -180 && *of.Lon <= 180) {
				return s, bad(where, field+".lat/lon", "new office %q: lat %g, lon %g are not degrees (lat -90..90, lon -180..180)", of.ID, *of.Lat, *of.Lon)
			}
			kind := data.OfficeKind(of.Kind)
			switch kind {
			case "":
				kind = data.Branch
			case data.Ward, data.Branch:
			default:
				return s, bad(where, field+".kind", "new office %q: kind %q: want ward or branch", of.ID, of.Kind)
			}
			name := of.Name
			if name == "" {
				name = of.ID
			}
			st.Open = append(st.Open, data.Office{
				ID: of.ID, Name: name, NameEn: of.NameEn, Kind: kind, Ward: of.Ward,
				CounterCount: of.CounterCount, Source: "scenario " + source,
				Location: orb.Point{*of.Lon, *of.Lat},
			})
		}
		s.Stages = append(s.Stages, st)
	}
	return s, nil
}

// stageLabel names stage i (0-based) in messages: `stage 2 ("2028")`.
func stageLabel(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("stage %d", i+1)
	}
	return fmt.Sprintf("stage %d (%q)", i+1, name)
}

// Changes applies the stages in order to the offices and returns, per
// stage, the cumulative Change relative to the baseline. It is an error to
// name an unknown office, to close an office already closed, to downgrade
// an office already closed or downgraded, to reuse an id for a new office,
// to give a stage with nothing to do, or to leave no office with full
// counter service (the last includes closing every office).
func (s Scenario) Changes(offices []data.Office) ([]Change, error) {
	known := make(map[string]bool, len(offices))
	for _, o := range offices {
		known[o.ID] = true
	}
	bad := func(feature, field, format string, a ...any) error {
		return &data.InputError{File: s.Source, Feature: feature, Field: field, Message: fmt.Sprintf(format, a...)}
	}
	if len(s.Stages) == 0 {
		return nil, bad("", "stages", "the scenario has no stages")
	}
	closed := map[string]int{}  // id → stage (1-based) that closed it
	corner := map[string]int{}  // id → stage that downgraded it
	opened := map[string]bool{} // ids of new offices
	var open []data.Office      // new offices in order
	var out []Change
	for i, st := range s.Stages {
		where := stageLabel(i, st.Name)
		if len(st.Close)+len(st.Downgrade)+len(st.Open) == 0 {
			return nil, bad(where, "", "the stage closes, downgrades and opens nothing")
		}
		inStage := map[string]string{}
		check := func(field string, j int, id string) error {
			f := fmt.Sprintf("%s[%d]", field, j)
			switch {
			case strings.TrimSpace(id) == "":
				return bad(where, f, "empty office id")
			case !known[id] && !opened[id]:
				return bad(where, f, "unknown office id %q (known ids: %s)", id, knownIDs(offices, open))
			case inStage[id] != "":
				return bad(where, f, "office %q is named twice in this stage (also in %s)", id, inStage[id])
			case closed[id] > 0:
				return bad(where, f, "office %q was already closed in stage %d", id, closed[id])
			}
			inStage[id] = f
			return nil
		}
		// Opening first, so that a stage may open an office and, in the same
		// stage, close the one it replaces.
		for j, o := range st.Open {
			f := fmt.Sprintf("open[%d].id", j)
			if known[o.ID] || opened[o.ID] {
				return nil, bad(where, f, "office id %q is already used: a new office needs a new id (to move an office, close it and open one with a new id)", o.ID)
			}
			opened[o.ID] = true
			open = append(open, o)
		}
		for j, id := range st.Downgrade {
			if err := check("downgrade", j, id); err != nil {
				return nil, err
			}
			if corner[id] > 0 {
				return nil, bad(where, fmt.Sprintf("downgrade[%d]", j), "office %q is already a service corner since stage %d", id, corner[id])
			}
			corner[id] = i + 1
		}
		for j, id := range st.Close {
			if err := check("close", j, id); err != nil {
				return nil, err
			}
			closed[id] = i + 1
			delete(corner, id)
		}
		full := 0
		for _, o := range offices {
			if closed[o.ID] == 0 && corner[o.ID] == 0 {
				full++
			}
		}
		for _, o := range open {
			if closed[o.ID] == 0 && corner[o.ID] == 0 {
				full++
			}
		}
		if full == 0 {
			if len(closed) == len(offices)+len(open) {
				return nil, bad(where, "", "the scenario closes every office (%d): at least one must stay open", len(closed))
			}
			return nil, bad(where, "", "no office with full counter service is left (every office is closed or a service corner)")
		}
		ch := Change{Name: st.Name, Open: append([]data.Office(nil), open...)}
		if ch.Name == "" {
			ch.Name = fmt.Sprintf("stage %d", i+1)
		}
		for _, o := range offices {
			if closed[o.ID] > 0 {
				ch.Close = append(ch.Close, o.ID)
			} else if corner[o.ID] > 0 {
				ch.Downgrade = append(ch.Downgrade, o.ID)
			}
		}
		for _, o := range open {
			if closed[o.ID] > 0 {
				ch.Close = append(ch.Close, o.ID)
			} else if corner[o.ID] > 0 {
				ch.Downgrade = append(ch.Downgrade, o.ID)
			}
		}
		out = append(out, ch)
	}
	return out, nil
}

// officeIDs lists the ids of the offices, then of the new ones.
func officeIDs(offices []data.Office, open []data.Office) []string {
	ids := make([]string, 0, len(offices)+len(open))
	for _, o := range offices {
		ids = append(ids, o.ID)
	}
	for _, o := range open {
		ids = append(ids, o.ID)
	}
	return ids
}

// knownIDs lists the office ids for an error message.
func knownIDs(offices []data.Office, open []data.Office) string {
	return listIDs(officeIDs(offices, open))
}

// tabIndented is the first line (from 1) whose indentation holds a tab, or 0.
func tabIndented(b []byte) int {
	for i, line := range bytes.Split(b, []byte("\n")) {
		indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 {
			return i + 1
		}
	}
	return 0
}
