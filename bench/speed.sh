#!/usr/bin/env bash
# speed.sh [BASE [RUNS]] — issue 17's figures in one run: the nation-scale
# `report --no-maps --data`, `report --data` (with maps), `gaps --data` and
# `assign --data` of this tree
# and of the git revision BASE (default main), interleaved, RUNS times each
# (default 3),
# with wall seconds and peak RSS from /usr/bin/time; the minimum of the runs
# is what counts. Beside them, the time a plain typed encoding/json decode of
# the same GeoJSON inputs takes (BenchmarkEncodingJSONNation), the goal the
# issue sets. With GeoPandas installed, the peer jobs of bench/peers.py
# (gaps and assign as whole processes), with PostGIS installed those of
# bench/postgis_job.sh, and how far their answers agree.
# The nation report with its maps is timed too (issue 17's goal: under
# twice the time and memory of --no-maps). Last, the SHA-256 of every file
# both reports wrote, compared; GeoJSON files that differ are compared
# again up to where rings start (bench/samegeojson.py).
#
# WORK (default /tmp/catchment-speed) holds the binaries, the generated
# nation set and the outputs. The first line says date, machine and load.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-main}
runs=${2:-3}
work=${WORK:-/tmp/catchment-speed}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
echo "# this tree: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)'); base: $base ($(git rev-parse --short "$base"))"

go build -o "$work/new" ./cmd/catchment
rm -rf "$work/src-base"
mkdir -p "$work/src-base"
git archive "$base" | tar -x -C "$work/src-base"
(cd "$work/src-base" && go build -o "$work/base" ./cmd/catchment)
rm -rf "$work/src-base"

nation=$work/nation
[ -f "$nation/population.geojson" ] || "$work/new" gen --scale nation --out "$nation" --quiet
echo "# inputs: $(du -sh "$nation" | cut -f1) in $nation (catchment gen --scale nation)"

# measure NAME COMMAND... (bench/measure.sh) times a command once and
# appends its figures to $times.
times=$work/times
. bench/measure.sh

# The peers run when they are installed: GeoPandas (Debian's
# python3-geopandas) and PostGIS (postgresql-15-postgis-3, on a throwaway
# cluster, bench/pgcluster.sh).
peers=()
if /usr/bin/python3 -c 'import geopandas, scipy' 2>/dev/null; then
	peers+=(geopandas)
else
	echo "# GeoPandas not found (apt-get install python3-geopandas python3-scipy): no GeoPandas figures"
fi
. bench/pgcluster.sh
if pg_available; then
	start_pgcluster
	peers+=(postgis)
	echo "# PostGIS: $(psql -qAt -h 127.0.0.1 -p "$pgport" -U postgres -c 'SELECT postgis_lib_version()' nation), $(psql -V)"
else
	echo "# PostGIS not found (apt-get install postgresql-15-postgis-3 gdal-bin): no PostGIS figures"
fi
: >"$work/times"
for i in $(seq "$runs"); do
	echo "run $i (load $(cut -d' ' -f1 /proc/loadavg))"
	for bin in base new; do
		measure "report/$bin" "$work/$bin" report --data "$nation" --no-maps --out "$work/out-$bin" --quiet
		measure "maps/$bin" "$work/$bin" report --data "$nation" --out "$work/maps-$bin" --quiet
		measure "gaps/$bin" "$work/$bin" gaps --data "$nation" --format csv
		measure "assign/$bin" "$work/$bin" assign --data "$nation" --format csv
	done
	for p in "${peers[@]}"; do
		for job in gaps assign; do
			if [ "$p" = postgis ]; then
				measure "$job/$p" bench/postgis_job.sh "$job" "$nation" "$pg" "$work/$p-$job.csv"
			else
				measure "$job/$p" /usr/bin/python3 bench/peers.py "$job" "$nation" "$work/$p-$job.csv"
			fi
		done
	done
done

echo
echo "| job | $base: wall s | CPU s | peak MB | this tree: wall s | CPU s | peak MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# min COLUMN NAME: the smallest figure of a column over the runs of NAME.
min() { awk -v n="$2" -v c="$1" '$1==n{v=(c=="cpu")?$4+$5:$c; if (m=="" || v<m) m=v} END{print m}' "$work/times"; }
for job in report maps gaps assign; do
	label="$job --data"
	[ "$job" = report ] && label="report --no-maps --data"
	[ "$job" = maps ] && label="report --data (with maps)"
	echo "| $label (nation) | $(min 2 "$job/base") | $(min cpu "$job/base") | $(($(min 3 "$job/base") / 1024)) | $(min 2 "$job/new") | $(min cpu "$job/new") | $(($(min 3 "$job/new") / 1024)) |"
done
echo "(minimum of $runs runs of each figure)"

if [ ${#peers[@]} -gt 0 ]; then
	echo
	echo "Peers, whole jobs on the same files, reading included (min of $runs; PostGIS: loading with ogr2ogr, indexing and the query; its peak MB is ogr2ogr's and psql's, not the server's):"
	echo "| job | this tree: wall s | peak MB | peer | wall s | peak MB |"
	echo "|---|---:|---:|---|---:|---:|"
	for job in gaps assign; do
		for p in "${peers[@]}"; do
			echo "| $job | $(min 2 "$job/new") | $(($(min 3 "$job/new") / 1024)) | $p | $(min 2 "$job/$p") | $(($(min 3 "$job/$p") / 1024)) |"
		done
	done
	"$work/new" gaps --data "$nation" --format csv --quiet >"$work/ours-gaps.csv"
	"$work/new" assign --data "$nation" --format csv --quiet >"$work/ours-assign.csv"
	/usr/bin/python3 - "$work" "${peers[@]}" <<'PY'
import csv, sys
w, peers = sys.argv[1], sys.argv[2:]
def rows(name, key):
    with open(f"{w}/{name}", encoding="utf-8-sig") as f:
        return {r["district_id"]: r[key] for r in csv.DictReader(f)}
how = {"geopandas": "Web Mercator from representative_point", "postgis": "geography distance from ST_PointOnSurface"}
for p in peers:
    for key in ("stores", "posts"):
        ours, theirs = rows("ours-gaps.csv", key), rows(f"{p}-gaps.csv", key)
        same = sum(ours[d] == theirs.get(d) for d in ours)
        print(f"  gaps, {p}: {key} per district agree in {same} of {len(ours)} districts")
    ours, theirs = rows("ours-assign.csv", "office_id"), rows(f"{p}-assign.csv", "office_id")
    same = sum(ours[d] == theirs.get(d) for d in ours)
    print(f"  assign, {p}: the same office for {same} of {len(ours)} districts (ours: geodesic from the centroid, or a point on the surface when it falls outside; {p}: {how[p]})")
PY
fi

echo
echo "Decoding alone, min of $runs (BenchmarkEncodingJSONNation: a plain typed encoding/json"
echo "Unmarshal of each GeoJSON input, the issue's yardstick; BenchmarkDecodeGeoJSONNation: our"
echo "loaders' decoding into records, fast decoder and encoding/json):"
CATCHMENT_NATION=$nation go test ./data -run XXX -bench 'EncodingJSONNation|DecodeGeoJSONNation' -benchtime 1x -count "$runs" |
	awk '/^Benchmark/{n=$1; sub(/-[0-9]+$/,"",n); ns=$3; if (!(n in best) || ns < best[n]) {best[n]=ns; order[n]=NR}}
	     END{t=0; for (n in best) {printf "  %-62s %6.2f s\n", n, best[n]/1e9; if (n ~ /^BenchmarkEncodingJSONNation/) t+=best[n]}
	         printf "  %-62s %6.2f s\n", "encoding/json Unmarshal of all inputs", t/1e9}' | sort

echo
if diff <(cd "$work/out-base" && find . -type f | sort | xargs sha256sum) \
	<(cd "$work/out-new" && find . -type f | sort | xargs sha256sum) >"$work/hashes.diff"; then
	echo "outputs: the $(find "$work/out-new" -type f | wc -l) files of both reports are identical (SHA-256)"
else
	echo "outputs differ:"
	cat "$work/hashes.diff"
	for f in $(awk '$1==">"{print $3}' "$work/hashes.diff" | grep '\.geojson$'); do
		echo "  $f: $(/usr/bin/python3 bench/samegeojson.py "$work/out-base/$f" "$work/out-new/$f" || true)"
		if /usr/bin/python3 -c 'import shapely' 2>/dev/null; then
			echo "    $(/usr/bin/python3 bench/sameshape.py "$work/out-base/$f" "$work/out-new/$f")"
		fi
	done
fi
echo "report with maps: $(find "$work/maps-new" -name "*.png" | wc -l) PNG maps in $work/maps-new; with maps / --no-maps (this tree, minima): $(awk -v a="$(min 2 maps/new)" -v b="$(min 2 report/new)" -v c="$(min cpu maps/new)" -v d="$(min cpu report/new)" -v e="$(min 3 maps/new)" -v f="$(min 3 report/new)" 'BEGIN{printf "%.2f× wall, %.2f× CPU, %.2f× peak RSS", a/b, c/d, e/f}')"
