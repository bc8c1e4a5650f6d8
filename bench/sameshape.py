"""sameshape.py A.geojson B.geojson — for two GeoJSON files whose polygons
differ in their vertices (bench/samegeojson.py says so), how far apart they
are: per feature the area of the symmetric difference relative to the
feature's area (shapely, planar in the file's degrees), whether B's
geometries are valid, and which properties differ and by how much. The
files are written to 1e-7 degrees (about 1 cm), so rounding alone moves a
polygon's area by up to a few 1e-7. Prints one line."""
import json
import sys

from shapely.geometry import shape


def main(a, b):
    fa, fb = (json.load(open(x, encoding="utf-8"))["features"] for x in (a, b))
    if len(fa) != len(fb):
        print(f"{len(fa)} features against {len(fb)}")
        return 1
    worst, invalid, parts = 0.0, 0, 0
    props = {}
    for x, y in zip(fa, fb):
        ga, gb = shape(x["geometry"]), shape(y["geometry"])
        invalid += not gb.is_valid
        if ga.area > 0:
            worst = max(worst, ga.symmetric_difference(gb).area / ga.area)
        parts += len(getattr(ga, "geoms", [ga])) != len(getattr(gb, "geoms", [gb]))
        for k, v in x["properties"].items():
            w = y["properties"].get(k)
            if v != w:
                d = abs(v - w) / abs(v) if isinstance(v, (int, float)) and isinstance(w, (int, float)) and v else float("inf")
                n, m = props.get(k, (0, 0.0))
                props[k] = (n + 1, max(m, d))
    diffs = ", ".join(f"{k} in {n} (at most {m:.1e} relative)" for k, (n, m) in sorted(props.items())) or "none"
    print(f"{len(fa)} features; symmetric difference at most {worst:.1e} of a feature's area; {invalid} invalid; {parts} with another number of parts; properties that differ: {diffs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
