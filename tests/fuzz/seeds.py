#!/usr/bin/env python3
"""Builds a fuzz target's seed corpus in OUT from the shared fixtures (third-party
data that stays outside the repository, see COMMON rules) and the hand-written
seeds in tests/fuzz/seeds/<target>/. Missing fixtures only mean fewer seeds.

usage: seeds.py TARGET OUT FIXTURES_DIR
"""
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def files(root, exts=None, limit=None):
    """Files under root (sorted), spread evenly when more than limit."""
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            if exts is None or n.endswith(exts):
                out.append(os.path.join(d, n))
    out.sort()
    if limit and len(out) > limit:
        step = len(out) / limit
        out = [out[int(i * step)] for i in range(limit)]
    return out


def head(path, n):
    with open(path, "rb") as f:
        return f.read(n)


class Corpus:
    def __init__(self, out):
        self.out = out
        os.makedirs(out, exist_ok=True)

    def add(self, data):
        if data:
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(self.out, name), "wb") as f:
                f.write(data)


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout


def bodies(fx):
    """JSON bodies of the recorded GitHub API answers, smallest first."""
    out = []
    for p in files(os.path.join(fx, "github_api", "pygithub"), ("response.json",)):
        try:
            body = json.load(open(p)).get("body")
        except (OSError, ValueError):
            continue
        if isinstance(body, (dict, list)):
            out.append(body)
    for p in files(os.path.join(fx, "github_api", "bugswarm"), (".json",)):
        try:
            out.append(json.load(open(p)))
        except (OSError, ValueError):
            pass
    return out


def main():
    target, out, fx = sys.argv[1], sys.argv[2], sys.argv[3]
    c = Corpus(out)
    for p in files(os.path.join(HERE, "seeds", target)):
        c.add(head(p, 1 << 20))
    logs = files(os.path.join(fx, "logs"), (".log",), limit=48)
    if target == "fuzz_logs":
        for p in logs + files(os.path.join(SRC, "tests", "logs", "data")):
            c.add(head(p, 32768))
    elif target == "fuzz_log_files":
        for p in logs[::4]:
            data = head(p, 8192)
            c.add(zstd(data))
            c.add(gzip.compress(data, mtime=0))
    elif target == "fuzz_csv":
        for p in files(os.path.join(fx, "logchunks"), (".csv",)):
            c.add(head(p, 4096))
    elif target == "fuzz_providers":
        for b in bodies(fx):
            items = b if isinstance(b, list) else [b] + b.get("workflow_runs", [])[:3] + b.get("jobs", [])[:3]
            for item in items:
                data = json.dumps(item).encode()
                if len(data) <= 16384:
                    c.add(data)
    elif target == "fuzz_local":
        # Recorded workflow runs as archive lines: the repository object cut to
        # its name (as archives hold it), the run's recorded jobs embedded.
        runs, jobs = [], {}
        for b in bodies(fx):
            if isinstance(b, dict):
                runs += [r for r in b.get("workflow_runs", []) if isinstance(r, dict)]
                for j in b.get("jobs", []):
                    if isinstance(j, dict):
                        jobs.setdefault(j.get("run_id"), []).append({k: j.get(k) for k in (
                            "id", "run_id", "name", "status", "conclusion", "started_at", "completed_at")})
        lines = []
        for r in runs:
            r = {k: v for k, v in r.items() if k not in ("head_repository", "repository")}
            r["repository"] = {"full_name": "o/r"}
            r["jobs"] = jobs.get(r.get("id"), [])[:4]
            lines.append(json.dumps(r) + "\n")
        for i in range(0, len(lines), 2):
            data = "".join(lines[i:i + 2]).encode()
            if len(data) <= 16384:
                c.add(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
