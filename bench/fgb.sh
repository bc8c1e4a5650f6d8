#!/usr/bin/env bash
# fgb.sh [RUNS] — issue 17's FlatGeobuf figures: the nation-scale
# `report --no-maps --data DIR` read from GeoJSON and from FlatGeobuf (every
# layer converted with ogr2ogr, without the packed R-tree, which the loader
# does not use, so that features keep their order; offices stay CSV),
# interleaved, RUNS times each (default 3), by bench/ogrformat.sh: wall
# seconds, CPU seconds and peak RSS (the minimum counts) and whether both
# reports are the same files; then the Go benchmarks of the reader
# (BenchmarkDecode, BenchmarkStream, BenchmarkLoadNationPopulation) on the
# same nation set.
# Needs ogr2ogr (gdal-bin).
#
# WORK (default /tmp/catchment-speed) holds the binary, the nation set
# (made with catchment gen --scale nation when absent) and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/ogrformat.sh FlatGeobuf fgb nation-fgb-noindex "${1:-3}" -f FlatGeobuf -lco SPATIAL_INDEX=NO
nation=$(cd "${WORK:-/tmp/catchment-speed}" && pwd)/nation
CATCHMENT_NATION=$nation go test ./data/fgb/ -run '^$' -bench 'BenchmarkDecode|BenchmarkStream|BenchmarkLoadNationPopulation' -benchmem -benchtime 3x | grep Benchmark
