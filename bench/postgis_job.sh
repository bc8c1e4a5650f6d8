#!/usr/bin/env bash
# postgis_job.sh JOB DIR PG OUT.csv — PostGIS's side of issue 17's peer
# jobs on a folder written by `catchment gen`, as a whole job: the layers
# the job needs loaded from DIR with ogr2ogr into a fresh schema (with GiST
# indexes), then one query, its answer written to OUT.csv:
#
#   gaps    stores and post offices per district (ST_Contains)
#   assign  each district's ST_PointOnSurface → the nearest office on the
#           spheroid (ST_Distance on geography), among the 16 nearest by the
#           index's planar distance in degrees
#
# PG is a GDAL connection string to a database with PostGIS (bench/speed.sh
# starts one with bench/pgcluster.sh).
set -euo pipefail
job=$1 dir=$2 pg=$3 out=$4
conn=${pg#PG:}
schema=peer_$job
export PGOPTIONS=--client-min-messages=warning
psql -q "$conn" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
load() {
	local layer=$1
	shift
	ogr2ogr --config PG_USE_COPY YES -f PostgreSQL "$pg" "$@" -nln "$schema.$layer" -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST
}
case $job in
gaps)
	load districts "$dir/districts.geojson" -nlt PROMOTE_TO_MULTI
	load stores "$dir/stores.geojson"
	load posts "$dir/posts.geojson"
	query="SELECT d.id AS district_id,
		(SELECT count(*) FROM $schema.stores s WHERE ST_Contains(d.geom, s.geom)) AS stores,
		(SELECT count(*) FROM $schema.posts p WHERE ST_Contains(d.geom, p.geom)) AS posts
		FROM $schema.districts d ORDER BY d.id"
	;;
assign)
	load districts "$dir/districts.geojson" -nlt PROMOTE_TO_MULTI
	load offices "$dir/offices.csv" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
	query="SELECT d.id AS district_id, n.id AS office_id
		FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM $schema.districts) d
		CROSS JOIN LATERAL (
			SELECT c.id FROM (SELECT o.id, o.geom FROM $schema.offices o ORDER BY o.geom <-> d.p LIMIT 16) c
			ORDER BY ST_Distance(c.geom::geography, d.p::geography) LIMIT 1) n
		ORDER BY d.id"
	;;
*)
	echo "unknown job $job: gaps or assign" >&2
	exit 2
	;;
esac
psql -q "$conn" -c "\\copy ($(echo "$query" | tr '\n\t' '  ')) TO '$out' CSV HEADER"
