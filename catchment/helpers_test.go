package catchment

import (
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

// studyOf makes a study of the districts and offices (geodesic unless the
// options say otherwise).
func studyOf(tb testing.TB, districts []data.District, offices []data.Office, opts ...Options) *Study {
	tb.Helper()
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	s, err := NewStudy(&data.Dataset{Offices: offices, Districts: districts}, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// whatIfOf is the what-if engine of studyOf.
func whatIfOf(tb testing.TB, districts []data.District, offices []data.Office, opts ...Options) *WhatIf {
	tb.Helper()
	w, err := studyOf(tb, districts, offices, opts...).WhatIf()
	if err != nil {
		tb.Fatal(err)
	}
	return w
}
