#!/usr/bin/env bash
# default.sh [RUNS] — time `catchment report` on the embedded Kumamoto data
# (every map and chart, report.html and report.xlsx), as the README's first
# command runs it: wall seconds and peak RSS with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=${WORK:-/tmp/catchment-bench}
mkdir -p "$work"
go build -o "$work/catchment" ./cmd/catchment
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
for i in $(seq "$runs"); do
	/usr/bin/time -f "default report run $i: %e s wall, %U s user, %M KB peak" \
		"$work/catchment" report --out "$work/out-default" --quiet
done
