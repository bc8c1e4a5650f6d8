#!/usr/bin/env bash
# snapshot.sh DIR — run the CLI's outputs on fixed inputs and keep every file
# it writes (and what it prints) under DIR, so that two commits can be
# compared byte for byte:
#
#   git stash; bench/snapshot.sh /tmp/before; git stash pop
#   bench/snapshot.sh /tmp/after
#   diff -r /tmp/before /tmp/after
#
# Inputs: the embedded Kumamoto default, a generated prefecture (with and
# without its population layer) and the shared 中央区 road network in
# ../shared/data. Takes about a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/snapshot.sh DIR}
shared=$(cd "${SHARED_DATA:-../shared/data}" && pwd)
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$out/.catchment
go build -o "$bin" ./cmd/catchment
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Paths given to the CLI are relative to $work, so that they print the same
# in every run.
"$bin" gen --scale prefecture --out "$work/pref" --quiet
# the prefecture without its population layer
mkdir -p "$work/prefnp"
for f in offices.csv districts.geojson stores.geojson posts.geojson boundary.geojson; do
	cp "$work/pref/$f" "$work/prefnp/"
done
pref=pref
prefnp=prefnp
ln -s "$shared/osm_overpass_roads_drive_kumamoto_chuo_2023-01-05.json" "$work/chuo.json"
chuo=chuo.json
cp -r testdata/whatif "$work/scenarios"
mkdir -p "$work/o"

# run NAME ARGS...: stdout to NAME.out, stderr to NAME.err, exit code to NAME.rc
run() {
	local name=$1
	shift
	local rc=0
	(cd "$work" && "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err") || rc=$?
	# timings vary from run to run
	sed -i -E "s/loaded in [0-9.]+(ms|s|µs)/loaded in TIME/" "$out/$name.err"
	echo "$rc" >"$out/$name.rc"
}

for f in table csv json; do
	run nearest.$f nearest --format $f
	run candidates.$f candidates --format $f
done
for f in table csv json geojson csvwkt; do
	run assign.$f assign --format $f
	run gaps.$f gaps --format $f
	run catchments.$f catchments --format $f
	run voronoi.$f catchments --method voronoi --format $f
done
run gaps.within gaps --within-m 500 --format csv
run assign.gpkg assign --format gpkg -o "o/assign.gpkg"
run nearest.road nearest --metric road --network "$chuo" --format csv
run assign.time assign --metric time --network "$chuo" --format csv

run report report --out "o/report"
run report.gpkg report --format gpkg --no-maps --out "o/report-gpkg"
run report.road report --metric road --network "$chuo" --out "o/report-road"
run render render --out "o/render"
run chart.scatter chart scatter --out "o/chart"
run chart.trend chart trend --out "o/chart"

run whatif.close whatif --close oe
run whatif.close.csv whatif --close oe,akitsu --format csv --table offices
run whatif.down whatif --downgrade oe,akitsu --format csv --table districts --all
run whatif.each whatif --each --format csv
run whatif.dir whatif --scenario "scenarios/staged.yaml" --each --out "o/whatif" --maps
run whatif.geojson whatif --scenario "scenarios/staged.json" --format geojson
run whatif.road whatif --close oe --metric time --network "$chuo" --format csv --table summary
run whatif.road.each whatif --each --metric road --network "$chuo" --format csv

run iso isochrones --network "$chuo" --out "o/iso"
run iso.geojson isochrones --network "$chuo" --metric road --km 1,2 --format geojson
run iso.csv isochrones --network "$chuo" --profile walk --minutes 10,20 --format csv

run pref.report report --data "$prefnp" --out "o/pref-report"
run pref.report.pop report --data "$pref" --no-maps --out "o/pref-report-pop"
run pref.whatif whatif --data "$pref" --each --format csv
run pref.assign assign --data "$pref" --format csv

mv "$work"/o/* "$out"/
# GeoPackages hold their write time: compare their SQL dumps instead
if command -v sqlite3 >/dev/null; then
	find "$out" -name '*.gpkg' | while read -r g; do
		sqlite3 "$g" .dump | sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z'/'TIME'/g" >"$g.sql"
		rm "$g"
	done
fi
rm -f "$bin"
echo "snapshot in $out: $(find "$out" -type f | wc -l) files"
