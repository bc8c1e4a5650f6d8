#!/usr/bin/env bash
# postgis.sh — time the nation-scale report from files and from PostGIS, and
# writing its layers to PostGIS, on a throwaway PostgreSQL 15 + PostGIS
# cluster (needs postgresql-15-postgis-3 and gdal-bin). Prints the date and
# machine first; the figures in README.md come from here.
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

. bench/pgcluster.sh
start_pgcluster

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), $(psql -V)"
t0=$(date +%s.%N)
for l in offices districts stores posts boundary; do
	f=$(ls "$work/nation-nopop/$l".*)
	extra=()
	[ "$l" = offices ] && extra=(-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326)
	[ "$l" = districts ] && extra=(-nlt PROMOTE_TO_MULTI)
	ogr2ogr --config PG_USE_COPY YES -f PostgreSQL "$pg" "$f" -nln "$l" -lco GEOMETRY_NAME=geom "${extra[@]}"
done
echo "load the nation set into PostGIS with ogr2ogr: $(echo "$(date +%s.%N) - $t0" | bc) s"
layers=()
for l in offices districts stores posts boundary; do layers+=(--"$l" "$pg" --layer "$l=public.$l"); done
for i in 1 2 3; do
	/usr/bin/time -f "report from files, run $i: %e s wall, %U s user, %M KB peak" \
		"$work/catchment" report --data "$work/nation-nopop" --no-maps --quiet --out "$work/out-files"
	/usr/bin/time -f "report from PostGIS, run $i: %e s wall, %U s user, %M KB peak" \
		"$work/catchment" report "${layers[@]}" --no-maps --quiet --out "$work/out-pg"
	/usr/bin/time -f "report from files to PostGIS, run $i: %e s wall, %U s user, %M KB peak" \
		"$work/catchment" report --data "$work/nation-nopop" --no-maps --quiet --out "$work/out-topg" --format postgis --pg-out "$pg" --schema results --overwrite
done
for f in nearest.csv candidates.csv districts.geojson; do
	cmp -s "$work/out-files/$f" "$work/out-pg/$f" && echo "$f: identical from files and from PostGIS" || echo "$f: DIFFERS"
done
