#!/bin/sh
# Regenerates the reference data of package geo (see README.md).
# Needs Debian's geographiclib-tools 2.1.2 (GeodSolve, Planimeter) and
# proj-bin 9.1.1 (cs2cs), and python3 for the seeded input points.
set -eu
cd "$(dirname "$0")"

python3 - <<'PY'
import random
r = random.Random(20260525)
with open("geodesic.in", "w") as f:
    # Kumamoto scale: a few km around the city centre
    for _ in range(24):
        la, lo = 32.80 + r.uniform(-0.1, 0.1), 130.71 + r.uniform(-0.1, 0.1)
        lb, lob = la + r.uniform(-0.05, 0.05), lo + r.uniform(-0.05, 0.05)
        f.write(f"{la:.9f} {lo:.9f} {lb:.9f} {lob:.9f}\n")
    # regional: up to a few hundred km in Kyushu and Japan
    for _ in range(12):
        la, lo = r.uniform(30, 45), r.uniform(128, 146)
        lb, lob = r.uniform(30, 45), r.uniform(128, 146)
        f.write(f"{la:.9f} {lo:.9f} {lb:.9f} {lob:.9f}\n")
    # long: anywhere on the globe
    for _ in range(16):
        la, lo = r.uniform(-89, 89), r.uniform(-180, 180)
        lb, lob = r.uniform(-89, 89), r.uniform(-180, 180)
        f.write(f"{la:.9f} {lo:.9f} {lb:.9f} {lob:.9f}\n")
    # nearly antipodal
    for _ in range(12):
        la, lo = r.uniform(-60, 60), r.uniform(-180, 180)
        lb, lob = -la + r.uniform(-0.5, 0.5), lo + 180 - r.uniform(0, 0.5)
        f.write(f"{la:.9f} {lo:.9f} {lb:.9f} {lob:.9f}\n")
    # special cases: equatorial, meridional, exactly antipodal, coincident
    for line in ["0 0 0 179.5", "0 0 0.5 179.7", "-30 0 29.9 179.8",
                 "10 20 -10 -160", "0 0 0 90", "30 131 60 131",
                 "32.8 130.7 32.8 130.7", "89.5 0 89.5 180"]:
        f.write(line + "\n")

with open("planerect.in", "w") as f:
    # zone, then points within about 150 km of the zone origin
    origins = {1: (33, 129.5), 2: (33, 131), 3: (36, 132 + 10/60),
               9: (36, 139 + 50/60), 11: (44, 140.25), 14: (26, 142),
               19: (26, 154)}
    for z, (la0, lo0) in origins.items():
        for _ in range(8):
            f.write(f"{z} {la0 + r.uniform(-1.4, 1.4):.9f} {lo0 + r.uniform(-1.6, 1.6):.9f}\n")
    # Kumamoto city points in zone 2, and a few far from the meridian
    for la, lo in [(32.803, 130.708), (32.75, 130.60), (32.90, 130.82)]:
        f.write(f"2 {la} {lo}\n")
    for la, lo in [(33.0, 137.0), (40.0, 131.0), (24.0, 125.0)]:
        f.write(f"2 {la} {lo}\n")
PY

# Geodesics: lat1 lon1 azi1 lat2 lon2 azi2 s12 a12 m12 M12 M21 S12.
GeodSolve -i -f -p 6 < geodesic.in > geodesic.ref

# Plane rectangular: zone lat lon X(northing) Y(easting), JGD2011.
while read -r z lat lon; do
	code=$((6668 + z))
	echo "$lat $lon" | cs2cs -d 6 EPSG:6668 EPSG:$code |
		awk -v z="$z" -v la="$lat" -v lo="$lon" '{print z, la, lo, $1, $2}'
done < planerect.in > planerect.ref

# Areas: name, then Planimeter's "points perimeter area" of each polygon.
{
	printf 'cell_32N_130E '
	printf '32 130\n32 131\n33 131\n33 130\n' | Planimeter -p 6
	printf 'cell_0N_0E '
	printf '0 0\n0 1\n1 1\n1 0\n' | Planimeter -p 6
	printf 'cell_60N_10E '
	printf '60 10\n60 11\n61 11\n61 10\n' | Planimeter -p 6
	printf 'kumamoto_outer '
	printf '32.70 130.60\n32.70 130.85\n32.92 130.85\n32.92 130.60\n' | Planimeter -p 6
	printf 'kumamoto_hole '
	printf '32.78 130.68\n32.78 130.75\n32.84 130.75\n32.84 130.68\n' | Planimeter -p 6
} > area.ref
