package main

import (
	"os"
	"strings"
	"testing"
)

func TestZZGen(t *testing.T) {
	dir := os.Getenv("ISO_OUT")
	if dir == "" {
		t.Skip()
	}
	code, out, stderr := runIsochrones(t, append([]string{"--network", chuoDrive, "--out", dir}, strings.Fields(os.Getenv("ISO_ARGS"))...)...)
	t.Log(code, out, stderr)
}
