#!/usr/bin/env bash
# gobench.sh — run the Go benchmarks whose figures README.md and
# bench/README.md state, three times each, with the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
go test ./catchment -run XXX -bench '100k|AssignNation' -benchtime 20x -count 3
go test ./catchment/road -run XXX -bench 'Chuo' -count 3
go test ./network -run XXX -bench 'IsochronesChuo' -count 3
go test ./geo -run XXX -bench 'PointGridNearest|Contains|Nearest' -count 3
go test ./data -run XXX -bench 'ReadCostMatrix' -benchtime 3x -count 3
go test ./catchment/locate -run XXX -bench 'ORLib|NationPMedian' -benchtime 1x -count 1 -timeout 30m
go test ./render/draw -run XXX -bench 'RenderMapKumamoto|RenderMap20000' -count 3
