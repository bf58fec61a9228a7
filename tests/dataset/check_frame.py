"""Independent check of a dataset file with pandas (Debian's python3-pandas).

usage: /usr/bin/python3 check_frame.py csv|pickle EXPECTED.json FILE

EXPECTED.json (written by the C test from the frame) holds the columns
(name, type, nullable) and the rows, timestamps as integer microseconds.
The file is loaded the way a researcher would (pandas.read_csv /
pandas.read_pickle, and plain pickle.load for pickles) and every dtype and
cell is compared. Prints OK or fails with the first difference.
"""
import json
import math
import pickle
import sys

import numpy as np
import pandas as pd

fmt, exp_path, path = sys.argv[1:4]
exp = json.load(open(exp_path))
cols = exp["columns"]

if fmt == "csv":
    df = pd.read_csv(path, float_precision="round_trip", keep_default_na=False, na_values=[""])
    want_dtype = {
        ("int64", False): "int64", ("int64", True): "float64", ("float64", False): "float64",
        ("float64", True): "float64", ("bool", False): "bool", ("bool", True): "object",
        ("string", False): "object", ("string", True): "object",
        ("timestamp", False): "object", ("timestamp", True): "object",
    }
else:
    df = pd.read_pickle(path)
    with open(path, "rb") as fh:
        df2 = pickle.load(fh)
    assert isinstance(df2, pd.DataFrame), type(df2)
    assert df.equals(df2), "pickle.load and read_pickle disagree"
    want_dtype = {
        ("int64", False): "int64", ("int64", True): "float64", ("float64", False): "float64",
        ("float64", True): "float64", ("bool", False): "bool", ("bool", True): "object",
        ("string", False): "object", ("string", True): "object",
        ("timestamp", False): "datetime64[ns, UTC]", ("timestamp", True): "datetime64[ns, UTC]",
    }

assert list(df.columns) == [c["name"] for c in cols], (list(df.columns), [c["name"] for c in cols])
assert len(df) == len(exp["rows"]), (len(df), len(exp["rows"]))
assert isinstance(df.index, pd.RangeIndex), type(df.index)

for j, c in enumerate(cols):
    name, typ, nullable = c["name"], c["type"], c["nullable"]
    s = df[name]
    if len(df):
        want = want_dtype[(typ, nullable)]
        assert str(s.dtype) == want, f"{name}: dtype {s.dtype}, want {want}"
    if typ == "timestamp":
        s = pd.to_datetime(s, utc=True)
    for i, row in enumerate(exp["rows"]):
        v, got = row[j], s.iloc[i]
        if v is None:
            assert pd.isna(got), f"row {i} {name}: want null, got {got!r}"
            continue
        assert not pd.isna(got), f"row {i} {name}: unexpected null (want {v!r})"
        if typ == "timestamp":
            assert got.value // 1000 == v and got.value % 1000 == 0, f"row {i} {name}: {got} != {v} us"
        elif typ == "int64":
            if nullable:
                assert got == float(v), f"row {i} {name}: {got!r} != {v!r}"
            else:
                assert int(got) == v, f"row {i} {name}: {got!r} != {v!r}"
        elif typ == "float64":
            assert float(got) == v, f"row {i} {name}: {got!r} != {v!r}"
        elif typ == "bool":
            assert bool(got) is v and isinstance(got, (bool, np.bool_)), f"row {i} {name}: {got!r} != {v!r}"
        else:
            assert got == v and isinstance(got, str), f"row {i} {name}: {got!r} != {v!r}"
print("OK")
