"""Checks a generated dataset folder against its manifest and the database's
split rows, reading every file back with independent readers: pandas for CSV
and pickle, DuckDB (node package, optional) for Parquet.

usage: check_dataset.py DATASET_DIR SPLITS.json E2E_DIR [DUCKDB_DIR]
(SPLITS.json: `ciminer --json scenario splits ID`)

Asserts, for each file: it exists, its size and sha256 are the split row's,
its row count is the split row's = manifest.files[].rows =
manifest.split.counts[split]; it loads; its rows, columns and class
distribution are the manifest's; the three formats hold the same columns and
the same numbers. Prints one line per file.
"""
import hashlib
import json
import math
import os
import subprocess
import sys

import pandas as pd

problems = []


def expect(what, got, want):
    if got != want:
        problems.append("%s: got %r, expected %r" % (what, got, want))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def duckdb(duck_dir, e2e_dir, sql):
    script = os.path.join(e2e_dir, "..", "dataset", "duckdb_query.cjs")
    out = subprocess.run(["node", script, duck_dir, sql], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def same_numbers(what, a, b):
    """Columns that are numeric in both frames hold the same values (NaN = NaN)."""
    for col in a.columns:
        x, y = a[col], b[col]
        if not (pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y)):
            continue
        if pd.api.types.is_bool_dtype(x) != pd.api.types.is_bool_dtype(y):
            continue
        for i, (u, v) in enumerate(zip(x.astype(float), y.astype(float))):
            if not (u == v or (math.isnan(u) and math.isnan(v))):
                problems.append("%s: column %s row %d is %r in one format and %r in the other" % (what, col, i, u, v))
                return


def check_parquet(duck, e2e_dir, parquet, label, frames):
    """Two DuckDB queries over every Parquet file: rows and failed builds, then the schema."""
    paths = "[%s]" % ", ".join("'%s'" % p for _, p, _, _ in parquet)
    n = duckdb(duck, e2e_dir, "SELECT filename AS f, COUNT(*) AS n, SUM(CAST(\"%s\" AS BIGINT)) AS failed"
               " FROM read_parquet(%s, filename=true) GROUP BY filename" % (label, paths))
    n = {x["f"]: x for x in n}
    schema = duckdb(duck, e2e_dir, "SELECT file_name AS f, name, num_children FROM parquet_schema(%s)" % paths)
    for rel, path, split, r in parquet:
        what = "%s (parquet)" % rel
        got = n.get(path, {"n": 0, "failed": 0})
        cols = [x["name"] for x in schema if x["f"] == path and x["num_children"] is None]
        expect(what + " rows read by DuckDB", int(got["n"]), r["record_count"])
        expect(what + " failed builds read by DuckDB", int(got["failed"] or 0), r["class_distribution"].get("1", 0))
        frames.setdefault(split, {})["parquet_columns"] = cols
        print("check_dataset: %-14s %4d rows, %3d columns (DuckDB)" % (rel, int(got["n"]), len(cols)), file=sys.stderr)


def main():
    ddir, splits_path, e2e_dir = sys.argv[1:4]
    duck = sys.argv[4] if len(sys.argv) > 4 else None
    with open(os.path.join(ddir, "manifest.json")) as f:
        man = json.load(f)
    with open(splits_path) as f:
        rows = json.load(f)
    label = man["label"]["name"]
    nfeat = len(man["feature_columns"])
    files = {m["path"]: m for m in man["files"]}
    counts = man["split"]["counts"]
    expect("rows of train+val+test+dropped+without outcome",
           counts["train"] + counts["val"] + counts["test"] + counts.get("dropped", 0) + man["rows_without_outcome"],
           man["rows_in"])
    expect("split rows in the database", len(rows), len(files))
    expect("files on disk", sorted(os.listdir(ddir)), sorted(list(files) + ["manifest.json"]))
    frames = {}
    parquet = []
    for r in rows:
        split, fmt = r["split_type"], r["file_format"]
        path = r["file_path"]
        rel = os.path.relpath(path, ddir)
        what = "%s (%s)" % (rel, fmt)
        if not os.path.isfile(path):
            problems.append("%s: listed by scenario splits but absent" % path)
            continue
        m = files.get(rel, {})
        expect(what + " size", os.path.getsize(path), r["file_size_bytes"])
        expect(what + " sha256", sha256(path), r["sha256"])
        expect(what + " manifest sha256", m.get("sha256"), r["sha256"])
        expect(what + " rows in manifest.files", m.get("rows"), r["record_count"])
        expect(what + " rows in manifest.split.counts", counts[split], r["record_count"])
        expect(what + " rows in manifest.splits", man["splits"][split]["rows"], r["record_count"])
        expect(what + " feature_count", r["feature_count"], nfeat)
        expect(what + " class distribution", r["class_distribution"], man["splits"][split]["class_distribution"])
        if fmt == "csv":
            df = pd.read_csv(path, keep_default_na=False, na_values=[""], float_precision="round_trip")
        elif fmt == "pickle":
            df = pd.read_pickle(path)
        elif fmt == "parquet":
            parquet.append((rel, path, split, r))
            continue
        else:
            problems.append("%s: unknown format" % what)
            continue
        expect(what + " rows read by pandas", len(df), r["record_count"])
        expect(what + " label column", label in df.columns, True)
        dist = {str(k): int(v) for k, v in df[label].value_counts().items()} if label in df.columns else {}
        expect(what + " class distribution read by pandas", dist, r["class_distribution"])
        for f in man["features"]:
            if f["name"] not in df.columns:
                problems.append("%s: feature column %s is absent" % (what, f["name"]))
                break
        frames.setdefault(split, {})[fmt] = df
        print("check_dataset: %-14s %4d rows, %3d columns (pandas)" % (rel, len(df), len(df.columns)), file=sys.stderr)
    if parquet and duck:
        check_parquet(duck, e2e_dir, parquet, label, frames)
    elif parquet:
        print("check_dataset: %d Parquet files not read back (no DuckDB)" % len(parquet), file=sys.stderr)
    for split, fr in frames.items():
        if "csv" in fr and "pickle" in fr:
            expect(split + ": csv and pickle columns", list(fr["csv"].columns), list(fr["pickle"].columns))
            same_numbers(split + ": csv vs pickle", fr["csv"], fr["pickle"])
        if "parquet_columns" in fr and "pickle" in fr:
            expect(split + ": parquet and pickle columns", fr["parquet_columns"], list(fr["pickle"].columns))
    for p in problems:
        print("check_dataset: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
