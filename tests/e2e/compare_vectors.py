"""Compares the feature vectors of the same builds ingested through two
providers (test_github_api.sh: the local archive and the same archive served
as the GitHub API), matched by the CI run id.

usage: compare_vectors.py A.json B.json
(X.json: `ciminer --json scenario builds ID --phase enrichment`)

Every feature must be equal except build_provider, which names the provider
(local vs github_actions). Extraction status, feature count, missing
resources and skipped features must be equal too. (The scenario leaves out
the warehouse ids build_id and history_prev_build_id: each database numbers
its runs in its own insertion order.)
"""
import json
import sys


def load(path):
    with open(path) as f:
        return {r["ci_run_id"]: r for r in json.load(f)}


def main():
    a = load(sys.argv[1])
    b = load(sys.argv[2])
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
