package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/locate"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
)

var errNoYears = errors.New("the model gives no fiscal year")

// optimizeRequest asks which K offices to keep.
type optimizeRequest struct {
	// K is the number of open offices, kept ones included.
	K *float64 `json:"k"`
	// Model is pmedian (""), pcenter or mclp.
	Model string `json:"model"`
	// KeepKind keeps every office of a kind open ("ward", "branch" or
	// "" for none), as `optimize --keep-kind`.
	KeepKind string `json:"keep_kind"`
	// ServiceKm (ServiceMin under travel time) is MCLP's service limit.
	ServiceKm  *float64 `json:"service_km"`
	ServiceMin *float64 `json:"service_min"`
	// TimeLimitS bounds the solve, seconds (0: Options.SolveLimit).
	TimeLimitS *float64 `json:"time_limit_s"`
}

// optimizeResponse is the plan in the form `catchment optimize --format
// json` writes, without the assignment rows, and the bounds it ran under.
type optimizeResponse struct {
	render.Plan
	Assignment  []render.PlanRow `json:"assignment,omitempty"`
	TimeLimitS  float64          `json:"time_limit_s"`
	KeptOffices int              `json:"kept_offices"`
	Candidates  int              `json:"candidates"`
}

// handleOptimize solves a location model on the study: the same
// locate.FromStudy and locate.Solve calls `catchment optimize` makes.
// One solve runs at a time; a client that goes away stops its solve.
func (s *Server) handleOptimize(w http.ResponseWriter, r *http.Request) {
	var req optimizeRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body", "the request body is larger than %d bytes", s.opt.MaxBody)
			return
		}
		field := "body"
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field != "" {
			field = typ.Field
		}
		writeError(w, http.StatusBadRequest, field, "the request body is not an optimiser request: %v", err)
		return
	}
	model := locate.PMedian
	if req.Model != "" {
		m, err := locate.ParseModel(req.Model)
		if err != nil || m == locate.LSCP {
			writeError(w, http.StatusBadRequest, "model", "model %q: want pmedian, pcenter or mclp", req.Model)
			return
		}
		model = m
	}
	var kind data.OfficeKind
	switch req.KeepKind {
	case "":
	case string(data.Ward), string(data.Branch):
		kind = data.OfficeKind(req.KeepKind)
	default:
		writeError(w, http.StatusBadRequest, "keep_kind", "keep_kind %q: want ward, branch or empty", req.KeepKind)
		return
	}
	limit := s.opt.SolveLimit
	if req.TimeLimitS != nil {
		v := *req.TimeLimitS
		if !(v > 0) || time.Duration(v*float64(time.Second)) > s.opt.SolveLimit {
			writeError(w, http.StatusBadRequest, "time_limit_s", "time_limit_s %v is not between 0 and %g seconds", v, s.opt.SolveLimit.Seconds())
			return
		}
		limit = time.Duration(v * float64(time.Second))
	}
	quantity := s.study.Metric().Quantity()
	var svc float64
	if model == locate.MCLP {
		field, v, scale := "service_km", req.ServiceKm, 1000.0
		if quantity == catchment.Time {
			field, v, scale = "service_min", req.ServiceMin, 60
		}
		if v == nil || !(*v > 0) || math.IsInf(*v, 0) {
			writeError(w, http.StatusBadRequest, field, "mclp needs %s, a positive number", field)
			return
		}
		svc = *v * scale
	}
	pb, err := locate.FromStudy(s.study, locate.StudyOptions{KeepKind: kind})
	if err != nil {
		writeError(w, http.StatusBadRequest, "keep_kind", "%v", err)
		return
	}
	if req.K == nil {
		writeError(w, http.StatusBadRequest, "k", "k is missing: the number of offices to keep open")
		return
	}
	k := *req.K
	switch {
	case k != math.Trunc(k):
		writeError(w, http.StatusBadRequest, "k", "k %v is not a whole number", k)
		return
	case k > float64(len(pb.Sites)):
		writeError(w, http.StatusBadRequest, "k", "k = %v is more than the %d offices", k, len(pb.Sites))
		return
	case k < float64(len(pb.Kept)) || k < 1:
		writeError(w, http.StatusBadRequest, "k", "k = %v is fewer than %s", k, keptWords(len(pb.Kept), kind))
		return
	}
	select {
	case s.solving <- struct{}{}:
		defer func() { <-s.solving }()
	case <-r.Context().Done():
		return
	}
	sol, err := locate.Solve(r.Context(), pb, locate.Options{Model: model, K: int(k), Service: svc, TimeLimit: limit})
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "", "optimise: %v", err)
		return
	}
	plan := render.PlanOf(pb, sol, quantity, s.study.Metric().Name())
	plan.Assignment = nil
	out := optimizeResponse{Plan: plan, TimeLimitS: limit.Seconds(), KeptOffices: len(pb.Kept), Candidates: len(pb.Sites)}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// keptWords says how many offices are kept, for an error.
func keptWords(n int, kind data.OfficeKind) string {
	if kind == "" {
		return "1 office"
	}
	return fmt.Sprintf("the %d %s offices kept (keep_kind), which count in k", n, kind)
}
