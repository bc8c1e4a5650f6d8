#!/usr/bin/env bash
# report.sh [RUNS] — time the nation-scale report (no maps), with and without
# its population layer, with /usr/bin/time: wall seconds and peak RSS. The
# figures in README.md ("Scale and speed") come from here.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=${WORK:-/tmp/catchment-bench}
mkdir -p "$work"
go build -o "$work/catchment" ./cmd/catchment
[ -f "$work/nation/districts.geojson" ] || "$work/catchment" gen --scale nation --out "$work/nation" --quiet
mkdir -p "$work/nation-nopop"
for f in offices.csv districts.geojson stores.geojson posts.geojson boundary.geojson; do
	cp -u "$work/nation/$f" "$work/nation-nopop/"
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
for set in nation-nopop nation; do
	for i in $(seq "$runs"); do
		/usr/bin/time -f "$set run $i: %e s wall, %U s user, %M KB peak" \
			"$work/catchment" report --data "$work/$set" --no-maps --out "$work/out-$set" --quiet
	done
done
