#!/usr/bin/env bash
# gpkg.sh [RUNS] — issue 17's GeoPackage figures: the nation-scale
# `report --no-maps --data DIR` read from GeoJSON and from GeoPackage (every
# layer converted with ogr2ogr, one .gpkg per layer; offices stay CSV),
# interleaved, RUNS times each (default 3), with wall seconds, CPU seconds
# and peak RSS from /usr/bin/time (the minimum counts), and whether both
# reports are the same files. Needs ogr2ogr (gdal-bin).
#
# WORK (default /tmp/catchment-speed) holds the binary, the nation set
# (made with catchment gen --scale nation when absent) and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=${WORK:-/tmp/catchment-speed}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), $(ogr2ogr --version | cut -d, -f1), tree $(git rev-parse --short HEAD)"
go build -o "$work/gpkg-bin" ./cmd/catchment
nation=$work/nation
[ -f "$nation/population.geojson" ] || "$work/gpkg-bin" gen --scale nation --out "$nation" --quiet
gpkgdir=$work/nation-gpkg
if [ ! -f "$gpkgdir/population.gpkg" ]; then
	rm -rf "$gpkgdir"
	mkdir -p "$gpkgdir"
	cp "$nation/offices.csv" "$gpkgdir/"
	for f in "$nation"/*.geojson; do
		ogr2ogr -f GPKG "$gpkgdir/$(basename "$f" .geojson).gpkg" "$f"
	done
fi
echo "# GeoJSON: $(du -sh "$nation" | cut -f1) (population $(du -h "$nation/population.geojson" | cut -f1)); GeoPackage: $(du -sh "$gpkgdir" | cut -f1) (population $(du -h "$gpkgdir/population.gpkg" | cut -f1))"

measure() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
		echo "$name failed:" >&2
		cat "$work/stderr.txt" >&2
		exit 1
	}
	echo "$name $(cat "$work/time.txt")" >>"$work/gpkg-times"
	echo "  $name: $(awk '{printf "%.2f s wall, %.2f s CPU, %.0f MB peak RSS", $1, $3+$4, $2/1024}' "$work/time.txt") (load $(cut -d' ' -f1 /proc/loadavg))"
}
: >"$work/gpkg-times"
for i in $(seq "$runs"); do
	measure geojson "$work/gpkg-bin" report --no-maps --quiet --data "$nation" --out "$work/report-geojson"
	measure gpkg "$work/gpkg-bin" report --no-maps --quiet --data "$gpkgdir" --out "$work/report-gpkg"
done
echo "minimum of $runs:"
for n in geojson gpkg; do
	awk -v n="$n" '$1==n{if(!s||$2<w)w=$2; if(!s||$3<m)m=$3; c=$4+$5; if(!s||c<cpu)cpu=c; s=1} END{printf "  %s: %.2f s wall, %.2f s CPU, %.0f MB peak RSS\n", n, w, cpu, m/1024}' "$work/gpkg-times"
done
# The reports differ only where they name their sources (report.md, .html
# and .xlsx list the input files): compare report.md with the names made
# the same, and every other file except those three byte for byte.
if diff -rq -x '.catchment-*' -x report.md -x report.html -x report.xlsx "$work/report-geojson" "$work/report-gpkg" &&
	diff <(sed "s#$nation/\([a-z]*\)\.geojson#SRC/\1#" "$work/report-geojson/report.md") \
		<(sed "s#$gpkgdir/\([a-z]*\)\.gpkg#SRC/\1#; s#$gpkgdir/#$nation/#" "$work/report-gpkg/report.md"); then
	echo "# the two reports are the same but for the names of their sources"
else
	echo "# THE REPORTS DIFFER"
fi
