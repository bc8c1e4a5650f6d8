#!/usr/bin/env bash
# gpkg.sh [RUNS] — issue 17's GeoPackage figures: the nation-scale
# `report --no-maps --data DIR` read from GeoJSON and from GeoPackage (every
# layer converted with ogr2ogr, one .gpkg per layer; offices stay CSV),
# interleaved, RUNS times each (default 3), by bench/ogrformat.sh: wall
# seconds, CPU seconds and peak RSS (the minimum counts), and whether both
# reports are the same files. Needs ogr2ogr (gdal-bin). WORK as there.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/ogrformat.sh GeoPackage gpkg nation-gpkg "${1:-3}" -f GPKG
