#!/usr/bin/env bash
# fgb.sh [RUNS] — issue 17's FlatGeobuf figures: the nation-scale
# `report --no-maps --data DIR` read from GeoJSON and from FlatGeobuf (every
# layer converted with ogr2ogr, without the packed R-tree, which the loader
# does not use, so that features keep their order; offices stay CSV),
# interleaved, RUNS times each (default 3), with wall seconds, CPU seconds
# and peak RSS from /usr/bin/time (the minimum counts); whether both reports
# are the same files; then the Go benchmarks of the reader (BenchmarkDecode,
# BenchmarkStream, BenchmarkLoadNationPopulation) on the same nation set.
# Needs ogr2ogr (gdal-bin).
#
# WORK (default /tmp/catchment-speed) holds the binary, the nation set
# (made with catchment gen --scale nation when absent) and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=${WORK:-/tmp/catchment-speed}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), tree $(git rev-parse --short HEAD)"
go build -o "$work/fgb-bin" ./cmd/catchment
nation=$work/nation
[ -f "$nation/population.geojson" ] || "$work/fgb-bin" gen --scale nation --out "$nation" --quiet
fgbdir=$work/nation-fgb-noindex
if [ ! -f "$fgbdir/population.fgb" ]; then
	rm -rf "$fgbdir"
	mkdir -p "$fgbdir"
	cp "$nation/offices.csv" "$fgbdir/"
	for f in "$nation"/*.geojson; do
		ogr2ogr -f FlatGeobuf -lco SPATIAL_INDEX=NO "$fgbdir/$(basename "$f" .geojson).fgb" "$f"
	done
fi
echo "# GeoJSON: $(du -sh "$nation" | cut -f1) (population $(du -h "$nation/population.geojson" | cut -f1)); FlatGeobuf: $(du -sh "$fgbdir" | cut -f1) (population $(du -h "$fgbdir/population.fgb" | cut -f1))"

measure() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
		echo "$name failed:" >&2
		cat "$work/stderr.txt" >&2
		exit 1
	}
	echo "$name $(cat "$work/time.txt")" >>"$work/fgb-times"
	echo "  $name: $(awk '{printf "%.2f s wall, %.2f s CPU, %.0f MB peak RSS", $1, $3+$4, $2/1024}' "$work/time.txt") (load $(cut -d' ' -f1 /proc/loadavg))"
}
: >"$work/fgb-times"
for i in $(seq "$runs"); do
	measure geojson "$work/fgb-bin" report --no-maps --quiet --data "$nation" --out "$work/report-geojson"
	measure fgb "$work/fgb-bin" report --no-maps --quiet --data "$fgbdir" --out "$work/report-fgb"
done
echo "minimum of $runs:"
for n in geojson fgb; do
	awk -v n="$n" '$1==n{if(!s||$2<w)w=$2; if(!s||$3<m)m=$3; c=$4+$5; if(!s||c<cpu)cpu=c; s=1} END{printf "  %s: %.2f s wall, %.2f s CPU, %.0f MB peak RSS\n", n, w, cpu, m/1024}' "$work/fgb-times"
done
# The reports differ only where they name their sources (report.md, .html
# and .xlsx list the input files): compare report.md with the names made
# the same, and every other file except those three byte for byte.
if diff -rq -x '.catchment-*' -x report.md -x report.html -x report.xlsx "$work/report-geojson" "$work/report-fgb" &&
	diff <(sed "s#$nation/\([a-z]*\)\.geojson#SRC/\1#" "$work/report-geojson/report.md") \
		<(sed "s#$fgbdir/\([a-z]*\)\.fgb#SRC/\1#; s#$fgbdir/#$nation/#" "$work/report-fgb/report.md"); then
	echo "# the two reports are the same but for the names of their sources"
fi
CATCHMENT_NATION=$nation go test ./data/fgb/ -run '^$' -bench 'BenchmarkDecode|BenchmarkStream|BenchmarkLoadNationPopulation' -benchmem -benchtime 3x | grep Benchmark
