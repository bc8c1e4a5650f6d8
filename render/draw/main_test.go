package draw

import "flag"

// update rewrites the golden images under testdata/render/maps instead of
// comparing against them: go test ./render/draw/ -update
var update = flag.Bool("update", false, "rewrite the golden images under testdata/render/maps")
