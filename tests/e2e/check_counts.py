"""Checks a build source's and a scenario's counters against the archive they
came from, computed here independently of ciminer from runs.jsonl and logs/.

usage: check_counts.py ARCHIVE SOURCE.json SCENARIO.json
(SOURCE.json: `ciminer --json source show ID`; SCENARIO.json: `scenario show`)

The expectations, in the specification's terms:
  - a run is found when it completed with success or failure and no bot
    triggered it; every other run of the CSV is filtered;
  - the scenario (filter_by all, default conclusions, exclude_bots) selects
    exactly the found runs;
  - a build with a job whose log is absent from logs/ (expired) is
    missing_resource; the others are ingested; nothing fails;
  - every ingested build gets a feature vector; missing_resource builds are
    not processed (the specification's Phase 2 takes ingested builds only).
"""
import json
import os
import sys


def is_bot(actor):
    login = (actor or {}).get("login") or ""
    return (actor or {}).get("type") == "Bot" or login.endswith("[bot]")


def oracle(archive):
    logs = set()
    for name in os.listdir(os.path.join(archive, "logs")):
        stem = name.split(".")[0]
        if stem.isdigit():
            logs.add(int(stem))
    total = found = missing = 0
    with open(os.path.join(archive, "runs.jsonl")) as f:
        for line in f:
            if not line.strip():
                continue
            run = json.loads(line)
            total += 1
            if run.get("status") != "completed" or run.get("conclusion") not in ("success", "failure"):
                continue
            if is_bot(run.get("actor")):
                continue
            found += 1
            if any(int(j["id"]) not in logs for j in run.get("jobs", [])):
                missing += 1
    return total, found, missing


def main():
    archive, source_path, scenario_path = sys.argv[1:4]
    total, found, missing = oracle(archive)
    with open(source_path) as f:
        src = json.load(f)
    with open(scenario_path) as f:
        sc = json.load(f)
    want = [
        ("source validation_status", src["validation_status"], "completed"),
        ("source total", src["total"], total),
        ("source found", src["found"], found),
        ("source filtered", src["filtered"], total - found),
        ("source not_found", src["not_found"], 0),
        ("source invalid", src["invalid"], 0),
        ("source duplicates", src["duplicates"], 0),
        ("source pending", src["pending"], 0),
        ("scenario status", sc["status"], "completed"),
        ("scenario builds_total", sc["builds_total"], found),
        ("scenario builds_ingested", sc["builds_ingested"], found - missing),
        ("scenario builds_missing_resource", sc["builds_missing_resource"], missing),
        ("scenario builds_failed", sc["builds_failed"], 0),
        ("scenario builds_processed", sc["builds_processed"], found - missing),
        ("scenario builds_processing_failed", sc["builds_processing_failed"], 0),
    ]
    bad = [w for w in want if w[1] != w[2]]
    for name, got, exp in bad:
        print("check_counts: %s is %r, the archive says %r" % (name, got, exp), file=sys.stderr)
    if missing == 0 or total == found:
        print("check_counts: the world has no expired log or no filtered run; the test would prove less",
              file=sys.stderr)
        bad.append(1)
    print("check_counts: %d runs, %d found, %d filtered, %d missing_resource, %d partial"
          % (total, found, total - found, missing, sc["builds_partial"]), file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
