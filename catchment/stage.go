package catchment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"

	yaml "go.yaml.in/yaml/v3"
)

// stageOneByOne is the number of closures up to which StageClosures
// stages them one at a time, choosing each against the ones before.
const stageOneByOne = 20

// StageClosures orders the closure of the offices ids by least impact:
// up to 20 offices one per stage, each the office whose closure, on top
// of those before, adds the least (population × distance to full counter
// service, as Each ranks; person-hours when only times are known); more
// are ranked by the impact of closing each alone and grouped into at most
// 10 stages of nearly equal size.
func (w *WhatIf) StageClosures(ids []string) ([][]string, error) {
	for _, id := range ids {
		if _, ok := w.ids[id]; !ok {
			return nil, fmt.Errorf("stage closures: %w", &UnknownOfficeError{ID: id, Known: officeIDs(w.offices, nil)})
		}
	}
	left := slices.Clone(ids)
	if len(left) <= stageOneByOne {
		var stages [][]string
		var closed []string
		for len(left) > 0 {
			best, bestKey := -1, math.Inf(1)
			for k, id := range left {
				key, err := w.closureImpact(append(slices.Clone(closed), id))
				if err != nil {
					return nil, err
				}
				if key < bestKey || (key == bestKey && id < left[best]) || best < 0 {
					best, bestKey = k, key
				}
			}
			closed = append(closed, left[best])
			stages = append(stages, []string{left[best]})
			left = slices.Delete(left, best, best+1)
		}
		return stages, nil
	}
	keys := make([]float64, len(left))
	err := parallelFor(len(left), func(k int) error {
		var err error
		keys[k], err = w.closureImpact([]string{left[k]})
		return err
	})
	if err != nil {
		return nil, err
	}
	order := make([]int, len(left))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		if keys[order[a]] != keys[order[b]] {
			return keys[order[a]] < keys[order[b]]
		}
		return left[order[a]] < left[order[b]]
	})
	const most = 10
	per := (len(left) + most - 1) / most
	var stages [][]string
	for k := 0; k < len(order); k += per {
		var st []string
		for _, o := range order[k:min(k+per, len(order))] {
			st = append(st, left[o])
		}
		stages = append(stages, st)
	}
	return stages, nil
}

// closureImpact is what closing the offices adds, as Each ranks it.
func (w *WhatIf) closureImpact(closed []string) (float64, error) {
	out, err := w.apply(Change{Close: closed})
	if err != nil {
		return 0, err
	}
	return w.summarise(out, nil, nil, CompareOptions{}).impactKey(), nil
}

// scenarioOut is the file form of a scenario as EncodeScenario writes it:
// the keys ParseScenario reads, empty ones left out.
type scenarioOut struct {
	Name        string       `json:"name" yaml:"name"`
	Description string       `json:"description,omitempty" yaml:"description,omitempty"`
	Options     *optionsFile `json:"options,omitempty" yaml:"options,omitempty"`
	Stages      []stageOut   `json:"stages" yaml:"stages"`
}

type stageOut struct {
	Name      string     `json:"name,omitempty" yaml:"name,omitempty"`
	Close     []string   `json:"close,omitempty" yaml:"close,flow,omitempty"`
	Downgrade []string   `json:"downgrade,omitempty" yaml:"downgrade,flow,omitempty"`
	Open      []openFile `json:"open,omitempty" yaml:"open,omitempty"`
}

// EncodeScenario writes a scenario in format "yaml" or "json", in the
// form LoadScenario reads.
func EncodeScenario(w io.Writer, s Scenario, format string) error {
	f := scenarioOut{Name: s.Name, Description: s.Description}
	if o := s.Options; o.MaxKm != nil || o.CertificateShare != nil || o.WithinM != nil {
		f.Options = &optionsFile{MaxKm: o.MaxKm, CertificateShare: o.CertificateShare, WithinM: o.WithinM}
	}
	for _, st := range s.Stages {
		so := stageOut{Name: st.Name, Close: st.Close, Downgrade: st.Downgrade}
		for _, o := range st.Open {
			lon, lat := o.Location[0], o.Location[1]
			so.Open = append(so.Open, openFile{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Ward: o.Ward,
				Lat: &lat, Lon: &lon, CounterCount: o.CounterCount})
		}
		f.Stages = append(f.Stages, so)
	}
	var b bytes.Buffer
	switch format {
	case "yaml":
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(f); err != nil {
			return fmt.Errorf("encode scenario: %w", err)
		}
		if err := enc.Close(); err != nil {
			return fmt.Errorf("encode scenario: %w", err)
		}
	case "json":
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f); err != nil {
			return fmt.Errorf("encode scenario: %w", err)
		}
	default:
		return fmt.Errorf("encode scenario: unknown format %q: want yaml or json", format)
	}
	_, err := w.Write(b.Bytes())
	return err
}
