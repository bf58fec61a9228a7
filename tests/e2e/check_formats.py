"""One value in three formats: compares the Parquet, CSV and pickle files of
every split of a generated dataset cell by cell, with the column types the
manifest declares.

usage: check_formats.py DATASET_DIR E2E_DIR [DUCKDB_DIR]

Readers: pandas for pickle and CSV (the CSV read with the manifest's types:
strings as str, timestamps parsed as UTC, which is how docs/dataset.md says to
load it); DuckDB (node package) for Parquet, since Debian 12 packages no
pyarrow for pandas.read_parquet. Without DuckDB the Parquet files are skipped
with a note and CSV is still compared with pickle.

Asserts: every column of manifest.columns is in every file, in that order;
timestamps are datetime64[ns, UTC] in pickle and TIMESTAMP with
isAdjustedToUTC in Parquet; string columns (ids included) hold str values in
pickle and UTF8 BYTE_ARRAY in Parquet; no string cell is "" (a missing value
is a null everywhere); every cell is equal in the three formats (floats
exactly, timestamps to the microsecond, nulls as nulls).
"""
import json
import math
import os
import subprocess
import sys

import pandas as pd

problems = []


def duckdb(duck_dir, e2e_dir, sql):
    script = os.path.join(e2e_dir, "..", "dataset", "duckdb_query.cjs")
    out = subprocess.run(["node", script, duck_dir, sql], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def is_null(v):
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def norm(v, typ):
    """A cell as a plain Python value of the manifest type, None for null."""
    if is_null(v):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if typ == "timestamp":
        if isinstance(v, (int, str)) and str(v).lstrip("-").isdigit():
            return int(v)  # DuckDB's epoch_us
        return pd.Timestamp(v).value // 1000
    if typ == "int64":
        return int(v)
    if typ == "float64":
        return float(v)
    if typ == "bool":
        return v if isinstance(v, bool) else str(v).lower() == "true"
    return v


def check_split(ddir, split, cols, duck, e2e_dir):
    names = [c["name"] for c in cols]
    types = {c["name"]: c["type"] for c in cols}
    pkl = pd.read_pickle(os.path.join(ddir, split + ".pkl"))
    dtypes = {n: str for n, t in types.items() if t == "string"}
    csv = pd.read_csv(os.path.join(ddir, split + ".csv"), keep_default_na=False, na_values=[""],
                      float_precision="round_trip", dtype=dtypes,
                      parse_dates=[n for n, t in types.items() if t == "timestamp"])
    frames = {"pickle": pkl, "csv": csv}
    for fmt, df in frames.items():
        if list(df.columns) != names:
            problems.append("%s.%s: columns %s, the manifest says %s" % (split, fmt, list(df.columns), names))
            return
    for n, t in types.items():
        if t == "timestamp" and str(pkl[n].dtype) != "datetime64[ns, UTC]":
            problems.append("%s.pkl: %s is %s, not datetime64[ns, UTC]" % (split, n, pkl[n].dtype))
        if t == "string":
            for fmt, df in frames.items():
                bad = [v for v in df[n] if not is_null(v) and not isinstance(v, str)]
                if bad:
                    problems.append("%s.%s: %s holds non-strings such as %r" % (split, fmt, n, bad[0]))
                if any(v == "" for v in df[n] if isinstance(v, str)):
                    problems.append("%s.%s: %s holds an empty string standing for a null" % (split, fmt, n))
    rows = {fmt: [[norm(df[n].iloc[i], types[n]) for n in names] for i in range(len(df))]
            for fmt, df in frames.items()}
    if duck:
        path = os.path.join(ddir, split + ".parquet")
        schema = duckdb(duck, e2e_dir, "SELECT name, type, converted_type, logical_type FROM parquet_schema('%s')"
                        " WHERE num_children IS NULL" % path)
        if [s["name"] for s in schema] != names:
            problems.append("%s.parquet: columns %s" % (split, [s["name"] for s in schema]))
            return
        for s in schema:
            t = types[s["name"]]
            if t == "timestamp" and "isAdjustedToUTC=1" not in str(s["logical_type"]).replace(" ", "") \
                    and "isAdjustedToUTC=true" not in str(s["logical_type"]).replace(" ", ""):
                problems.append("%s.parquet: %s is not a UTC timestamp (%s)" % (split, s["name"], s["logical_type"]))
            if t == "string" and (s["type"] != "BYTE_ARRAY" or s["converted_type"] != "UTF8"):
                problems.append("%s.parquet: %s is %s/%s, not a UTF8 string" % (split, s["name"], s["type"],
                                                                               s["converted_type"]))
        sel = ", ".join(('epoch_us("%s") AS "%s"' % (n, n)) if types[n] == "timestamp" else '"%s"' % n
                        for n in names)
        # One DuckDB thread (duckdb_query.cjs) reads the rows in file order.
        got = duckdb(duck, e2e_dir, "SELECT %s FROM read_parquet('%s')" % (sel, path))
        rows["parquet"] = [[norm(r[n], types[n]) for n in names] for r in got]
    ref = rows["pickle"]
    for fmt, rs in rows.items():
        if len(rs) != len(ref):
            problems.append("%s.%s: %d rows, pickle has %d" % (split, fmt, len(rs), len(ref)))
            continue
        for i, (a, b) in enumerate(zip(ref, rs)):
            for n, x, y in zip(names, a, b):
                if x != y:
                    problems.append("%s: row %d column %s is %r in pickle and %r in %s" % (split, i, n, x, y, fmt))
                    break
            else:
                continue
            break
    print("check_formats: %s: %d rows x %d columns equal in %s" % (split, len(ref), len(names), ", ".join(rows)),
          file=sys.stderr)


def main():
    ddir, e2e_dir = sys.argv[1:3]
    duck = sys.argv[3] if len(sys.argv) > 3 else None
    man = json.load(open(os.path.join(ddir, "manifest.json")))
    cols = man["columns"]
    formats = {f["format"] for f in man["files"]}
    if formats != {"parquet", "csv", "pickle"}:
        print("check_formats: the dataset needs all three formats, has %s" % sorted(formats), file=sys.stderr)
        sys.exit(1)
    if not duck:
        print("check_formats: SKIP Parquet (no DuckDB): CSV and pickle only", file=sys.stderr)
    for split in ("train", "val", "test"):
        check_split(ddir, split, cols, duck, e2e_dir)
    for p in problems[:20]:
        print("check_formats: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
