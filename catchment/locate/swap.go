package locate

import (
	"math"
	"math/rand/v2"
	"time"
)

// swapper is the fast interchange local search of Teitz and Bart in the
// form of Whitaker, with the incremental bookkeeping of Resende and
// Werneck (2003): per demand its nearest and second nearest open site
// (the fallback counts as an always-open site, -1), per closed site the
// gain of opening it, per open site the loss of closing it, and the
// extra term of each (insert, remove) pair, so that the best swap is
// found in time linear in the sites and updated only for the demands a
// swap touches.
type swapper struct {
	c      *core
	open   []bool
	status []int8 // per site: 0 free, 1 must stay open, -1 must stay closed
	s1, s2 []int32
	c1, c2 []float64
	gain   []float64 // closed sites: the saving of opening it
	loss   []float64 // open sites: the cost of closing it
	extra  [][]pairGain
	mark   []int32 // per demand: the swap that last touched it
	stamp  int32
	obj    float64
}

// pairGain is extra(j, f) for one closed site j: what opening j saves on
// top of gain(j) − loss(f) when f closes at the same time.
type pairGain struct {
	f int32
	v float64
}

// newSwapper starts a local search from the open sites; status (nil:
// all free) holds the sites that must stay open or closed.
func newSwapper(c *core, open []bool, status []int8) *swapper {
	s := &swapper{c: c, open: append([]bool(nil), open...), status: status,
		s1: make([]int32, c.n), s2: make([]int32, c.n), c1: make([]float64, c.n), c2: make([]float64, c.n),
		gain: make([]float64, c.m), loss: make([]float64, c.m), extra: make([][]pairGain, c.m), mark: make([]int32, c.n)}
	if s.status == nil {
		s.status = make([]int8, c.m)
	}
	s.rebuild()
	return s
}

// rebuild recomputes every demand's nearest sites and every gain, loss and
// extra term from scratch (also done now and then against rounding drift).
func (s *swapper) rebuild() {
	clear(s.gain)
	clear(s.loss)
	for j := range s.extra {
		s.extra[j] = s.extra[j][:0]
	}
	s.obj = s.c.offset
	for i := 0; i < s.c.n; i++ {
		s.nearest(i)
		s.obj += s.c1[i]
		s.contribute(i, 1)
	}
}

// nearest finds demand i's nearest and second nearest open sites.
func (s *swapper) nearest(i int) {
	c := s.c
	s.s1[i], s.s2[i] = -1, -1
	s.c1[i], s.c2[i] = c.fb[i], c.fb[i]
	for k := c.start[i]; k < c.start[i+1]; k++ {
		j := c.site[k]
		if !s.open[j] {
			continue
		}
		if s.s1[i] < 0 {
			s.s1[i], s.c1[i] = j, c.cost[k]
			continue
		}
		s.s2[i], s.c2[i] = j, c.cost[k]
		return
	}
}

// contribute adds (sign 1) or removes (sign -1) demand i's part of the
// gains, losses and extra terms.
func (s *swapper) contribute(i int, sign float64) {
	c := s.c
	f, d1, d2 := s.s1[i], s.c1[i], s.c2[i]
	if f >= 0 {
		s.loss[f] += sign * (d2 - d1)
	}
	for k := c.start[i]; k < c.start[i+1]; k++ {
		d := c.cost[k]
		if d >= d2 {
			break
		}
		j := c.site[k]
		if s.open[j] {
			continue
		}
		if d < d1 {
			s.gain[j] += sign * (d1 - d)
		}
		if f >= 0 {
			s.addExtra(j, f, sign*(d2-math.Max(d, d1)))
		}
	}
}

func (s *swapper) addExtra(j, f int32, v float64) {
	for k := range s.extra[j] {
		if s.extra[j][k].f == f {
			s.extra[j][k].v += v
			return
		}
	}
	s.extra[j] = append(s.extra[j], pairGain{f, v})
}

// bestSwap returns the swap (open in, close out) that lowers the
// objective most, and by how much.
func (s *swapper) bestSwap() (in, out int32, profit float64) {
	in, out = -1, -1
	fmin, lmin := int32(-1), math.Inf(1)
	for f, o := range s.open {
		if o && s.status[f] == 0 && s.loss[f] < lmin {
			fmin, lmin = int32(f), s.loss[f]
		}
	}
	if fmin < 0 {
		return -1, -1, 0
	}
	for j, o := range s.open {
		if o || s.status[j] != 0 {
			continue
		}
		g := s.gain[j]
		if g-lmin > profit {
			in, out, profit = int32(j), fmin, g-lmin
		}
		for _, e := range s.extra[j] {
			if !s.open[e.f] || s.status[e.f] != 0 {
				continue
			}
			if v := g - s.loss[e.f] + e.v; v > profit {
				in, out, profit = int32(j), e.f, v
			}
		}
	}
	return in, out, profit
}

// swap opens in and closes out (either may be -1 for a pure insert or
// removal), updating the demands it touches.
func (s *swapper) swap(in, out int32) {
	c := s.c
	s.stamp++
	var touched []int32
	touch := func(i int32) {
		if s.mark[i] != s.stamp {
			s.mark[i] = s.stamp
			touched = append(touched, i)
		}
	}
	if in >= 0 {
		for k := c.rstart[in]; k < c.rstart[in+1]; k++ {
			if i := c.rdem[k]; c.rcost[k] < s.c2[i] {
				touch(i)
			}
		}
	}
	if out >= 0 {
		for k := c.rstart[out]; k < c.rstart[out+1]; k++ {
			if i := c.rdem[k]; s.s1[i] == out || s.s2[i] == out {
				touch(i)
			}
		}
	}
	for _, i := range touched {
		s.contribute(int(i), -1)
		s.obj -= s.c1[i]
	}
	if in >= 0 {
		s.open[in] = true
		s.gain[in] = 0
		s.extra[in] = s.extra[in][:0]
	}
	if out >= 0 {
		s.open[out] = false
		s.loss[out] = 0
	}
	for _, i := range touched {
		s.nearest(int(i))
		s.obj += s.c1[i]
		s.contribute(int(i), 1)
	}
}

// eps is the least improvement a move must bring to be made.
func (s *swapper) eps() float64 {
	if s.c.integral {
		return 0.5
	}
	return 1e-10 * math.Max(1, math.Abs(s.obj))
}

// descend makes the best swap while one improves, until deadline.
func (s *swapper) descend(deadline time.Time) {
	for it := 1; ; it++ {
		in, out, profit := s.bestSwap()
		if in < 0 || profit <= s.eps() {
			break
		}
		s.swap(in, out)
		if it%256 == 0 {
			s.rebuild()
			if time.Now().After(deadline) {
				break
			}
		}
	}
	s.rebuild()
}

// greedy opens, one at a time, the free site that saves most, until want
// sites are open (counting those open already).
func (s *swapper) greedy(want int) {
	count := 0
	for _, o := range s.open {
		if o {
			count++
		}
	}
	for ; count < want; count++ {
		best, bestGain := int32(-1), -1.0
		for j, o := range s.open {
			if !o && s.status[j] == 0 && s.gain[j] > bestGain {
				best, bestGain = int32(j), s.gain[j]
			}
		}
		if best < 0 {
			return
		}
		s.swap(best, -1)
	}
}

// randomOpen opens p sites at random among the free ones, besides those
// that must be open.
func randomOpen(c *core, status []int8, p int, r *rand.Rand) []bool {
	open := make([]bool, c.m)
	var free []int
	for j := range open {
		switch {
		case status != nil && status[j] > 0:
			open[j] = true
			p--
		case status == nil || status[j] == 0:
			free = append(free, j)
		}
	}
	r.Shuffle(len(free), func(a, b int) { free[a], free[b] = free[b], free[a] })
	for k := 0; k < p && k < len(free); k++ {
		open[free[k]] = true
	}
	return open
}
