package draw

import (
	"image/color"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// officeFills are light, distinct fills for offices' areas: ColorBrewer
// Set3, Pastel1 and Pastel2 without their greys and near-duplicates, and
// without reds and blues close to the office symbols or the gap colour.
var officeFills = []color.RGBA{
	hex(0x8dd3c7), hex(0xbebada), hex(0xfdb462), hex(0xb3de69), hex(0xfccde5),
	hex(0xbc80bd), hex(0xccebc5), hex(0xffed6f), hex(0x80b1d3), hex(0xfb8072),
	hex(0xe5d8bd), hex(0xfbb4ae), hex(0xb3cde3), hex(0xfed9a6), hex(0xb3e2cd),
	hex(0xfdcdac), hex(0xcbd5e8), hex(0xf4cae4), hex(0xe6f5c9), hex(0xfff2ae),
	hex(0xf1e2cc), hex(0xdecbe4), hex(0xfddaec),
}

// OfficeFills gives every office one fill colour, the same in every layer
// and map of a study: the offices' areas (catchments, Voronoi cells, the
// what-if page) are told apart by it. It depends only on the offices'
// locations: each office's six nearest offices are its neighbours, and
// offices are coloured most-connected first, each with the unused colour
// (any colour, when there are more offices than colours) farthest in CIELAB
// from its coloured neighbours (the least used of those at least ΔE 40 from
// them). Up to 23 offices every office has its own colour.
func OfficeFills(locations []orb.Point) []color.RGBA {
	n := len(locations)
	const k = 6
	adj := make([]map[int]bool, n)
	for i := range adj {
		adj[i] = map[int]bool{}
	}
	for i := 0; i < n; i++ {
		type near struct {
			j int
			d float64
		}
		var ns []near
		for j := 0; j < n; j++ {
			if j != i {
				// Only the order of neighbours matters here: a local
				// equirectangular distance ranks them as the ellipsoid does
				// at city scale, and keeps 1,700 offices at milliseconds.
				dx := (locations[j][0] - locations[i][0]) * math.Cos(locations[i][1]*math.Pi/180)
				dy := locations[j][1] - locations[i][1]
				ns = append(ns, near{j, dx*dx + dy*dy})
			}
		}
		sort.Slice(ns, func(a, b int) bool { return ns[a].d < ns[b].d || ns[a].d == ns[b].d && ns[a].j < ns[b].j })
		for _, nb := range ns[:min(k, len(ns))] {
			adj[i][nb.j], adj[nb.j][i] = true, true
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(adj[order[a]]) > len(adj[order[b]]) })
	lab := make([][3]float64, len(officeFills))
	for c, rgb := range officeFills {
		lab[c] = toLab(rgb)
	}
	col := make([]int, n)
	for i := range col {
		col[i] = -1
	}
	used := make([]int, len(officeFills))
	unique := n <= len(officeFills)
	for _, i := range order {
		best, bestScore := -1, math.Inf(-1)
		for c := range officeFills {
			if unique && used[c] > 0 {
				continue
			}
			score := math.Inf(1) // distance to the nearest coloured neighbour's colour
			for j := range adj[i] {
				if col[j] >= 0 {
					score = math.Min(score, labDistance(lab[c], lab[col[j]]))
				}
			}
			// Far enough (ΔE 40) from every neighbour is enough; among
			// those, the least used colour, so that colours are reused evenly.
			score = 1000*math.Min(score, 40) - float64(used[c])
			if score > bestScore {
				best, bestScore = c, score
			}
		}
		col[i] = best
		used[best]++
	}
	out := make([]color.RGBA, n)
	for i, c := range col {
		out[i] = officeFills[c]
	}
	return out
}

// toLab converts sRGB to CIELAB (D65).
func toLab(c color.RGBA) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, b := lin(c.R), lin(c.G), lin(c.B)
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

func labDistance(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}
