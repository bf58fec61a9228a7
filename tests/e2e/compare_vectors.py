"""Compares the feature vectors of the same builds ingested through two
providers (test_github_api.sh: the local archive and the same archive served
as the GitHub API), matched by the CI run id.

usage: compare_vectors.py A.json A_IDS B.json B_IDS
(X.json: `ciminer --json scenario builds ID --phase enrichment`;
 X_IDS: "warehouse id|ci_run_id" lines of raw_build_runs)

Every feature must be equal, with two exceptions that are not the providers'
mappings: build_provider names the provider (local vs github_actions), and
history_prev_build_id is a warehouse id (each database numbers its runs in
its own insertion order), so it is compared through the CI run id it points
to. Extraction status, feature count, missing resources and skipped features
must be equal too.
"""
import json
import sys


def load(path, ids_path):
    with open(path) as f:
        rows = {r["ci_run_id"]: r for r in json.load(f)}
    ids = {}
    with open(ids_path) as f:
        for line in f:
            if line.strip():
                wid, run = line.strip().split("|")
                ids[int(wid)] = run
    return rows, ids


def main():
    a, a_ids = load(sys.argv[1], sys.argv[2])
    b, b_ids = load(sys.argv[3], sys.argv[4])
    problems = []
    if set(a) != set(b):
        problems.append("builds differ: %d only in the first run, %d only in the second"
                        % (len(set(a) - set(b)), len(set(b) - set(a))))
    compared = 0
    for run in sorted(set(a) & set(b)):
        ra, rb = a[run], b[run]
        for col in ("extraction_status", "feature_count", "missing_resources", "skipped_features"):
            if ra[col] != rb[col]:
                problems.append("run %s: %s is %r vs %r" % (run, col, ra[col], rb[col]))
        fa, fb = ra["features"] or {}, rb["features"] or {}
        if list(fa) != list(fb):
            problems.append("run %s: feature names or order differ" % run)
        for name in fa:
            va, vb = fa.get(name), fb.get(name)
            if name == "build_provider":
                continue
            if name == "history_prev_build_id" and va is not None and vb is not None:
                va, vb = a_ids.get(va, "?%s" % va), b_ids.get(vb, "?%s" % vb)
            if va != vb:
                problems.append("run %s: %s is %r vs %r" % (run, name, va, vb))
        compared += 1
    providers = {(r["features"] or {}).get("build_provider") for r in a.values()}, \
                {(r["features"] or {}).get("build_provider") for r in b.values()}
    for p in problems[:40]:
        print("compare_vectors: " + p, file=sys.stderr)
    if len(problems) > 40:
        print("compare_vectors: ... %d more differences" % (len(problems) - 40), file=sys.stderr)
    nfeat = len(next(iter(a.values()))["features"] or {}) if a else 0
    print("compare_vectors: %d builds x %d features compared; providers %s vs %s; %d differences"
          % (compared, nfeat, sorted(providers[0]), sorted(providers[1]), len(problems)), file=sys.stderr)
    sys.exit(1 if problems or compared == 0 else 0)


if __name__ == "__main__":
    main()
