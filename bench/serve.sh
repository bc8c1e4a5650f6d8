#!/usr/bin/env bash
# serve.sh — the live what-if page's figures: the server's part of a click
# (go test -bench), 2,000 requests from 20 clients (p50/p99), and click to
# painted update in headless chromium at Kumamoto and nation scale. Needs
# Debian's chromium. The figures in README.md ("The live what-if page") come
# from here.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${WORK:-/tmp/catchment-bench}
mkdir -p "$work"
go build -o "$work/catchment" ./cmd/catchment
[ -f "$work/nation/districts.geojson" ] || "$work/catchment" gen --scale nation --out "$work/nation" --quiet
mkdir -p "$work/nation-nopop"
for f in offices.csv districts.geojson stores.geojson posts.geojson boundary.geojson; do
	cp -u "$work/nation/$f" "$work/nation-nopop/"
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), $(chromium --version 2>/dev/null || echo 'no chromium')"
go test ./web -run X -bench 'WhatIfRequest|ServiceRequest|OptimizeRequest' -benchtime 40x | grep Benchmark
go test ./web -run TestConcurrentClients -count=1 -v | grep 'requests from'
go test ./cmd/catchment -run TestServeClickTiming -count=1 -v | grep 'click to painted'
CATCHMENT_SERVE_DATA="$work/nation-nopop" CATCHMENT_SERVE_CLICKS=30 \
	go test ./cmd/catchment -run TestServeClickTiming -count=1 -v -timeout 10m | grep 'click to painted'
