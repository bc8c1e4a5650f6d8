package render

import "flag"

// update rewrites the golden files under testdata/whatif instead of
// comparing against them: go test ./render/ -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/whatif")
