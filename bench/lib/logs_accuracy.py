#!/usr/bin/env python3
"""How well ciminer's log analysis generalises (bench/logs_accuracy.sh runs it).

Two measurements, both over real third-party logs in ../shared/fixtures that
the parsers were not written from line by line:

  logchunks  For each LogChunks example (a failed Travis build in which people
             marked the chunk that says why it failed), is the labelled chunk
             inside the `failure` chunk `ciminer logs parse --json` extracts?
             Reported per language and per chunk category, beside a baseline
             that returns the log's last 40 lines, with median chunk lengths.
  crossval   The labelled logs of ../shared/fixtures/logs grouped by source
             repository and dealt into folds by repository; per framework
             and per field (run, failed, skipped, framework), the share of
             logs of the held-out folds whose value agrees with the reference
             analyzer, fold by fold and over the whole set.

"Inside": every non-blank line of the labelled chunk occurs, in order, within
a line of the extracted chunk, after both are brought to one form (ANSI codes
removed, whitespace collapsed, and the characters the LogChunks export lost:
'<' and '[' with the letter after it).

Usage: logs_accuracy.py CIMINER_BIN FIXTURES_DIR [logchunks|crossval|all]
"""
import glob
import gzip
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b")
LOST = re.compile(r"\[[0-9;]*[A-Za-z]?|<")
WINDOW = 40


def canon(s):
    s = ANSI.sub("", s)
    s = LOST.sub("", s)
    return " ".join(s.split())


def parse_json(binary, paths):
    """ciminer logs parse --json over paths, in batches; returns {path: result}."""
    out = {}
    for i in range(0, len(paths), 200):
        batch = paths[i:i + 200]
        r = subprocess.run([binary, "--json", "logs", "parse", *batch], check=True, capture_output=True)
        for obj in json.loads(r.stdout):
            out[obj["file"]] = obj
    return out


def log_lines(path):
    """The log's lines as ciminer's normaliser cuts them (CR segments, no Travis markers)."""
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    text = raw.decode("utf-8", "replace")
    lines = []
    for line in text.split("\n"):
        segs = line.rstrip("\r").split("\r")
        kept = [ANSI.sub("", s) for s in segs]
        kept = [s for s in kept if s and not s.startswith(("travis_fold:", "travis_time:"))]
        if not kept and not any(segs):
            lines.append("")
        lines.extend(kept)
    return lines


def inside(chunk_lines, extracted_lines):
    """Every labelled line, in order, within a line of the extracted chunk."""
    ext = [canon(l) for l in extracted_lines]
    j = 0
    for c in chunk_lines:
        while j < len(ext) and c not in ext[j]:
            j += 1
        if j == len(ext):
            return False
    return True


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "   -  "


def logchunks(binary, root):
    examples = []
    for xml in sorted(glob.glob(os.path.join(root, "build-failure-reason", "*", "*.xml"))):
        lang = os.path.basename(os.path.dirname(xml))
        repo = os.path.basename(xml)[:-4]
        for ex in ET.parse(xml).getroot().iter("Example"):
            log = os.path.join(root, "logs", ex.find("Log").text.strip() + ".gz")
            chunk = [canon(l) for l in (ex.find("Chunk").text or "").split("\n")]
            chunk = [c for c in chunk if c]
            if os.path.exists(log) and chunk:
                examples.append(dict(lang=lang, repo=repo, cat=ex.find("Category").text.strip(), log=log,
                                     chunk=chunk))
    if not examples:
        print(f"logchunks: skipped: no LogChunks examples under {root}")
        return
    res = parse_json(binary, sorted({e["log"] for e in examples}))
    for e in examples:
        f = res[e["log"]].get("failure")
        e["ours_lines"] = f["text"].split("\n") if f else []
        e["ours"] = bool(f) and inside(e["chunk"], e["ours_lines"])
        e["kind"] = f["kind"] if f else None
        e["base"] = inside(e["chunk"], log_lines(e["log"])[-WINDOW:])
        e["fits"] = len(e["chunk"]) <= WINDOW

    def table(key, title):
        groups = {}
        for e in examples:
            groups.setdefault(e[key], []).append(e)
        print(f"  {title:<12} {'examples':>8} {'ciminer':>8} {'last 40':>8} {'chunk <= 40':>12}"
              f" {'median ciminer':>15} {'median labelled':>16}")
        for k in sorted(groups) + ["all"]:
            g = examples if k == "all" else groups[k]
            med = statistics.median(len(e["ours_lines"]) for e in g)
            medl = statistics.median(len(e["chunk"]) for e in g)
            print(f"  {k:<12} {len(g):>8} {pct(sum(e['ours'] for e in g), len(g)):>8}"
                  f" {pct(sum(e['base'] for e in g), len(g)):>8} {sum(e['fits'] for e in g):>12}"
                  f" {med:>15} {medl:>16}")

    n = len(examples)
    print(f"logchunks: {n} labelled examples, {len({e['repo'] for e in examples})} repositories")
    table("lang", "language")
    table("cat", "category")
    fits = [e for e in examples if e["fits"]]
    print(f"  labelled chunk inside the extracted one: {sum(e['ours'] for e in examples)}/{n}"
          f" ({pct(sum(e['ours'] for e in examples), n).strip()}); of the {len(fits)} labelled chunks of at most"
          f" {WINDOW} lines: {sum(e['ours'] for e in fits)}/{len(fits)} ({pct(sum(e['ours'] for e in fits), len(fits)).strip()});"
          f" last-{WINDOW}-lines baseline {sum(e['base'] for e in examples)}/{n}")
    kinds = {}
    for e in examples:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print("  kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda x: -x[1])))
    if os.environ.get("LOGS_ACCURACY_VERBOSE"):
        for e in examples:
            if not e["ours"]:
                print(f"    missed: {e['log'][len(root) + 1:]} ({len(e['chunk'])} labelled lines)")


# --- cross-validation over the labelled fixture logs ------------------------------------------

REPO_RE = re.compile(r"github\.com[/:]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?(?:[\s\"'/]|$)")
FIELDS = ("tests_run", "tests_failed", "tests_skipped", "framework")
FOLDS = 5


def source_repo(path, rel):
    """The repository a log was built from: TravisTorrent's folder, else the clone URL in the log."""
    parts = rel.split("/")
    if parts[1] == "travistorrent" and len(parts) > 3:
        return parts[2]
    with open(path, "rb") as f:
        head = f.read(400000).decode("utf-8", "replace")
    for m in REPO_RE.finditer(head):
        repo = m.group(1)
        if not repo.lower().startswith(("actions/", "travis-ci/", "github/", "repos/")):
            return repo.lower()
    return "unknown:" + rel


def ours_value(r, field):
    if field == "framework":
        return "#".join(r["frameworks"]).lower()
    if not r["tests_recognised"] and field == "tests_run":
        return 0
    return r[field]


def agrees(exp, r, field):
    if field == "framework":
        want = exp.get("framework")
        if want is None:
            return None
        return "#".join(sorted(want.lower().split("#"))) == "#".join(sorted(ours_value(r, field).split("#"))) or \
            (want == "" and not r["tests_recognised"])
    want = exp.get(field)
    if want is None:
        return None
    return want == ours_value(r, field)


def crossval(binary, fixtures):
    root = os.path.join(fixtures, "logs")
    exp_path = os.path.join(root, "expected.jsonl")
    if not os.path.exists(exp_path):
        print(f"crossval: skipped: {exp_path} is absent")
        return
    expected = [json.loads(l) for l in open(exp_path) if l.strip()]
    expected = [e for e in expected if os.path.exists(os.path.join(root, e["path"]))]
    res = parse_json(binary, [os.path.join(root, e["path"]) for e in expected])
    disagreements = set()
    dis = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "logs", "DISAGREEMENTS.md")
    if os.path.exists(dis):
        for line in open(dis):
            m = re.match(r"\| `([^`]+)` \| (\w+) \|", line)
            if m:
                disagreements.add((m.group(1), "framework" if m.group(2) == "frameworks" else m.group(2)))
    rows = []
    for e in expected:
        path = os.path.join(root, e["path"])
        repo = source_repo(path, e["path"])
        fold = int(hashlib.sha1(repo.encode()).hexdigest(), 16) % FOLDS
        fw = (e.get("framework") or "").split("#")[0].lower() or (res[path]["frameworks"] or ["none"])[0].lower()
        for field in FIELDS:
            ok = agrees(e, res[path], field)
            if ok is None:
                continue
            documented = (e["path"], field) in disagreements
            rows.append(dict(path=e["path"], repo=repo, fold=fold, fw=fw, field=field, ok=ok or documented, raw=ok))
    repos = {r["repo"] for r in rows}
    print(f"crossval: {len(expected)} labelled logs from {len(repos)} source repositories, {FOLDS} folds by repository"
          f" (a repository's logs are all in one fold)")
    print("  ciminer's rules have no fitted parameter: each fold's figure is its agreement as a held-out set,"
          " with rules written from the runners' documentation")
    for field in FIELDS:
        fr = [r for r in rows if r["field"] == field]
        folds = []
        for k in range(FOLDS):
            g = [r for r in fr if r["fold"] == k]
            if g:
                folds.append(sum(r["ok"] for r in g) / len(g))
        raw = sum(r["raw"] for r in fr)
        print(f"  {field:<14} whole set {pct(sum(r['ok'] for r in fr), len(fr))} of {len(fr):>3}"
              f" (raw {pct(raw, len(fr)).strip()} before the {len(fr) - raw} documented disagreements);"
              f" per fold min {pct(min(folds), 1).strip()} mean {pct(statistics.mean(folds), 1).strip()}")
    fws = sorted({r["fw"] for r in rows})
    print(f"  {'framework':<12} {'logs':>5} {'repos':>5} " + " ".join(f"{f:>14}" for f in FIELDS))
    for fw in fws:
        fr = [r for r in rows if r["fw"] == fw]
        cells = []
        for field in FIELDS:
            g = [r for r in fr if r["field"] == field]
            cells.append(f"{pct(sum(r['ok'] for r in g), len(g)):>9} ({len(g):>2})" if g else f"{'-':>14}")
        logs = len({r["path"] for r in fr})
        print(f"  {fw:<12} {logs:>5} {len({r['repo'] for r in fr}):>5} " + " ".join(cells))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    binary, fixtures = sys.argv[1], sys.argv[2]
    what = sys.argv[3] if len(sys.argv) > 3 else "all"
    if what in ("logchunks", "all"):
        logchunks(binary, os.path.join(fixtures, "logchunks"))
    if what in ("crossval", "all"):
        crossval(binary, fixtures)


if __name__ == "__main__":
    main()
