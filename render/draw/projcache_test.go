package draw

import (
	"bytes"
	"image/png"
	"testing"
)

// TestProjectionCacheSharesAndKeepsPixels draws three maps of one study with
// a shared ProjectionCache and without: the pictures are byte for byte the
// same, and the cache projected the districts once.
func TestProjectionCacheSharesAndKeepsPixels(t *testing.T) {
	md := gridMapData(t, 30, 7)
	var cache ProjectionCache
	for _, kind := range []MapKind{MapCatchments, MapDistance, MapGaps} {
		plain, _, err := RenderMap(kind, md, MapOptions{Width: 800, NoFont: true})
		if err != nil {
			t.Fatal(err)
		}
		shared, _, err := RenderMap(kind, md, MapOptions{Width: 800, NoFont: true, Projections: &cache})
		if err != nil {
			t.Fatal(err)
		}
		var a, b bytes.Buffer
		if err := png.Encode(&a, plain); err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(&b, shared); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s map: the picture changes with the projection cache", kind)
		}
	}
	if n := len(cache.entries); n != 1 {
		t.Errorf("the cache holds %d projections of the districts, want 1", n)
	}
	// Other districts are projected anew, not taken from the cache.
	other := gridMapData(t, 30, 8)
	if _, _, err := RenderMap(MapCatchments, other, MapOptions{Width: 800, NoFont: true, Projections: &cache}); err != nil {
		t.Fatal(err)
	}
	if n := len(cache.entries); n != 2 {
		t.Errorf("after a map of other districts the cache holds %d projections, want 2", n)
	}
}
