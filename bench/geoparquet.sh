#!/usr/bin/env bash
# geoparquet.sh [RUNS] — issue 17's GeoParquet figures: the nation-scale
# `report --no-maps --data` on the GeoJSON set and on a copy whose
# districts and population layers are GeoParquet (converted with
# bench/togeoparquet, WKB + Snappy), interleaved RUNS times (default 2),
# wall seconds and peak RSS from /usr/bin/time (the minimum counts); then
# the Go benchmarks of the reader (data/geoparquet) and of Apache Arrow's
# Go reader beside parquet-go (bench/arrowcmp). The first line says
# date, machine and load. WORK (default /tmp/catchment-speed) holds the
# binaries, the nation set and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
work=${WORK:-/tmp/catchment-speed}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), tree $(git rev-parse --short HEAD)"
go build -o "$work/new" ./cmd/catchment
go build -o "$work/togeoparquet" ./bench/togeoparquet
nation=$work/nation
[ -f "$nation/population.geojson" ] || "$work/new" gen --scale nation --out "$nation" --quiet
pq=$work/nation-parquet
rm -rf "$pq"
mkdir -p "$pq"
for f in "$nation"/*; do
	case $(basename "$f") in
	districts.geojson | population.geojson) "$work/togeoparquet" "$f" "$pq/$(basename "${f%.geojson}").parquet" ;;
	*) cp "$f" "$pq/" ;;
	esac
done
echo "# districts: $(du -h "$nation/districts.geojson" | cut -f1) GeoJSON, $(du -h "$pq/districts.parquet" | cut -f1) GeoParquet; population: $(du -h "$nation/population.geojson" | cut -f1) GeoJSON, $(du -h "$pq/population.parquet" | cut -f1) GeoParquet"

for i in $(seq "$runs"); do
	echo "run $i (load $(cut -d' ' -f1 /proc/loadavg))"
	for set in nation nation-parquet; do
		rm -rf "$work/report-$set"
		/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$work/new" report --no-maps --quiet --data "$work/$set" --out "$work/report-$set" >/dev/null
		echo "  report $set: $(awk '{printf "%.2f s wall, %.2f s CPU, %.0f MB peak RSS", $1, $3+$4, $2/1024}' "$work/time.txt")"
	done
done
# The two reports must say the same but for the source paths they list
# (report.md names them; report.xlsx holds them too, so it is left out).
sums() { (cd "$1" && find . -type f ! -name '*.html' ! -name report.xlsx ! -name report.md | sort | xargs sha256sum; grep -v '^- [a-z]*: `/' report.md | sha256sum); }
if [ "$(sums "$work/report-nation")" = "$(sums "$work/report-nation-parquet")" ]; then
	echo "# the reports agree (every file but report.xlsx byte for byte; report.md but for its source paths)"
else
	echo "# THE REPORTS DIFFER"
fi
CATCHMENT_NATION=$nation go test ./data/geoparquet -run '^$' -bench 'Nation' -benchmem -benchtime 3x
# Apache Arrow's Go reader against parquet-go (the library data/geoparquet
# uses) on the population file: both read its WKB and population columns
# (bench/arrowcmp, a module of its own so that catchment does not link Arrow).
(cd bench/arrowcmp && CATCHMENT_PARQUET=$pq/population.parquet go test -run '^$' -bench . -benchmem -benchtime 3x)
