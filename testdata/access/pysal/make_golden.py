#!/usr/bin/python3
"""Writes the inputs and the golden of catchment's PySAL-formula test.

Run from this folder with Debian's python3 (numpy, pandas):

    /usr/bin/python3 make_golden.py

It writes districts.csv (id, population), offices.csv (id, counter_count),
costs.csv (origin, dest, distance_m: a cost matrix with missing pairs) and
golden.csv (case, district_id, access, access_norm) for every case of
cases.json. The indices follow PySAL access (fca.weighted_catchment,
fca.two_stage_fca, weights.step_fn / gaussian / gravity,
helpers.normalized_access), re-implemented here in the same pandas steps
(merge the costs with the locations, keep the pairs within the catchment,
multiply by the weight, group and sum). Two rules of issue 14 differ from
PySAL and are applied on purpose:

- the catchment keeps costs d <= d0 (PySAL keeps d < max_cost); costs.csv
  has pairs at exactly 5,000 m, which count;
- R_j = 0 when no demand reaches office j (PySAL divides by zero).

A district with no office in range has access NaN here, as in PySAL; the
library reports 0 and the test expects that.
"""

import json
import math

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261214)

# Inputs: 40 districts, 8 offices, costs in metres.
n_districts, n_offices = 40, 8
districts = pd.DataFrame({
    "id": [f"d{i:02d}" for i in range(1, n_districts + 1)],
    "population": rng.integers(0, 20000, n_districts).astype(float),
})
districts.loc[[4, 17], "population"] = 0.0  # districts with no residents
offices = pd.DataFrame({
    "id": [f"o{j}" for j in range(1, n_offices + 1)],
    "counter_count": rng.integers(5000, 150000, n_offices).astype(float),
})
rows = []
for i, d in enumerate(districts["id"]):
    for j, o in enumerate(offices["id"]):
        if rng.random() < 0.15:
            continue  # not reachable: missing from the matrix
        cost = round(float(rng.uniform(150, 11000)), 2)
        rows.append((d, o, cost))
costs = pd.DataFrame(rows, columns=["origin", "dest", "distance_m"])
# Pairs exactly at the 5 km catchment (inside by d <= d0).
costs.loc[costs.index[3], "distance_m"] = 5000.0
costs.loc[costs.index[50], "distance_m"] = 5000.0
# A district with no office within 5 km: every cost beyond it.
far = costs["origin"] == "d07"
costs.loc[far, "distance_m"] = costs.loc[far, "distance_m"].clip(lower=6200.0)
# Office o8 is reached within 5 km only by the districts with no residents.
o8 = costs["dest"] == "o8"
costs.loc[o8, "distance_m"] = costs.loc[o8, "distance_m"].clip(lower=7000.0)
for d, c in (("d05", 900.0), ("d18", 1400.0)):
    costs = costs[~((costs["origin"] == d) & (costs["dest"] == "o8"))]
    costs = pd.concat([costs, pd.DataFrame([(d, "o8", c)], columns=costs.columns)], ignore_index=True)
costs = costs.sort_values(["origin", "dest"]).reset_index(drop=True)


def step_fn(steps):
    def helper(x):
        for k, v in sorted(steps.items()):
            if x <= k:
                return v
        return 0
    return helper


def gaussian(sigma):
    return lambda x: np.exp(-x * x / (2 * sigma**2))


def dai_gaussian(d0):
    e = math.exp(-0.5)
    return lambda x: (math.exp(-0.5 * (x / d0) ** 2) - e) / (1 - e)


def gravity(scale, alpha, min_dist=0):
    return lambda x: np.power(max(x, min_dist) / scale, alpha)


def weighted_catchment(loc, cost_df, max_cost, source, dest, value, weight_fn):
    """PySAL's fca.weighted_catchment: the weighted sum of loc[value] over
    the pairs, grouped by dest."""
    temp = pd.merge(cost_df, loc, left_on=source, right_index=True)
    if max_cost is not None:
        temp = temp[temp["cost"] <= max_cost].copy()
    if weight_fn:
        temp[value] = temp[value] * temp["cost"].apply(weight_fn)
    return temp.groupby([dest])[value].sum()


def two_stage_fca(demand, supply, cost_df, max_cost, weight_fn):
    """PySAL's fca.two_stage_fca, with R_j = 0 where no demand reaches j."""
    total_demand = weighted_catchment(demand, cost_df, max_cost, "origin", "dest", "demand", weight_fn)
    temp = supply.join(total_demand, how="right")
    temp["supply"] = temp["supply"].fillna(0)
    ratio = temp["supply"] / temp["demand"]
    ratio[temp["demand"] == 0] = 0.0
    rl = pd.DataFrame({"Rl": ratio})
    return weighted_catchment(rl, cost_df, max_cost, "dest", "origin", "Rl", weight_fn)


def gravity_access(supply, cost_df, max_cost, weight_fn):
    """PySAL's Access.weighted_catchment: Σ_j S_j·W_ij per origin."""
    return weighted_catchment(supply, cost_df, max_cost, "dest", "origin", "supply", weight_fn)


def weight_of(case):
    method, decay = case["method"], case.get("decay", "")
    if method == "2sfca":
        return None
    if method in ("gravity", "gravity2sfca"):
        return gravity(case["scale_m"], -case["beta"], case.get("min_m", 0))
    d0 = case["catchment_m"]
    if decay == "gaussian":
        return dai_gaussian(d0)
    if decay == "pysal-gaussian":
        return gaussian(case.get("sigma_m") or d0 / 2)
    steps = case.get("steps") or [[10 * d0 / 30, 1], [20 * d0 / 30, 0.68], [d0, 0.22]]
    return step_fn({k: v for k, v in steps})


def main():
    with open("cases.json") as f:
        cases = json.load(f)
    demand = districts.set_index("id").rename(columns={"population": "demand"})
    cost_df = costs.rename(columns={"distance_m": "cost"})
    out = []
    for case in cases:
        supply = offices.set_index("id")[["counter_count"]].rename(columns={"counter_count": "supply"})
        if case["supply"] == "none":
            supply["supply"] = 1.0
        max_cost = case.get("catchment_m") or None
        fn = weight_of(case)
        if case["method"] == "gravity":
            series = gravity_access(supply, cost_df, max_cost, fn)
        else:
            series = two_stage_fca(demand, supply, cost_df, max_cost, fn)
        access = demand[["demand"]].join(series.rename("access"))
        # helpers.normalized_access: pandas sums skip NaN.
        mean = (access["access"] * access["demand"]).sum() / access["demand"].sum()
        access["access_norm"] = access["access"] / mean
        for did, r in access.iterrows():
            out.append((case["name"], did, r["access"], r["access_norm"]))
    golden = pd.DataFrame(out, columns=["case", "district_id", "access", "access_norm"])
    districts.to_csv("districts.csv", index=False)
    offices.to_csv("offices.csv", index=False)
    costs.to_csv("costs.csv", index=False)
    golden.to_csv("golden.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
