package orlib

import (
	"strings"
	"testing"
)

func TestReadShortestPathsAndEdgeRules(t *testing.T) {
	// A path 1–2–3 with the edge 1–2 given twice (10, then 4).
	const text = " 3 3 1 \n 1 2 10 \n 2 3 5 \n 2 1 4 \n"
	for _, tc := range []struct {
		rule EdgeRule
		d12  float64
	}{{LastEdge, 4}, {FirstEdge, 10}} {
		in, err := ReadWith(strings.NewReader(text), tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		if in.N != 3 || in.P != 1 || in.Cost[0][1] != tc.d12 || in.Cost[1][0] != tc.d12 || in.Cost[0][2] != tc.d12+5 || in.Cost[2][2] != 0 {
			t.Errorf("rule %d: %+v", tc.rule, in)
		}
	}
	csv := string(must(Read(strings.NewReader(text))).CostMatrixCSV())
	if !strings.HasPrefix(csv, "origin,dest,distance_m\n1,1,0\n1,2,4\n1,3,9\n") || strings.Count(csv, "\n") != 10 {
		t.Errorf("cost matrix:\n%s", csv)
	}
	for _, bad := range []string{"", "3 3\n", "3 1 1\n1 4 2\n", "3 2 1\n1 2 3\n", "2 1 1\n1 2 x\n"} {
		if _, err := Read(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func must(in *Instance, err error) *Instance {
	if err != nil {
		panic(err)
	}
	return in
}
