#!/usr/bin/env bash
# ogrformat.sh NAME EXT DIR RUNS OGR2OGR-ARGS... — the nation-scale
# `report --no-maps --data` read from GeoJSON and from the same layers in
# another format: every GeoJSON layer converted with `ogr2ogr
# OGR2OGR-ARGS out.EXT in.geojson` into $WORK/DIR (once; offices stay CSV),
# both reports timed interleaved RUNS times each with /usr/bin/time (wall
# seconds, CPU seconds, peak RSS; the minimum counts), and whether both
# reports are the same files but for the names of their sources. NAME names
# the format in the output. bench/fgb.sh and bench/gpkg.sh run it. Needs
# ogr2ogr (gdal-bin).
#
# WORK (default /tmp/catchment-speed) holds the binary, the nation set
# (made with catchment gen --scale nation when absent) and the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 ext=$2 dir=$3 runs=$4
shift 4
work=${WORK:-/tmp/catchment-speed}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), $(ogr2ogr --version | cut -d, -f1), tree $(git rev-parse --short HEAD)"
bin=$work/$ext-bin
go build -o "$bin" ./cmd/catchment
nation=$work/nation
[ -f "$nation/population.geojson" ] || "$bin" gen --scale nation --out "$nation" --quiet
other=$work/$dir
if [ ! -f "$other/population.$ext" ]; then
	rm -rf "$other"
	mkdir -p "$other"
	cp "$nation/offices.csv" "$other/"
	for f in "$nation"/*.geojson; do
		ogr2ogr "$@" "$other/$(basename "$f" .geojson).$ext" "$f"
	done
fi
echo "# GeoJSON: $(du -sh "$nation" | cut -f1) (population $(du -h "$nation/population.geojson" | cut -f1)); $name: $(du -sh "$other" | cut -f1) (population $(du -h "$other/population.$ext" | cut -f1))"

times=$work/$ext-times
. bench/measure.sh
: >"$times"
for i in $(seq "$runs"); do
	measure geojson "$bin" report --no-maps --quiet --data "$nation" --out "$work/report-geojson"
	measure "$ext" "$bin" report --no-maps --quiet --data "$other" --out "$work/report-$ext"
done
echo "minimum of $runs:"
for n in geojson "$ext"; do
	awk -v n="$n" '$1==n{if(!s||$2<w)w=$2; if(!s||$3<m)m=$3; c=$4+$5; if(!s||c<cpu)cpu=c; s=1} END{printf "  %s: %.2f s wall, %.2f s CPU, %.0f MB peak RSS\n", n, w, cpu, m/1024}' "$times"
done
# The reports differ only where they name their sources (report.md, .html
# and .xlsx list the input files): compare report.md with the names made
# the same, and every other file except those three byte for byte.
if diff -rq -x '.catchment-*' -x report.md -x report.html -x report.xlsx "$work/report-geojson" "$work/report-$ext" &&
	diff <(sed "s#$nation/\([a-z]*\)\.geojson#SRC/\1#" "$work/report-geojson/report.md") \
		<(sed "s#$other/\([a-z]*\)\.$ext#SRC/\1#; s#$other/#$nation/#" "$work/report-$ext/report.md"); then
	echo "# the two reports are the same but for the names of their sources"
else
	echo "# THE REPORTS DIFFER"
fi
