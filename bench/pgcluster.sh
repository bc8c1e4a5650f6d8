# pgcluster.sh — sourced by the bench/ scripts that need PostGIS. It starts
# a throwaway PostgreSQL 15 cluster on a free port of 127.0.0.1 with a
# database "nation" holding the postgis extension, stops and removes it when
# the script exits, and sets pg to its GDAL/catchment connection string and
# pgport to its port. Needs postgresql-15-postgis-3. pg_available reports
# whether that is installed.
pgbin=/usr/lib/postgresql/15/bin
pg_available() { [ -x "$pgbin/initdb" ] && command -v psql >/dev/null && command -v ogr2ogr >/dev/null; }
start_pgcluster() {
	pgdir=$(mktemp -d)
	pgas=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$pgdir"
		pgas=(runuser -u postgres --)
	fi
	pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"${pgas[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
	"${pgas[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir" -l "$pgdir/log" -w start >/dev/null
	trap '"${pgas[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null; rm -rf "$pgdir"' EXIT
	psql -qh 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE nation" postgres
	psql -qh 127.0.0.1 -p "$pgport" -U postgres -c "CREATE EXTENSION postgis" nation
	pg="PG:host=127.0.0.1 port=$pgport dbname=nation user=postgres"
}
