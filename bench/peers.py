#!/usr/bin/python3
"""peers.py JOB DIR OUT.csv — GeoPandas's side of issue 17's peer jobs on a
folder written by `catchment gen`, as whole processes (reading included):

  gaps    stores and post offices per district (sjoin within), gap = no store
  assign  each district's representative point → the nearest office, in
          Web Mercator (sjoin_nearest, or a SciPy k-d tree where GeoPandas
          lacks it, as compare.py does)

bench/speed.sh times them with /usr/bin/time beside `catchment gaps` and
`catchment assign` on the same folder and compares the answers.
"""
import sys

import geopandas as gpd
import numpy as np
import pandas as pd

job, folder, out = sys.argv[1:4]
d = gpd.read_file(f"{folder}/districts.geojson")[["id", "geometry"]]
if job == "gaps":
    counts = {}
    for layer in ("stores", "posts"):
        p = gpd.read_file(f"{folder}/{layer}.geojson")[["geometry"]]
        j = gpd.sjoin(p, d, how="inner", predicate="within")
        counts[layer] = d["id"].map(j.groupby("id").size()).fillna(0).astype(int)
    r = pd.DataFrame({"district_id": d["id"], "stores": counts["stores"], "posts": counts["posts"]})
    r["gap"] = r["stores"] == 0
    r.to_csv(out, index=False)
elif job == "assign":
    offices = pd.read_csv(f"{folder}/offices.csv", dtype={"id": str})
    o = gpd.GeoDataFrame(offices[["id"]].rename(columns={"id": "office_id"}),
                         geometry=gpd.points_from_xy(offices.lon, offices.lat), crs="EPSG:4326")
    pts = d.copy()
    pts["geometry"] = d.geometry.representative_point()
    p3, o3 = pts.to_crs(3857), o.to_crs(3857)
    try:
        j = gpd.sjoin_nearest(p3, o3, how="left")
        j = j[~j.index.duplicated(keep="first")]
        r = pd.DataFrame({"district_id": j["id"].values, "office_id": j["office_id"].values})
    except NotImplementedError:
        from scipy.spatial import cKDTree
        tree = cKDTree(np.column_stack([o3.geometry.x, o3.geometry.y]))
        _, k = tree.query(np.column_stack([p3.geometry.x, p3.geometry.y]))
        r = pd.DataFrame({"district_id": p3["id"].values, "office_id": o3["office_id"].values[k]})
    r.to_csv(out, index=False)
else:
    sys.exit(f"unknown job {job!r}: gaps or assign")
