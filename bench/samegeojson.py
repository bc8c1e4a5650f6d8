"""samegeojson.py A.geojson B.geojson — whether two GeoJSON files hold the
same features (same order, same properties) and the same polygons up to
where each ring starts and the order of a MultiPolygon's parts and holes.
Prints one line; exit status 1 when they differ in anything else."""
import json
import sys


def ring_key(ring):
    pts = [tuple(p) for p in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    k = pts.index(min(pts))
    return tuple(pts[k:] + pts[:k])


def geom_key(g):
    if g is None:
        return None
    if g["type"] == "Polygon":
        polys = [g["coordinates"]]
    elif g["type"] == "MultiPolygon":
        polys = g["coordinates"]
    else:
        return json.dumps(g, sort_keys=True)
    return tuple(sorted((ring_key(p[0]), tuple(sorted(ring_key(h) for h in p[1:]))) for p in polys))


def main(a, b):
    fa, fb = (json.load(open(x, encoding="utf-8"))["features"] for x in (a, b))
    if len(fa) != len(fb):
        print(f"{len(fa)} features against {len(fb)}")
        return 1
    starts = 0
    for i, (x, y) in enumerate(zip(fa, fb)):
        if x.get("properties") != y.get("properties"):
            print(f"feature {i}: properties differ")
            return 1
        if geom_key(x.get("geometry")) != geom_key(y.get("geometry")):
            print(f"feature {i}: geometries differ beyond ring start and part order")
            return 1
        starts += x.get("geometry") != y.get("geometry")
    print(f"same {len(fa)} features and properties; {starts} geometries differ only in where rings start or the order of parts and holes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
