#!/usr/bin/python3
"""Comparison harness: the same jobs on the same files with catchment (Go),
GeoPandas and, where installed, QGIS's qgis_process, each timed as a whole
process, with the answers checked against each other. See bench/README.md.

    /usr/bin/python3 bench/compare.py --data /tmp/nation --work /tmp/bench-work [--runs 2]

Jobs:
  nearest  nearest office of every population point (cell centroid)
  count    convenience stores per district (point in polygon)

It needs the Go toolchain, Debian's python3-geopandas and, optionally, QGIS
(qgis_process); it is not part of `go test` (see bench/agreement_test.go for
the small check that is).
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

GPD_NEAREST = r'''
import sys, geopandas as gpd, pandas as pd
pts = gpd.read_file(sys.argv[1])[["id", "geometry"]]
offices = pd.read_csv(sys.argv[2], dtype={"id": str})
offices = gpd.GeoDataFrame(offices[["id"]].rename(columns={"id": "office_id"}),
                           geometry=gpd.points_from_xy(offices.lon, offices.lat), crs="EPSG:4326")
# Nearest in a conformal projection (Web Mercator): right except near ties.
p3, o3 = pts.to_crs(3857), offices.to_crs(3857)
try:
    j = gpd.sjoin_nearest(p3, o3, how="left", distance_col="d")
    j = j[~j.index.duplicated(keep="first")]
except NotImplementedError:
    # Debian bookworm's GeoPandas 0.12 on Shapely 1.8 without PyGEOS has no
    # sjoin_nearest; the usual fallback is a SciPy k-d tree on the same
    # projected coordinates.
    from scipy.spatial import cKDTree
    import numpy as np
    tree = cKDTree(np.column_stack([o3.geometry.x, o3.geometry.y]))
    _, k = tree.query(np.column_stack([p3.geometry.x, p3.geometry.y]))
    j = pd.DataFrame({"id": p3["id"].values, "office_id": o3["office_id"].values[k]})
    sys.stderr.write("sjoin_nearest unavailable (Shapely < 2, no PyGEOS): used scipy cKDTree\n")
j[["id", "office_id"]].to_csv(sys.argv[3], index=False)
'''

GPD_COUNT = r'''
import sys, geopandas as gpd
d = gpd.read_file(sys.argv[1])[["id", "geometry"]]
s = gpd.read_file(sys.argv[2])[["geometry"]]
j = gpd.sjoin(s, d, how="inner", predicate="within")
counts = j.groupby("id").size()
d["count"] = d["id"].map(counts).fillna(0).astype(int)
d[["id", "count"]].to_csv(sys.argv[3], index=False)
'''


TIMEOUT = None  # seconds per process; set from --timeout


def timed(cmd, env=None):
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        sys.stderr.write("TIMED OUT after %d s: %s\n" % (TIMEOUT, " ".join(cmd)))
        return None
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.stderr.write("FAILED: %s\n%s\n" % (" ".join(cmd), r.stderr.decode(errors="replace")[-2000:]))
        return None
    return dt


def best_of(runs, cmd, env=None):
    times = [timed(cmd, env) for _ in range(runs)]
    if any(t is None for t in times):
        return None, times
    return min(times), times


def read_map(path, key, value):
    with open(path, newline="", encoding="utf-8") as f:
        return {row[key]: row[value] for row in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder written by catchment gen")
    ap.add_argument("--work", required=True, help="scratch folder for outputs")
    ap.add_argument("--runs", type=int, default=2, help="runs per tool and job; the best is reported")
    ap.add_argument("--qgis-runs", type=int, default=1, help="runs of QGIS per job (its point count takes minutes at nation scale)")
    ap.add_argument("--no-qgis", action="store_true")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds a process may run before it is stopped and reported as failed")
    a = ap.parse_args()
    global TIMEOUT
    TIMEOUT = a.timeout
    os.makedirs(a.work, exist_ok=True)
    w = lambda name: os.path.join(a.work, name)

    ours = w("ourjobs")
    subprocess.run(["go", "build", "-o", ours, "./bench/ourjobs"], cwd=ROOT, check=True)
    with open(w("gpd_nearest.py"), "w") as f:
        f.write(GPD_NEAREST)
    with open(w("gpd_count.py"), "w") as f:
        f.write(GPD_COUNT)
    points = w("population_points.geojson")
    subprocess.run([ours, "points", a.data, points], check=True)
    offices_csv = os.path.join(a.data, "offices.csv")
    districts = os.path.join(a.data, "districts.geojson")
    stores = os.path.join(a.data, "stores.geojson")
    py = "/usr/bin/python3"

    # Debian's /usr/bin/qgis_process wrapper passes --noversioncheck, which
    # qgis_process 3.22 rejects: call the binary.
    # QGIS reads the offices as GeoJSON points (setup, untimed).
    offices_geojson = w("offices.geojson")
    with open(offices_csv, newline="", encoding="utf-8") as f, open(offices_geojson, "w", encoding="utf-8") as g:
        rows = list(csv.DictReader(f))
        g.write('{"type":"FeatureCollection","features":[\n')
        g.write(",\n".join('{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,%s]},"properties":{"id":"%s"}}'
                            % (r["lon"], r["lat"], r["id"]) for r in rows))
        g.write("\n]}\n")
    qgis = None if a.no_qgis else (shutil.which("qgis_process.bin") or shutil.which("qgis_process"))
    runtime_dir = w("xdg-runtime")
    os.makedirs(runtime_dir, mode=0o700, exist_ok=True)
    os.chmod(runtime_dir, 0o700)
    qenv = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=runtime_dir)
    jobs = {
        "nearest": {
            "ours": [ours, "nearest", points, offices_csv, w("ours_nearest.csv")],
            "geopandas": [py, w("gpd_nearest.py"), points, offices_csv, w("gpd_nearest.csv")],
            "qgis": [qgis, "run", "native:joinbynearest", "--INPUT=" + points,
                     "--INPUT_2=" + offices_geojson,
                     "--FIELDS_TO_COPY=id", "--PREFIX=office_", "--NEIGHBORS=1", "--OUTPUT=" + w("qgis_nearest.csv")] if qgis else None,
        },
        "count": {
            "ours": [ours, "count", districts, stores, w("ours_count.csv")],
            "geopandas": [py, w("gpd_count.py"), districts, stores, w("gpd_count.csv")],
            "qgis": [qgis, "run", "native:countpointsinpolygon", "--POLYGONS=" + districts, "--POINTS=" + stores,
                     "--FIELD=count", "--OUTPUT=" + w("qgis_count.csv")] if qgis else None,
        },
    }
    results = {}
    for job, tools in jobs.items():
        for tool, cmd in tools.items():
            if cmd is None:
                continue
            best, times = best_of(a.qgis_runs if tool == "qgis" else a.runs, cmd, qenv if tool == "qgis" else None)
            results[(job, tool)] = best
            print("%-8s %-10s %s" % (job, tool, " ".join("%.2f s" % t if t is not None else "failed" for t in times)), flush=True)

    # Agreement.
    agree = {}
    ours_n = read_map(w("ours_nearest.csv"), "id", "office_id")
    ours_d = read_map(w("ours_nearest.csv"), "id", "distance_m")
    ours_c = read_map(w("ours_count.csv"), "id", "count")
    for tool, nfile, key in (("geopandas", "gpd_nearest.csv", "office_id"), ("qgis", "qgis_nearest.csv", "office_id")):
        if results.get(("nearest", tool)) is None:
            continue
        theirs = read_map(w(nfile), "id", key)
        diff = [k for k in ours_n if theirs.get(k) != ours_n[k]]
        agree[("nearest", tool)] = "%d/%d same office (%d differ)" % (len(ours_n) - len(diff), len(ours_n), len(diff))
        if diff:
            # A difference is a near tie when their office is within 1 % of ours in geodesic distance.
            import math
            offices = {}
            with open(offices_csv, newline="", encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    offices[r["id"]] = (float(r["lon"]), float(r["lat"]))
            pts = {}
            import json
            with open(points, encoding="utf-8") as f:
                for feat in json.load(f)["features"]:
                    if feat["properties"]["id"] in set(diff[:2000]):
                        pts[feat["properties"]["id"]] = feat["geometry"]["coordinates"]
            def hav(p, q):
                lon1, lat1, lon2, lat2 = map(math.radians, (p[0], p[1], q[0], q[1]))
                h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
                return 2 * 6371008.8 * math.asin(math.sqrt(h))
            worst = 0.0
            for k in list(pts)[:2000]:
                ours_m = float(ours_d[k])
                theirs_m = hav(pts[k], offices[theirs[k]]) if theirs.get(k) in offices else float("inf")
                worst = max(worst, (theirs_m - ours_m) / max(ours_m, 1))
            agree[("nearest", tool)] += "; their office at most %.2f %% farther" % (100 * worst)
    for tool, cfile, key in (("geopandas", "gpd_count.csv", "count"), ("qgis", "qgis_count.csv", "count")):
        if results.get(("count", tool)) is None:
            continue
        theirs = read_map(w(cfile), "id", key)
        diff = [k for k in ours_c if int(float(theirs.get(k, -1))) != int(ours_c[k])]
        agree[("count", tool)] = "%d/%d same count (%d differ)" % (len(ours_c) - len(diff), len(ours_c), len(diff))

    print()
    print("| job | tool | best of %d (QGIS: %d) (s) | ratio to ours | agreement with ours |" % (a.runs, a.qgis_runs))
    print("|---|---|---:|---:|---|")
    for job in jobs:
        base = results.get((job, "ours"))
        for tool in ("ours", "geopandas", "qgis"):
            if (job, tool) not in results:
                continue
            t = results[(job, tool)]
            ratio = "%.1f×" % (t / base) if t and base else "–"
            print("| %s | %s | %s | %s | %s |" % (job, tool, "%.2f" % t if t else "failed", ratio, agree.get((job, tool), "(reference)" if tool == "ours" else "–")))


if __name__ == "__main__":
    main()
