package locate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// result is what solving a core gives.
type result struct {
	open    []bool
	value   float64 // the objective of open
	bound   float64 // a lower bound of the optimum
	optimal bool    // bound proves value optimal
	nodes   int
}

// coreOptions steer solveCore.
type coreOptions struct {
	deadline time.Time
	// stopBelow ends the search as soon as a solution of value at most
	// this is found (a decision: "can every demand be covered?").
	stopBelow float64
	// cutoff is a value known to be reachable otherwise: nodes that
	// cannot beat it are pruned (+Inf: none).
	cutoff float64
	// starts is the number of random starts of the local search besides
	// the greedy one and the relaxation's.
	starts int
	seed   uint64
}

// solveCore finds the best p sites: local search for a solution, the
// Lagrangian relaxation for a bound, and branch and bound over the sites
// (or enumeration, for few subsets) to prove it optimal, until the
// deadline.
func solveCore(ctx context.Context, c *core, opt coreOptions) result {
	if math.IsNaN(opt.stopBelow) {
		opt.stopBelow = math.Inf(-1)
	}
	if opt.cutoff == 0 {
		opt.cutoff = math.Inf(1)
	}
	// Sites no demand lists serve nobody: they are opened only to make up
	// the count, and take no part in the search.
	useful := make([]bool, c.m)
	nUseful := 0
	for j := 0; j < c.m; j++ {
		if c.rstart[j+1] > c.rstart[j] {
			useful[j] = true
			nUseful++
		}
	}
	if nUseful <= c.p {
		open := slices.Clone(useful)
		fill(open, c.p-nUseful)
		v := c.eval(open)
		return result{open: open, value: v, bound: v, optimal: true}
	}
	status := make([]int8, c.m)
	for j := range status {
		if !useful[j] {
			status[j] = -1
		}
	}
	if n := binomial(nUseful, c.p); n*float64(len(c.cost)+c.n) <= enumerateWork {
		return enumerate(c, useful)
	}
	r := rand.New(rand.NewPCG(opt.seed, 0x9e3779b97f4a7c15))
	b := &bnb{c: c, ctx: ctx, opt: opt, ub: math.Inf(1)}

	// Local search from the greedy solution.
	s := newSwapper(c, make([]bool, c.m), status)
	s.greedy(c.p)
	s.descend(opt.deadline)
	b.offer(s.open, s.obj)
	if b.done() {
		return b.finish()
	}
	// The root relaxation, warm-started from the incumbent; its Y seeds
	// more local search.
	lambda := initLambda(c, s)
	lg := newLagrangian(c, status, lambda)
	lg.deadline = opt.deadline
	ubp := b.ubOrCutoff()
	tried := 0
	primal := func(inY []bool) {
		v := c.eval(inY)
		b.offer(inY, v)
		if tried < 3 && !b.done() {
			tried++
			ls := newSwapper(c, inY, status)
			ls.descend(opt.deadline)
			b.offer(ls.open, ls.obj)
		}
		ubp = b.ubOrCutoff()
	}
	root, pi := lg.ascent(rootIters, 2, &ubp, primal)
	b.bound = root
	for k := 0; k < opt.starts && !b.done() && time.Now().Before(opt.deadline); k++ {
		ls := newSwapper(c, randomOpen(c, status, c.p, r), status)
		ls.descend(opt.deadline)
		b.offer(ls.open, ls.obj)
	}
	if b.done() || c.prunes(root, b.ubOrCutoff()) {
		b.bound = math.Max(b.bound, root)
		b.proven = c.prunes(root, b.ubOrCutoff())
		return b.finish()
	}
	b.pending = []float64{}
	b.search(c, nil, lg.lambda, root, pi, 0)
	if !b.stopped {
		b.proven = true
	}
	return b.finish()
}

// rootIters, nodeIters and nodePi steer the subgradient: iterations at
// the root and at a node, and the step factor a node starts from (a full
// step: a child's problem differs enough from its parent's that small
// steps from the parent's multipliers climb too slowly; measured on the
// OR-Library instances, 2 needs 3 to 20 times fewer nodes than 0.1).
const (
	rootIters = 3000
	nodeIters = 100
	nodePi    = 2.0
)

// enumerateWork is the work (subsets × list entries) up to which every
// subset of p sites is tried instead of branch and bound.
var enumerateWork = 5e7

// fill opens k more closed sites, lowest index first.
func fill(open []bool, k int) {
	for j := range open {
		if k <= 0 {
			return
		}
		if !open[j] {
			open[j] = true
			k--
		}
	}
}

// binomial is n choose k as a float (+Inf when huge).
func binomial(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	k = min(k, n-k)
	v := 1.0
	for i := 1; i <= k; i++ {
		v = v * float64(n-k+i) / float64(i)
		if v > 1e15 {
			return math.Inf(1)
		}
	}
	return math.Round(v)
}

// enumerate tries every subset of p useful sites.
func enumerate(c *core, useful []bool) result {
	var sites []int
	for j, u := range useful {
		if u {
			sites = append(sites, j)
		}
	}
	p := c.p
	idx := make([]int, p)
	for k := range idx {
		idx[k] = k
	}
	open := make([]bool, c.m)
	best := math.Inf(1)
	var bestOpen []bool
	count := 0
	for {
		clear(open)
		for _, k := range idx {
			open[sites[k]] = true
		}
		count++
		if v := c.eval(open); v < best {
			best, bestOpen = v, slices.Clone(open)
		}
		// Next combination.
		k := p - 1
		for k >= 0 && idx[k] == len(sites)-p+k {
			k--
		}
		if k < 0 {
			break
		}
		idx[k]++
		for l := k + 1; l < p; l++ {
			idx[l] = idx[l-1] + 1
		}
	}
	if p == 0 {
		bestOpen = make([]bool, c.m)
		best = c.eval(bestOpen)
	}
	return result{open: bestOpen, value: best, bound: best, optimal: true, nodes: count}
}

// bnb is a depth-first branch and bound over the sites. A node forces
// some sites open and others closed; its core is the reduction of its
// parent's by those fixings (forced sites fold into the fallbacks, closed
// ones leave the lists), so that nodes get cheaper as the tree deepens.
// Its bound is the Lagrangian relaxation, warm-started from its parent's
// multipliers; reduced-cost tests fix more sites at every node.
type bnb struct {
	c      *core // the original core
	ctx    context.Context
	opt    coreOptions
	ub     float64
	open   []bool  // the incumbent, over the original core's sites
	bound  float64 // the root's bound
	proven bool
	nodes  int
	// pending are the bounds of the siblings waiting on the way down,
	// for the bound of an interrupted search.
	pending []float64
	stopped bool
}

// offer records a solution if it is the best so far.
func (b *bnb) offer(open []bool, v float64) {
	if b.open == nil || v < b.ub {
		b.ub, b.open = v, slices.Clone(open)
	}
}

// lifting maps a node's solutions to the original core's: forced are the
// original sites open in the whole subtree, sites the original index of
// each of the node's sites.
type lifting struct {
	forced []bool
	sites  []int32
}

// lift is the original solution of a node's solution.
func (l *lifting) lift(open []bool) []bool {
	out := slices.Clone(l.forced)
	for k, o := range open {
		if o {
			out[l.sites[k]] = true
		}
	}
	return out
}

// child is the lifting of a reduction of the node by status, whose sites
// are the node's listed in sites.
func (l *lifting) child(status []int8, sites []int32) *lifting {
	c := &lifting{forced: slices.Clone(l.forced), sites: make([]int32, len(sites))}
	for j, st := range status {
		if st == 1 {
			c.forced[l.sites[j]] = true
		}
	}
	for k, j := range sites {
		c.sites[k] = l.sites[j]
	}
	return c
}

// search explores the node whose core is c (lift maps its solutions; nil
// at the root, whose λ has converged already) with multipliers lam and a
// bound known to hold.
func (b *bnb) search(c *core, lift *lifting, lam []float64, bound, pi float64, depth int) {
	if lift == nil {
		lift = &lifting{forced: make([]bool, c.m), sites: make([]int32, c.m)}
		for j := range lift.sites {
			lift.sites[j] = int32(j)
		}
	}
	offer := func(open []bool) {
		if v := c.eval(open); b.open == nil || v < b.ub {
			b.offer(lift.lift(open), v)
		}
	}
	if c.p <= 0 || c.p >= c.m || c.n == 0 {
		open := make([]bool, c.m)
		if c.p > 0 {
			fill(open, c.p)
		}
		offer(open)
		return
	}
	if b.done() || b.stopped {
		return
	}
	if b.expired() {
		b.stopped = true
		b.pending = append(b.pending, bound)
		return
	}
	b.nodes++
	status := make([]int8, c.m)
	lg := newLagrangian(c, status, lam)
	lg.deadline = b.opt.deadline
	ub := b.ubOrCutoff()
	primal := func(inY []bool) {
		offer(inY)
		ub = b.ubOrCutoff()
	}
	if depth > 0 {
		iters := nodeIters
		if depth < 4 {
			iters = 3 * nodeIters
		}
		L, npi := lg.ascent(iters, math.Max(pi, nodePi), &ub, primal)
		bound, pi = math.Max(bound, L), npi
	}
	if c.prunes(bound, b.ubOrCutoff()) || b.done() {
		return
	}
	// Fix what the reduced costs decide, and go on in the smaller core.
	// The tests hold for the bound of this λ only, not the inherited one.
	atLambda := lg.eval()
	if b.fix(lg, status, atLambda) {
		r, sites, demands := c.reduce(status)
		b.search(r, lift.child(status, sites), restrict(lg.lambda, demands, r), bound, pi, depth+1)
		return
	}
	if b.nodes%16 == 1 {
		ls := newSwapper(c, lg.inY, nil)
		ls.descend(b.opt.deadline)
		offer(ls.open)
		if c.prunes(bound, b.ubOrCutoff()) {
			return
		}
	}
	j := b.branchSite(lg)
	if j < 0 {
		return
	}
	// Closing a site of Y lifts the bound of this λ at once (not the
	// inherited bound: the swap argument holds at one λ only); opening it
	// does not.
	next, _ := lg.rhoAt(lg.q)
	closedBound := bound
	if lg.inY[j] {
		closedBound = math.Max(bound, atLambda-lg.rho[j]+next)
	}
	lam = slices.Clone(lg.lambda)
	for _, open := range []bool{true, false} {
		st := make([]int8, c.m)
		childBound := bound
		if open {
			st[j] = 1
			b.pending = append(b.pending, closedBound)
		} else {
			st[j] = -1
			childBound = closedBound
		}
		if !c.prunes(childBound, b.ubOrCutoff()) {
			r, sites, demands := c.reduce(st)
			b.search(r, lift.child(st, sites), restrict(lam, demands, r), childBound, pi, depth+1)
		}
		if open {
			b.pending = b.pending[:len(b.pending)-1]
		}
		if b.stopped {
			if open {
				b.pending = append(b.pending, closedBound)
			}
			return
		}
	}
}

// restrict is λ of the demands a reduction kept, capped at their new
// fallbacks.
func restrict(lam []float64, demands []int32, r *core) []float64 {
	out := make([]float64, len(demands))
	for k, i := range demands {
		out[k] = math.Min(lam[i], r.fb[k])
	}
	return out
}

// ubOrCutoff is the value a bound must beat.
func (b *bnb) ubOrCutoff() float64 { return math.Min(b.ub, b.opt.cutoff) }

// done reports whether the decision asked is answered.
func (b *bnb) done() bool { return b.ub <= b.opt.stopBelow }

func (b *bnb) expired() bool {
	return time.Now().After(b.opt.deadline) || b.ctx.Err() != nil
}

// finish turns the search's state into a result.
func (b *bnb) finish() result {
	res := result{open: b.open, value: b.ub, nodes: b.nodes}
	if b.proven {
		// Nothing better than the incumbent (or the cutoff) is left.
		res.bound = b.ubOrCutoff()
		res.optimal = b.ub <= b.opt.cutoff
		return res
	}
	lb := b.bound
	if b.stopped && len(b.pending) > 0 {
		lb = slices.Min(b.pending)
	}
	res.bound = math.Min(b.c.roundBound(lb), b.ub)
	return res
}

// fix closes the free sites whose opening would lift the bound past the
// incumbent, and forces open those whose closing would; lg must have just
// been evaluated, L being L(λ) at its λ (no other bound). It reports
// whether it fixed any; lg itself is left as evaluated.
func (b *bnb) fix(lg *lagrangian, status []int8, L float64) bool {
	ub := b.ubOrCutoff()
	q := lg.q
	last, okLast := lg.rhoAt(q - 1)
	next, okNext := lg.rhoAt(q)
	changed := false
	for k, j := range lg.order {
		if k < q {
			// Without it too few sites would be left, or the bound
			// would pass the incumbent.
			if !okNext || lg.c.prunes(L-lg.rho[j]+next, ub) {
				status[j], changed = 1, true
			}
			continue
		}
		if q == 0 || !okLast || lg.c.prunes(L+lg.rho[j]-last, ub) {
			status[j], changed = -1, true
		}
	}
	return changed
}

// branchSite picks the free site of Y that the relaxation uses most
// ambiguously: the one whose demands are served by it and by other
// sites of Y too (or by none), weighted by how much they count.
func (b *bnb) branchSite(lg *lagrangian) int {
	c := lg.c
	score := make(map[int32]float64)
	for i := 0; i < c.n; i++ {
		if lg.g[i] == 0 {
			continue
		}
		l := lg.lambda[i]
		for k := c.start[i]; k < c.start[i+1]; k++ {
			if c.cost[k] >= l {
				break
			}
			j := c.site[k]
			if lg.status[j] == 0 {
				score[j] += l - c.cost[k]
			}
		}
	}
	best, bestScore := -1, -1.0
	for j, v := range score {
		if v > bestScore || (v == bestScore && int(j) < best) {
			best, bestScore = int(j), v
		}
	}
	if best >= 0 {
		return best
	}
	// No conflict: Y is a solution; branch on its first free site.
	for _, j := range lg.order[:lg.q] {
		return int(j)
	}
	return -1
}
