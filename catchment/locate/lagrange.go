package locate

import (
	"math"
	"slices"
	"time"
)

// lagrangian is the relaxation of the core that drops "every demand is
// served exactly once" into the objective with multipliers λ (Beasley
// 1993): for fixed λ the bound
//
//	L(λ) = Σ_i λ_i + Σ_i min(0, fb_i − λ_i) + Σ_{j ∈ Y} ρ_j,  ρ_j = Σ_i min(0, c_ij − λ_i)
//
// is a lower bound of the optimum, Y being the p sites with the most
// negative ρ (among those a branch allows). Subgradient steps raise it
// towards the linear programme's value.
type lagrangian struct {
	c      *core
	status []int8 // per site: 0 free, 1 forced open, -1 closed
	lambda []float64
	rho    []float64
	order  []int32 // free sites, by ρ ascending, after eval
	inY    []bool
	g      []float64
	forced int // sites forced open
	q      int // free sites Y takes: p − forced
	// deadline ends an ascent early (zero: none).
	deadline time.Time
}

func newLagrangian(c *core, status []int8, lambda []float64) *lagrangian {
	lg := &lagrangian{c: c, status: status, lambda: lambda, rho: make([]float64, c.m),
		inY: make([]bool, c.m), g: make([]float64, c.n)}
	lg.setStatus(status)
	return lg
}

// setStatus sets which sites are forced open and closed.
func (lg *lagrangian) setStatus(status []int8) {
	lg.status = status
	lg.order = lg.order[:0]
	lg.forced = 0
	for j, st := range status {
		switch st {
		case 1:
			lg.forced++
		case 0:
			lg.order = append(lg.order, int32(j))
		}
	}
	lg.q = lg.c.p - lg.forced
}

// initLambda sets λ_i between the costs of demand i's nearest and second
// nearest open site of a good solution: there the relaxation already
// serves it once.
func initLambda(c *core, s *swapper) []float64 {
	l := make([]float64, c.n)
	for i := range l {
		l[i] = (s.c1[i] + s.c2[i]) / 2
	}
	return l
}

// eval computes L(λ), Y and the subgradient g.
func (lg *lagrangian) eval() float64 {
	c := lg.c
	clear(lg.rho)
	base := c.offset
	for i := 0; i < c.n; i++ {
		l := lg.lambda[i]
		base += l
		if c.fb[i] < l {
			base += c.fb[i] - l
		}
		for k := c.start[i]; k < c.start[i+1]; k++ {
			d := c.cost[k]
			if d >= l {
				break
			}
			lg.rho[c.site[k]] += d - l
		}
	}
	slices.SortFunc(lg.order, func(a, b int32) int {
		ra, rb := lg.rho[a], lg.rho[b]
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return int(a - b)
	})
	clear(lg.inY)
	L := base
	for j, st := range lg.status {
		if st == 1 {
			lg.inY[j] = true
			L += lg.rho[j]
		}
	}
	for k := 0; k < lg.q && k < len(lg.order); k++ {
		j := lg.order[k]
		lg.inY[j] = true
		L += lg.rho[j]
	}
	for i := 0; i < c.n; i++ {
		l := lg.lambda[i]
		g := 1.0
		if c.fb[i] < l {
			g--
		}
		for k := c.start[i]; k < c.start[i+1]; k++ {
			if c.cost[k] >= l {
				break
			}
			if lg.inY[c.site[k]] {
				g--
			}
		}
		lg.g[i] = g
	}
	return L
}

// rhoAt is ρ of the k-th free site in order (0 beyond the list: a site
// serving nobody).
func (lg *lagrangian) rhoAt(k int) (float64, bool) {
	if k < 0 || k >= len(lg.order) {
		return 0, false
	}
	return lg.rho[lg.order[k]], true
}

// ascent runs subgradient steps from the current λ for at most iters
// steps, aiming at the incumbent ub (which *ub the callback may lower),
// and leaves the best λ found in lg.lambda with its bound. primal is
// called with Y now and then to try it as a solution. It stops early
// when the bound prunes against the incumbent.
func (lg *lagrangian) ascent(iters int, pi float64, ub *float64, primal func(inY []bool)) (best float64, finalPi float64) {
	c := lg.c
	best = math.Inf(-1)
	bestLambda := slices.Clone(lg.lambda)
	stall := 0
	const stallLimit = 12
	for it := 0; it < iters; it++ {
		L := lg.eval()
		if L > best+1e-12*math.Abs(L) {
			best = L
			copy(bestLambda, lg.lambda)
			stall = 0
		} else {
			stall++
			if stall >= stallLimit {
				pi /= 2
				stall = 0
			}
		}
		if primal != nil && (it%10 == 0 || it == iters-1) {
			primal(lg.inY)
		}
		if c.prunes(best, *ub) || pi < 1e-4 {
			break
		}
		if it%32 == 31 && !lg.deadline.IsZero() && time.Now().After(lg.deadline) {
			break
		}
		norm := 0.0
		for _, g := range lg.g {
			norm += g * g
		}
		if norm == 0 {
			// Y serves every demand exactly once: L is its cost, and
			// nothing in this branch is better.
			if primal != nil {
				primal(lg.inY)
			}
			break
		}
		target := *ub
		if math.IsInf(target, 1) || target <= L {
			target = L + math.Max(1, 0.01*math.Abs(L))
		}
		t := pi * (target - L) / norm
		for i, g := range lg.g {
			if g == 0 {
				continue
			}
			v := lg.lambda[i] + t*g
			lg.lambda[i] = math.Min(math.Max(v, 0), c.fb[i])
		}
	}
	copy(lg.lambda, bestLambda)
	return best, pi
}
