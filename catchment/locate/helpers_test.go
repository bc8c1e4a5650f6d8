package locate

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/orlib"
)

// matrixProblem is the problem of a dense cost matrix: demand d0…, sites
// s0…, extra points x0… (cost[i][j] for sites, xcost[i][e] for extra
// points; +Inf leaves the pair out of the table).
func matrixProblem(tb testing.TB, cost, xcost [][]float64, weights []float64, kept []int) *Problem {
	tb.Helper()
	t := &data.CostTable{Source: "test", HasDistance: true}
	p := &Problem{Weights: weights, Kept: kept}
	for i := range cost {
		p.Demand = append(p.Demand, catchment.Place{ID: fmt.Sprintf("d%d", i), Kind: "district"})
	}
	for j := range cost[0] {
		p.Sites = append(p.Sites, catchment.Place{ID: fmt.Sprintf("s%d", j), Kind: "office"})
	}
	if len(xcost) > 0 {
		for e := range xcost[0] {
			p.Extra = append(p.Extra, catchment.Place{ID: fmt.Sprintf("x%d", e), Kind: "store"})
		}
	}
	for i, row := range cost {
		for j, c := range row {
			if !math.IsInf(c, 1) {
				t.Rows = append(t.Rows, data.CostRow{Origin: p.Demand[i].ID, Dest: p.Sites[j].ID, Cost: c, DistanceM: c})
			}
		}
		if len(xcost) > 0 {
			for e, c := range xcost[i] {
				if !math.IsInf(c, 1) {
					t.Rows = append(t.Rows, data.CostRow{Origin: p.Demand[i].ID, Dest: p.Extra[e].ID, Cost: c, DistanceM: c})
				}
			}
		}
	}
	p.Metric = catchment.NewCostMatrix(t)
	return p
}

// orlibProblem is an OR-Library instance as a problem: every vertex is a
// demand of weight 1 and a candidate site.
func orlibProblem(tb testing.TB, name string) (*Problem, *orlib.Instance) {
	tb.Helper()
	in, err := orlib.Load("../../../shared/data/orlib_pmed/" + name + ".txt")
	if err != nil {
		tb.Skipf("OR-Library data not found (../shared/data/orlib_pmed): %v", err)
	}
	t := &data.CostTable{Source: name, HasDistance: true}
	p := &Problem{}
	for i := 0; i < in.N; i++ {
		id := strconv.Itoa(i + 1)
		p.Demand = append(p.Demand, catchment.Place{ID: id})
		p.Sites = append(p.Sites, catchment.Place{ID: id})
	}
	for i, row := range in.Cost {
		for j, c := range row {
			t.Rows = append(t.Rows, data.CostRow{Origin: p.Demand[i].ID, Dest: p.Sites[j].ID, Cost: c, DistanceM: c})
		}
	}
	p.Metric = catchment.NewCostMatrix(t)
	return p, in
}

func solve(tb testing.TB, p *Problem, opt Options) *Solution {
	tb.Helper()
	s, err := Solve(context.Background(), p, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
