"""Prints, from `ciminer --json` outputs, everything of a finished pipeline
that must not depend on where a worker was killed (crash.sh compares this
text with the uninterrupted run's): the source's and the scenario's counters,
the split rows, the feature vectors and the ingestion outcome of each build,
without times and without the rows' own ids (numbered in insertion order).

usage: crash_result.py SOURCE.json SCENARIO.json SPLITS.json ENRICHMENT.json INGESTION.json
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    src, sc, splits, enr, ing = (load(p) for p in sys.argv[1:6])
    print("== source")
    print({k: src[k] for k in ("validation_status", "total", "found", "not_found", "filtered", "invalid",
                               "duplicates", "pending")})
    print("== scenario")
    print({k: v for k, v in sc.items() if k in ("status", "error_message") or k.startswith("builds_")})
    print("== split rows")
    for r in splits:
        print({k: v for k, v in r.items() if k not in ("generated_at", "duration_ms")})
    print("== feature vectors")
    for r in enr:
        r.pop("id")
        print(json.dumps(r, sort_keys=True))
    print("== ingestion")
    for r in ing:
        rs = {k: {kk: vv for kk, vv in v.items() if not kk.endswith("_at")} if isinstance(v, dict) else v
              for k, v in (r["resource_status"] or {}).items()}
        print(r["ci_run_id"], r["status"], json.dumps(rs, sort_keys=True), r["error_message"])


if __name__ == "__main__":
    main()
