"""Compares ciminer's preprocessing with scikit-learn 1.2 fitted on the same train rows.

usage: /usr/bin/python3 check_prep.py RAW.csv OUT.csv TRAIN_ROWS.txt PARAMS.json MISSING FILL NORM

RAW.csv is the frame before preprocessing, OUT.csv after (both written by
ciminer's CSV writer, itself checked against pandas elsewhere); TRAIN_ROWS.txt
the train row indices. For every numeric feature, SimpleImputer (fill) and
StandardScaler / MinMaxScaler / RobustScaler are fitted on the train rows only
and applied to all rows; values and fitted parameters must agree to 1e-9.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

raw_p, out_p, train_p, params_p, missing, fill, norm = sys.argv[1:8]
opts = dict(float_precision="round_trip", keep_default_na=False, na_values=[""])
raw = pd.read_csv(raw_p, **opts)
out = pd.read_csv(out_p, **opts)
train = [int(x) for x in open(train_p).read().split()]
params = json.load(open(params_p))
assert len(raw) == len(out)
checked = 0
for c in ["f_int", "f_big", "f_float", "f_const"]:
    X = raw[[c]].astype(float).values
    if missing == "skip_feature" and np.isnan(X[train]).any():
        assert c not in out.columns, f"{c} should have been skipped"
        assert c in params["skipped_features"], params["skipped_features"]
        continue
    p = params["columns"][c]
    if missing == "fill":
        if fill in ("mean", "median"):
            imp = SimpleImputer(strategy=fill)
        else:
            imp = SimpleImputer(strategy="constant", fill_value=float(fill))
        imp.fit(X[train])
        np.testing.assert_allclose(p["fill"], imp.statistics_[0], rtol=1e-12, atol=1e-9, err_msg=c + " fill")
        X = imp.transform(X)
    if norm != "none":
        sc = {"z_score": StandardScaler(), "min_max": MinMaxScaler(), "robust": RobustScaler()}[norm]
        sc.fit(X[train])
        if norm == "z_score":
            np.testing.assert_allclose(p["mean"], sc.mean_[0], rtol=1e-12, err_msg=c)
            np.testing.assert_allclose(p["scale"], sc.scale_[0], rtol=1e-9, err_msg=c)
        elif norm == "min_max":
            np.testing.assert_allclose([p["min"], p["max"]], [sc.data_min_[0], sc.data_max_[0]], rtol=0, err_msg=c)
            np.testing.assert_allclose(p["scale"], sc.scale_[0], rtol=1e-12, err_msg=c)
        else:
            np.testing.assert_allclose(p["median"], sc.center_[0], rtol=1e-12, err_msg=c)
            np.testing.assert_allclose(p["scale"], sc.scale_[0], rtol=1e-12, err_msg=c)
        X = sc.transform(X)
    Y = out[[c]].astype(float).values
    assert (np.isnan(X) == np.isnan(Y)).all(), f"{c}: null positions differ"
    ok = ~np.isnan(X)
    np.testing.assert_allclose(Y[ok], X[ok], rtol=1e-12, atol=1e-9, err_msg=c)
    if norm != "none":
        assert not np.isnan(Y[ok]).any()
    checked += 1
print("OK", checked)
