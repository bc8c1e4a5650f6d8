// Package orlib reads the p-median instances of Beasley's OR-Library
// (pmed1 … pmed40): a graph whose vertices are both the demand and the
// candidate sites, with costs the shortest paths between them.
package orlib

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Instance is one p-median instance: N vertices, P medians to open, and
// Cost[i][j] the length of the shortest path from vertex i to vertex j
// (vertices numbered from 0; the files number them from 1).
type Instance struct {
	Name string
	N, P int
	Cost [][]float64
}

// EdgeRule says which cost counts when the file gives an edge twice.
type EdgeRule int

// Edge rules.
const (
	// LastEdge is Beasley's rule, under which the p-median optima of
	// pmedopt.txt hold.
	LastEdge EdgeRule = iota
	// FirstEdge keeps the first cost: the graphs the published p-center
	// radii were computed on.
	FirstEdge
)

// Load reads an instance file under Beasley's rule (LastEdge).
func Load(path string) (*Instance, error) { return LoadWith(path, LastEdge) }

// LoadWith reads an instance file under an edge rule.
func LoadWith(path string, rule EdgeRule) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := ReadWith(f, rule)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return in, nil
}

// Read reads an instance: a line "n edges p", then edges "u v cost"
// (undirected; where an edge is given twice the last one counts, as
// Beasley's note says), and computes the shortest paths (Floyd–Warshall).
func Read(r io.Reader) (*Instance, error) { return ReadWith(r, LastEdge) }

// ReadWith is Read under an edge rule.
func ReadWith(r io.Reader, rule EdgeRule) (*Instance, error) {
	sc := bufio.NewScanner(r)
	var head []int
	line := 0
	next := func() ([]int, bool, error) {
		for sc.Scan() {
			line++
			f := strings.Fields(sc.Text())
			if len(f) == 0 {
				continue
			}
			v := make([]int, len(f))
			for k, s := range f {
				x, err := strconv.Atoi(s)
				if err != nil {
					return nil, false, fmt.Errorf("line %d: %q is not a whole number", line, s)
				}
				v[k] = x
			}
			return v, true, nil
		}
		return nil, false, sc.Err()
	}
	head, ok, err := next()
	if err != nil {
		return nil, err
	}
	if !ok || len(head) != 3 {
		return nil, fmt.Errorf("line 1: want \"vertices edges p\"")
	}
	n, edges, p := head[0], head[1], head[2]
	if n < 1 || p < 1 || p > n || edges < 0 {
		return nil, fmt.Errorf("line 1: n=%d edges=%d p=%d out of range", n, edges, p)
	}
	inf := math.Inf(1)
	given := map[[2]int]bool{}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			if i != j {
				d[i][j] = inf
			}
		}
	}
	for e := 0; e < edges; e++ {
		v, ok, err := next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%d edges promised, %d given", edges, e)
		}
		if len(v) != 3 || v[0] < 1 || v[0] > n || v[1] < 1 || v[1] > n || v[2] < 0 {
			return nil, fmt.Errorf("line %d: want \"u v cost\" with 1 ≤ u, v ≤ %d and cost ≥ 0", line, n)
		}
		u, w, c := v[0]-1, v[1]-1, float64(v[2])
		key := [2]int{min(u, w), max(u, w)}
		if u == w || (rule == FirstEdge && given[key]) {
			continue
		}
		given[key] = true
		d[u][w], d[w][u] = c, c
	}
	for k := 0; k < n; k++ {
		dk := d[k]
		for i := 0; i < n; i++ {
			dik := d[i][k]
			if math.IsInf(dik, 1) {
				continue
			}
			di := d[i]
			for j := 0; j < n; j++ {
				if v := dik + dk[j]; v < di[j] {
					di[j] = v
				}
			}
		}
	}
	return &Instance{N: n, P: p, Cost: d}, nil
}

// CostMatrixCSV is the instance as a cost-matrix CSV (origin,dest,distance_m),
// vertices named 1 … N as in the file.
func (in *Instance) CostMatrixCSV() []byte {
	var b bytes.Buffer
	b.Grow(in.N * in.N * 12)
	b.WriteString("origin,dest,distance_m\n")
	for i, row := range in.Cost {
		for j, c := range row {
			if math.IsInf(c, 1) {
				continue
			}
			b.WriteString(strconv.Itoa(i + 1))
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(j + 1))
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(c, 'f', -1, 64))
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// Optima reads pmedopt.txt: the optimal p-median cost of every instance,
// by name.
func Optima(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) != 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue // the header
		}
		out[f[0]] = v
	}
	return out, nil
}

// CenterRadii are the optimal vertex p-center radii of pmed1 … pmed40 as
// published (Pullan 2008; quoted in ../shared/data/SOURCES.md). They hold
// for the graphs read with FirstEdge; with LastEdge pmed22's is 39.
var CenterRadii = []float64{127, 98, 93, 74, 48, 84, 64, 55, 37, 20, 59, 51, 36, 26, 18, 47, 39, 28, 18, 13,
	40, 38, 22, 15, 11, 38, 32, 18, 13, 9, 30, 29, 15, 11, 30, 27, 15, 29, 23, 13}
