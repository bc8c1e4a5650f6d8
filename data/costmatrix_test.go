package data_test

import (
	"math"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

func TestCostMatrixWeights(t *testing.T) {
	tab, _, err := data.ReadCostMatrix([]byte("origin,dest,distance_m,weight\na,x,10,3\na,y,20,3\nb,x,5,0\n"), "w.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if !tab.HasWeight || tab.Rows[0].Weight != 3 || tab.Rows[2].Weight != 0 {
		t.Errorf("weights not read: %+v", tab)
	}
	tab, _, err = data.ReadCostMatrix([]byte("origin,dest,distance_m\na,x,10\n"), "n.csv", "")
	if err != nil || tab.HasWeight || !math.IsNaN(tab.Rows[0].Weight) {
		t.Errorf("no weight column: %+v %v", tab, err)
	}
	for _, tc := range []struct{ name, csv, want string }{
		{"two weights", "origin,dest,distance_m,population\na,x,10,3\na,y,20,4\n", "line 3: field population: origin a has weight 4 here but 3 on line 2"},
		{"negative", "origin,dest,distance_m,weight\na,x,10,-1\n", "line 2: field weight: negative weight -1"},
		{"missing", "origin,dest,distance_m,weight\na,x,10,\n", "line 2: field weight: missing; every row needs a weight"},
	} {
		_, _, err := data.ReadCostMatrix([]byte(tc.csv), "w.csv", "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
}
