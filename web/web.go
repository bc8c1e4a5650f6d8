// Package web serves the live what-if page: one page and a small JSON API
// over one in-memory catchment.Study. A planner clicks an office to cycle it
// open → service corner → closed and sees at once which districts move, how
// much farther their residents travel and where the counter load goes.
// Every asset is embedded; the page works offline. Handlers never write a
// file unless an export is asked to be saved, and then only under
// Options.OutDir.
package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"io/fs"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

//go:embed static
var static embed.FS

// Options set what the page shows and allows.
type Options struct {
	// MaxKm is the distance rule: districts farther than this from full
	// counter service are counted (0: catchment.DefaultMaxKm).
	MaxKm float64
	// CertificateShare is the part of a service corner's counter load it
	// keeps (0..1).
	CertificateShare float64
	// Tiles is an optional base-map URL template ({z}/{x}/{y}); "" draws
	// our layers on a plain background, offline.
	Tiles string
	// OutDir is where exports may be saved on request; "" refuses saving.
	OutDir string
	// MaxBody bounds request bodies in bytes (0: 1 MiB).
	MaxBody int64
	// Fonts draw the exported PNG maps (nil: romanised labels only).
	Fonts *draw.Fonts
	// Service is the certificate service model shown for each scenario
	// (nil: none; ServiceMissing then says what is missing, on the page).
	Service        *Service
	ServiceMissing string
	// SolveLimit bounds each optimiser solve (0: 10 s); a request may
	// ask for less.
	SolveLimit time.Duration
}

// Server is the page and its API over one study. It is safe for
// concurrent use: each request computes its own comparison.
type Server struct {
	study  *catchment.Study
	whatIf *catchment.WhatIf
	gaps   []catchment.GapRow
	opt    Options
	mux    *http.ServeMux

	studyJSON, districtsJSON, storesJSON, postsJSON []byte

	// solving admits one optimiser solve at a time.
	solving chan struct{}

	serviceOnce sync.Once
	serviceBase *service.Analysis
	serviceErr  error

	eachOnce sync.Once
	eachJSON []byte
	eachErr  error
}

// New prepares the page for a study: the baseline, the layers and the
// office colours are computed once.
func New(s *catchment.Study, opt Options) (*Server, error) {
	if opt.MaxKm == 0 {
		opt.MaxKm = catchment.DefaultMaxKm
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.SolveLimit <= 0 {
		opt.SolveLimit = 10 * time.Second
	}
	if opt.Service != nil && (opt.Service.Model == nil || opt.Service.HoursMetric == nil || !(opt.Service.HoursLimit > 0)) {
		return nil, fmt.Errorf("web: the service model needs a model, an hours metric and a limit > 0")
	}
	if math.IsNaN(opt.MaxKm) || opt.MaxKm < 0 || math.IsInf(opt.MaxKm, 0) {
		return nil, fmt.Errorf("web: distance rule %g km is not a distance ≥ 0", opt.MaxKm)
	}
	if !(opt.CertificateShare >= 0 && opt.CertificateShare <= 1) {
		return nil, fmt.Errorf("web: certificate share %g is not between 0 and 1", opt.CertificateShare)
	}
	w, err := s.WhatIf()
	if err != nil {
		return nil, err
	}
	srv := &Server{study: s, whatIf: w, opt: opt, mux: http.NewServeMux(), solving: make(chan struct{}, 1)}
	ds := s.Dataset()
	if len(ds.Stores)+len(ds.Posts) > 0 {
		if srv.gaps, err = s.Gaps(); err != nil {
			return nil, err
		}
	}
	base := w.Baseline()
	feats := render.DistrictFeatures(base, srv.gaps)
	if srv.districtsJSON, err = geojson("districts", feats); err != nil {
		return nil, err
	}
	points := func(name string, ps []data.ServicePoint) ([]byte, error) {
		fs := make([]vector.Feature, len(ps))
		for i, p := range ps {
			fs[i] = vector.Feature{ID: p.ID, Geometry: p.Location, Properties: []vector.Property{{"id", p.ID}, {"name", p.Name}}}
		}
		return geojson(name, fs)
	}
	if srv.storesJSON, err = points("stores", ds.Stores); err != nil {
		return nil, err
	}
	if srv.postsJSON, err = points("posts", ds.Posts); err != nil {
		return nil, err
	}
	if srv.studyJSON, err = srv.describe(); err != nil {
		return nil, err
	}
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(sub)
	srv.mux.Handle("GET /static/", http.StripPrefix("/static/", files))
	srv.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := fs.ReadFile(sub, "index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	srv.mux.HandleFunc("GET /api/study", srv.raw(srv.studyJSON, "application/json"))
	srv.mux.HandleFunc("GET /api/districts.geojson", srv.raw(srv.districtsJSON, "application/geo+json"))
	srv.mux.HandleFunc("GET /api/stores.geojson", srv.raw(srv.storesJSON, "application/geo+json"))
	srv.mux.HandleFunc("GET /api/posts.geojson", srv.raw(srv.postsJSON, "application/geo+json"))
	srv.mux.HandleFunc("POST /api/whatif", srv.handleWhatIf)
	srv.mux.HandleFunc("POST /api/service", srv.handleService)
	srv.mux.HandleFunc("POST /api/optimize", srv.handleOptimize)
	srv.mux.HandleFunc("GET /api/each", srv.handleEach)
	srv.mux.HandleFunc("GET /api/scenario.yaml", srv.handleScenarioDownload)
	srv.mux.HandleFunc("POST /api/scenario", srv.handleScenarioUpload)
	srv.mux.HandleFunc("GET /api/export/{file}", srv.handleExport)
	return srv, nil
}

// ServeHTTP serves the page and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

func geojson(name string, fs []vector.Feature) ([]byte, error) {
	var b bytes.Buffer
	if err := vector.WriteGeoJSON(&b, name, fs); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (s *Server) raw(b []byte, typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", typ)
		w.Write(b)
	}
}

// officeJSON is an office as the page knows it.
type officeJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	NameEn       string   `json:"name_en"`
	Kind         string   `json:"kind"`
	Ward         string   `json:"ward"`
	Lon          float64  `json:"lon"`
	Lat          float64  `json:"lat"`
	CounterCount *float64 `json:"counter_count"`
	Colour       string   `json:"colour"`
}

// describe is the study as the page first loads it.
func (s *Server) describe() ([]byte, error) {
	colours := render.OfficeColours(s.study.Offices())
	ds := s.study.Dataset()
	var offices []officeJSON
	for _, o := range s.study.Offices() {
		col := colours[o.ID]
		if col == "" {
			col = "#cccccc"
		}
		offices = append(offices, officeJSON{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Ward: o.Ward,
			Lon: o.Location[0], Lat: o.Location[1], CounterCount: o.CounterCount, Colour: col})
	}
	var synthetic []string
	for l, ok := range ds.Synthetic {
		if ok {
			synthetic = append(synthetic, string(l))
		}
	}
	base := s.whatIf.Baseline()
	return json.Marshal(map[string]any{
		"metric": s.study.Metric().Name(), "max_km": s.opt.MaxKm, "certificate_share": s.opt.CertificateShare,
		"offices": offices, "districts": len(s.study.Districts()), "population": base.Population,
		"synthetic": synthetic, "source": render.SourceLine(ds), "tiles": s.opt.Tiles,
		"can_save": s.opt.OutDir != "", "gaps_known": s.gaps != nil,
		"service": s.serviceStatus(), "quantity": s.study.Metric().Quantity(),
		"solve_limit_s": s.opt.SolveLimit.Seconds(),
	})
}

// apiError is the body of a refused request.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, code int, field, format string, a ...any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(apiError{Error: fmt.Sprintf(format, a...), Field: field})
}

// request is a scenario as the page sends it.
type request struct {
	Close            []string      `json:"close"`
	Downgrade        []string      `json:"downgrade"`
	Open             []openRequest `json:"open"`
	MaxKm            *float64      `json:"max_km"`
	CertificateShare *float64      `json:"certificate_share"`
}

type openRequest struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Kind string  `json:"kind"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// change checks a request and turns it into a change and its options.
func (s *Server) change(req request) (catchment.Change, catchment.CompareOptions, *apiError) {
	opt := catchment.CompareOptions{MaxKm: s.opt.MaxKm, CertificateShare: s.opt.CertificateShare, Coverage: s.gaps}
	if req.MaxKm != nil {
		if v := *req.MaxKm; math.IsNaN(v) || v < 0 || v > 1000 {
			return catchment.Change{}, opt, &apiError{Error: fmt.Sprintf("max_km %v is not between 0 and 1000", v), Field: "max_km"}
		}
		opt.MaxKm = *req.MaxKm
	}
	if req.CertificateShare != nil {
		if v := *req.CertificateShare; !(v >= 0 && v <= 1) {
			return catchment.Change{}, opt, &apiError{Error: fmt.Sprintf("certificate_share %v is not between 0 and 1", v), Field: "certificate_share"}
		}
		opt.CertificateShare = *req.CertificateShare
	}
	known := map[string]bool{}
	for _, o := range s.study.Offices() {
		known[o.ID] = true
	}
	for _, f := range []struct {
		name string
		ids  []string
	}{{"close", req.Close}, {"downgrade", req.Downgrade}} {
		for i, id := range f.ids {
			if !known[id] {
				return catchment.Change{}, opt, &apiError{Error: fmt.Sprintf("unknown office id %q", id), Field: fmt.Sprintf("%s[%d]", f.name, i)}
			}
		}
	}
	ch := catchment.Change{Name: describeChange(req.Close, req.Downgrade, req.Open), Close: req.Close, Downgrade: req.Downgrade}
	for i, o := range req.Open {
		field := fmt.Sprintf("open[%d]", i)
		switch {
		case o.ID == "" || known[o.ID]:
			return catchment.Change{}, opt, &apiError{Error: fmt.Sprintf("new office id %q is empty or taken", o.ID), Field: field + ".id"}
		case math.IsNaN(o.Lat) || math.Abs(o.Lat) > 90 || math.IsNaN(o.Lon) || math.Abs(o.Lon) > 180:
			return catchment.Change{}, opt, &apiError{Error: "the position is not a latitude and a longitude in degrees", Field: field}
		}
		kind := data.Branch
		if o.Kind == string(data.Ward) {
			kind = data.Ward
		}
		name := o.Name
		if name == "" {
			name = o.ID
		}
		ch.Open = append(ch.Open, data.Office{ID: o.ID, Name: name, Kind: kind, Location: [2]float64{o.Lon, o.Lat}, Source: "what-if page"})
	}
	return ch, opt, nil
}

// describeChange names a change.
func describeChange(closed, down []string, open []openRequest) string {
	var parts []string
	if len(closed) > 0 {
		parts = append(parts, "close "+strings.Join(closed, ", "))
	}
	if len(down) > 0 {
		parts = append(parts, "downgrade "+strings.Join(down, ", "))
	}
	if len(open) > 0 {
		var ids []string
		for _, o := range open {
			ids = append(ids, o.ID)
		}
		parts = append(parts, "open "+strings.Join(ids, ", "))
	}
	if len(parts) == 0 {
		return "every office open"
	}
	return strings.Join(parts, "; ")
}

// readRequest decodes a JSON scenario body, bounded in size.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (request, bool) {
	var req request
	body := http.MaxBytesReader(w, r.Body, s.opt.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body", "the request body is larger than %d bytes", s.opt.MaxBody)
			return req, false
		}
		writeError(w, http.StatusBadRequest, "body", "the request body is not a scenario: %v", err)
		return req, false
	}
	return req, true
}

// queryRequest reads a scenario from query parameters: close=a,b&downgrade=c.
func queryRequest(r *http.Request) request {
	split := func(s string) []string {
		var out []string
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	q := r.URL.Query()
	req := request{Close: split(q.Get("close")), Downgrade: split(q.Get("downgrade"))}
	if v := q.Get("max_km"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			req.MaxKm = &f
		} else {
			nan := math.NaN()
			req.MaxKm = &nan
		}
	}
	return req
}

// compare runs a checked request.
func (s *Server) compare(w http.ResponseWriter, req request) (catchment.Comparison, bool) {
	ch, opt, bad := s.change(req)
	if bad != nil {
		writeError(w, http.StatusBadRequest, bad.Field, "%s", bad.Error)
		return catchment.Comparison{}, false
	}
	c, err := s.whatIf.Compare(ch, opt)
	if err != nil {
		var unknown *catchment.UnknownOfficeError
		field := ""
		if errors.As(err, &unknown) {
			field = "close"
		}
		writeError(w, http.StatusBadRequest, field, "%v", err)
		return catchment.Comparison{}, false
	}
	return c, true
}

// officeID is the office's id, "" for none.
func officeID(o *data.Office) string {
	if o == nil {
		return ""
	}
	return o.ID
}

// tableJSON is a table as an array of objects.
func tableJSON(t vector.Table) json.RawMessage {
	var b bytes.Buffer
	if err := t.WriteJSON(&b); err != nil {
		return json.RawMessage("null")
	}
	return bytes.TrimSpace(b.Bytes())
}

// handleWhatIf compares a scenario with every office open.
func (s *Server) handleWhatIf(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	c, ok := s.compare(w, req)
	if !ok {
		return
	}
	stages := []catchment.StageComparison{{Stage: 1, Comparison: c}}
	summary := render.WhatIfSummaryTable(stages)
	row := map[string]any{}
	for i, col := range summary.Columns {
		row[col] = summary.Rows[0][i]
	}
	// Only the districts whose office changed: at 19,000 districts the
	// full list would dominate the response.
	reassigned := map[string]any{}
	for i, d := range c.Districts {
		if officeID(d.Before) != officeID(d.After) {
			var id any
			if d.After != nil {
				id = d.After.ID
			}
			reassigned[strconv.Itoa(i)] = id
		}
	}
	// Only the offices whose status or load changes.
	changed := c
	changed.Offices = nil
	for _, o := range c.Offices {
		if o.Status != catchment.StatusOpen || o.DistrictsAfter != o.DistrictsBefore || o.CounterShiftedIn != 0 {
			changed.Offices = append(changed.Offices, o)
		}
	}
	resp := map[string]any{
		"name":       c.Outcome.Change.Name,
		"summary":    row,
		"reassigned": reassigned,
		"moved":      tableJSON(render.WhatIfDistrictTable(c, true)),
		"offices":    tableJSON(render.WhatIfOfficeTable(changed)),
		"rule":       catchment.CounterRule,
	}
	b, err := json.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Compute-Ms", strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64))
	w.Write(b)
}

// handleEach ranks closing each branch office alone (computed once).
func (s *Server) handleEach(w http.ResponseWriter, r *http.Request) {
	s.eachOnce.Do(func() {
		imps, err := s.whatIf.Each(data.Branch, catchment.CompareOptions{MaxKm: s.opt.MaxKm, CertificateShare: s.opt.CertificateShare, Coverage: s.gaps})
		if err != nil {
			s.eachErr = err
			return
		}
		s.eachJSON = tableJSON(render.WhatIfEachTable(imps))
	})
	if s.eachErr != nil {
		writeError(w, http.StatusUnprocessableEntity, "", "%v", s.eachErr)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.eachJSON)
}

// handleScenarioDownload writes the page's scenario as the YAML that
// `catchment whatif --scenario` reads.
func (s *Server) handleScenarioDownload(w http.ResponseWriter, r *http.Request) {
	req := queryRequest(r)
	ch, opt, bad := s.change(req)
	if bad != nil {
		writeError(w, http.StatusBadRequest, bad.Field, "%s", bad.Error)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# What-if scenario from the catchment page (%s metric).\n", s.study.Metric().Name())
	fmt.Fprintf(&b, "# Run it again with: catchment whatif --scenario FILE\n")
	fmt.Fprintf(&b, "name: %s\n", yamlString(ch.Name))
	fmt.Fprintf(&b, "options:\n  max_km: %s\n  certificate_share: %s\n", yamlNumber(opt.MaxKm), yamlNumber(opt.CertificateShare))
	b.WriteString("stages:\n  - name: " + yamlString(ch.Name) + "\n")
	list := func(key string, ids []string) {
		if len(ids) == 0 {
			return
		}
		quoted := make([]string, len(ids))
		for i, id := range ids {
			quoted[i] = yamlString(id)
		}
		fmt.Fprintf(&b, "    %s: [%s]\n", key, strings.Join(quoted, ", "))
	}
	list("close", ch.Close)
	list("downgrade", ch.Downgrade)
	if len(ch.Close)+len(ch.Downgrade) == 0 {
		writeError(w, http.StatusBadRequest, "close", "the scenario changes nothing: close or downgrade an office first")
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="scenario.yaml"`)
	io.WriteString(w, b.String())
}

// yamlString quotes a YAML string (JSON strings are YAML).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func yamlNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// handleScenarioUpload reads a scenario file (YAML or JSON) and returns
// the change of its last stage, for the page to show.
func (s *Server) handleScenarioUpload(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "body", "the scenario file is larger than %d bytes", s.opt.MaxBody)
		return
	}
	format := "yaml"
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		format = "json"
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "scenario." + format
	}
	sc, err := catchment.ParseScenario(bytes.NewReader(body), filepath.Base(name), format)
	if err != nil {
		writeError(w, http.StatusBadRequest, "body", "%v", err)
		return
	}
	changes, err := sc.Changes(s.study.Offices())
	if err != nil {
		writeError(w, http.StatusBadRequest, "body", "%v", err)
		return
	}
	last := changes[len(changes)-1]
	open := make([]openRequest, len(last.Open))
	for i, o := range last.Open {
		open[i] = openRequest{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Lat: o.Location[1], Lon: o.Location[0]}
	}
	stages := make([]string, len(sc.Stages))
	for i, st := range sc.Stages {
		stages[i] = st.Name
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"name": sc.Name, "stages": stages,
		"close": nonNil(last.Close), "downgrade": nonNil(last.Downgrade), "open": open,
		"max_km": sc.Options.MaxKm, "certificate_share": sc.Options.CertificateShare})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// handleExport downloads, or with save=1 saves under OutDir, a file of the
// scenario in the query: whatif.geojson, whatif_after.png (the map after
// the change) or whatif.md.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	c, ok := s.compare(w, queryRequest(r))
	if !ok {
		return
	}
	var b bytes.Buffer
	var typ string
	switch file {
	case "whatif.geojson":
		typ = "application/geo+json"
		if err := vector.WriteGeoJSON(&b, "whatif", render.WhatIfFeatures(c)); err != nil {
			writeError(w, http.StatusInternalServerError, "", "%v", err)
			return
		}
	case "whatif_before.png", "whatif_after.png":
		typ = "image/png"
		before, after := render.WhatIfMaps(s.study.Dataset(), c, s.gaps, render.SourceLine(s.study.Dataset()))
		md := after
		if file == "whatif_before.png" {
			md = before
		}
		opt := draw.MapOptions{Fonts: s.opt.Fonts, NoFont: s.opt.Fonts == nil}
		img, _, err := draw.RenderMap(draw.MapDistance, md, opt)
		if err == nil {
			err = png.Encode(&b, img)
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, "", "map: %v", err)
			return
		}
	case "whatif.md":
		typ = "text/markdown; charset=utf-8"
		b.WriteString("# What-if report\n\n")
		rep := render.WhatIfReport{Scenario: c.Outcome.Change.Name, Stages: []catchment.StageComparison{{Stage: 1, Comparison: c}}}
		if err := render.WriteWhatIfMarkdown(&b, rep); err != nil {
			writeError(w, http.StatusInternalServerError, "", "%v", err)
			return
		}
	default:
		writeError(w, http.StatusNotFound, "file", "no export %q: whatif.geojson, whatif_before.png, whatif_after.png or whatif.md", file)
		return
	}
	if r.URL.Query().Get("save") != "" {
		if s.opt.OutDir == "" {
			writeError(w, http.StatusForbidden, "save", "saving is off: start the server with --out DIR to save exports there")
			return
		}
		path := filepath.Join(s.opt.OutDir, file)
		if err := atomicfile.WriteFile(path, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
			writeError(w, http.StatusInternalServerError, "", "save: %v", err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"saved": path})
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
	w.Write(b.Bytes())
}
