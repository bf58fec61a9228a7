#!/usr/bin/env bash
# `ciminer demo` end to end: it succeeds, prints the summary, leaves files that
# pandas loads with the manifest's row counts; two data dirs give byte-identical
# feature vectors and dataset files (determinism), and re-running it in the
# same data dir is safe and gives the same files again.
set -euo pipefail
bin=${CIMINER_BIN:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" --data-dir "$tmp/a" demo --builds 160 --repos 3 >"$tmp/a.out" 2>"$tmp/a.err" || { cat "$tmp/a.err"; fail "demo exited $?"; }
grep -q "ciminer demo: scenario 1 is completed" "$tmp/a.out" || fail "no completed summary: $(cat "$tmp/a.out")"
grep -q "baseline parrot" "$tmp/a.out" || fail "summary lacks the baselines"
grep -q "^  missing: " "$tmp/a.out" || fail "summary lacks the missing-values line: $(cat "$tmp/a.out")"
! grep -q "post_build" "$tmp/a.out" || fail "the demo's dataset has post-build inputs: $(grep post_build "$tmp/a.out")"
ds="$tmp/a/datasets/1"
for f in train val test; do
  for ext in parquet csv pkl; do [ -s "$ds/$f.$ext" ] || fail "missing $ds/$f.$ext"; done
done
/usr/bin/python3 - "$ds" <<'PY' || fail "pandas could not load the files with the manifest's counts"
import json, sys, pandas as pd
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
counts = m["split"]["counts"]
for s in ("train", "val", "test"):
    p = pd.read_pickle(f"{d}/{s}.pkl")
    c = pd.read_csv(f"{d}/{s}.csv")
    assert len(p) == counts[s] == len(c), (s, len(p), len(c), counts[s])
    assert set(p["outcome"].unique()) <= {0, 1}, s
    assert str(p["started_at"].dtype) == "datetime64[ns, UTC]", p["started_at"].dtype
    assert list(p.columns) == list(c.columns), s
assert counts["train"] > counts["test"] > 0
# Leakage-free: every model input is known before the build; ids and times are metadata.
cols = {c["name"]: c for c in m["columns"]}
assert m["feature_columns"] and all(cols[n]["role"] == "feature" and cols[n]["availability"] == "pre_build"
                                    for n in m["feature_columns"]), m["feature_columns"]
for n in ("build_id", "started_at", "commit_sha", "repo_name"):
    assert cols[n]["role"] == "metadata" and n not in m["feature_columns"], n
assert not any("post_build" in w for w in m["warnings"]), m["warnings"]
# Defaults say what they did: every row with an imputed value and every build left out, with the reason.
mv = m["missing_values"]
assert mv["strategy"] == "fill" and mv["rows"] == sum(counts[s] for s in ("train", "val", "test")), mv
if mv["rows_missing"]:
    assert any("%d of %d rows" % (mv["rows_missing"], mv["rows"]) in w and "imputed" in w for w in m["warnings"]), m["warnings"]
    assert mv["by_resource"], mv
for x in m["excluded_builds"]:
    assert x["count"] > 0 and x["why"], x
    assert any("%d of " % sum(y["count"] for y in m["excluded_builds"]) in w and "not in the dataset" in w
               for w in m["warnings"]), m["warnings"]
open(d + "/../../missing.txt", "w").write("%d %d\n" % (mv["rows_missing"], sum(x["count"] for x in m["excluded_builds"]
                                                                               if x["reason"] == "missing_resource")))
for f in m["files"]:
    import hashlib
    assert hashlib.sha256(open(d + "/" + f["path"], "rb").read()).hexdigest() == f["sha256"], f["path"]
PY
# The manifest's counts are the database's: partial vectors are the rows with a missing input, missing_resource
# builds the ones left out.
read -r rows_missing excluded <"$tmp/a/missing.txt"
partial=$(sqlite3 "$tmp/a/ciminer.db" "SELECT COUNT(*) FROM feature_vectors WHERE status = 'partial'")
[ "$rows_missing" = "$partial" ] || fail "manifest: $rows_missing rows with a missing input, database: $partial partial vectors"
mr=$(sqlite3 "$tmp/a/ciminer.db" "SELECT COUNT(*) FROM training_ingestion_builds WHERE status = 'missing_resource'")
[ "$excluded" = "$mr" ] || fail "manifest: $excluded missing_resource builds excluded, database: $mr"

"$bin" --data-dir "$tmp/b" demo --builds 160 --repos 3 >/dev/null 2>&1 || fail "second data dir: demo failed"
( cd "$tmp/a/datasets/1" && sha256sum train.* val.* test.* ) >"$tmp/a.sums"
( cd "$tmp/b/datasets/1" && sha256sum train.* val.* test.* ) >"$tmp/b.sums"
diff "$tmp/a.sums" "$tmp/b.sums" >/dev/null || fail "two runs with the same seed wrote different files"
q="SELECT r.ci_run_id || ' ' || v.feature_values FROM feature_vectors v JOIN raw_build_runs r ON r.id = v.raw_run_id ORDER BY r.ci_run_id"
sqlite3 "$tmp/a/ciminer.db" "$q" >"$tmp/a.vec"
sqlite3 "$tmp/b/ciminer.db" "$q" >"$tmp/b.vec"
[ -s "$tmp/a.vec" ] || fail "no feature vectors stored"
cmp -s "$tmp/a.vec" "$tmp/b.vec" || fail "feature vectors differ between two identical runs"

"$bin" --data-dir "$tmp/a" demo --builds 160 --repos 3 >"$tmp/a2.out" 2>&1 || fail "re-running demo failed"
grep -q "reusing the demo world" "$tmp/a2.out" || fail "the re-run generated the world again"
grep -q "scenario 2 is completed" "$tmp/a2.out" || fail "the re-run did not complete: $(tail -3 "$tmp/a2.out")"
[ ! -d "$tmp/a/datasets/1" ] || fail "the previous demo scenario's files were not replaced"
( cd "$tmp/a/datasets/2" && sha256sum train.* val.* test.* ) >"$tmp/a2.sums"
diff "$tmp/a.sums" "$tmp/a2.sums" >/dev/null || fail "the re-run wrote different files"
n=$(sqlite3 "$tmp/a/ciminer.db" "SELECT COUNT(*) FROM build_sources")
[ "$n" = 1 ] || fail "the re-run imported the world again ($n sources)"
echo "demo: 3 runs, identical files and vectors"
