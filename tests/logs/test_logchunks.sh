#!/usr/bin/env bash
# Real failed Travis builds from LogChunks (../shared/fixtures/logchunks; Brandt et al.,
# MSR 2020), read gzip-compressed as stored: every log is a failed build, so its status
# must say so wherever the log ends with a verdict; and where ciminer names failed
# tests, the people who labelled the log's failure chunk must have seen those tests
# in it (a check of the failed names against an independent label).
set -euo pipefail
bin=${CIMINER_BIN:?CIMINER_BIN is the ciminer binary}
root=${CIMINER_FIXTURES:-${CIMINER_SOURCE_DIR:?}/../shared/fixtures}/logchunks
if [ ! -d "$root/logs" ]; then
  echo "skipped: $root is absent (the LogChunks subset is not on this machine)"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
find "$root/logs" -name '*.log.gz' -print0 | sort -z | xargs -0 "$bin" --json logs parse >"$tmp/r.json"
/usr/bin/python3 - "$tmp/r.json" "$root" <<'PY'
import glob, json, re, sys
import xml.etree.ElementTree as ET
res = {r["file"]: r for r in json.load(open(sys.argv[1]))}
root = sys.argv[2]
chunks = {}
for f in glob.glob(root + "/build-failure-reason/*/*.xml"):
    for ex in ET.parse(f).getroot().iter("Example"):
        chunk = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", ex.find("Chunk").text or "")
        chunks[root + "/logs/" + ex.find("Log").text.strip() + ".gz"] = chunk
assert len(res) >= 100, len(res)
verdicts = [r["status"] for r in res.values() if r["status"] != "unknown"]
broken = sum(1 for s in verdicts if s == "broken")
named = found = 0
for path, r in res.items():
    names = [n for n in r["tests_failed_names"].split("#") if n]
    if not names or path not in chunks:
        continue
    named += 1
    ch = chunks[path]
    # '#' joins names, so Minitest's Class#test is written Class.test
    if any(n in ch or n.replace(".", "#") in ch or n.split("(")[0] in ch or n.split("::")[-1] in ch for n in names):
        found += 1
print(f"logchunks: {len(res)} logs, {broken}/{len(verdicts)} with a verdict are broken, "
      f"failed names in the labelled chunk for {found}/{named} logs")
assert broken == len(verdicts), "a failed build was read as passing"
assert named >= 30 and found * 100 >= named * 90, (found, named)
PY
