#!/usr/bin/env bash
# README's defaults block is what `ciminer scenario show` prints for a
# scenario file that names nothing but `name`: the documented defaults are the
# code's (every key, every value), so the README cannot drift from them.
set -euo pipefail
bin=${CIMINER_BIN:?}
src=${CIMINER_SOURCE_DIR:?}
tmp=$(mktemp -d /tmp/ciminer-test-readme.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: /usr/bin/python3 has no yaml module (python3-yaml)"; exit 77; }

sed -n '/<!-- defaults: begin -->/,/<!-- defaults: end -->/p' "$src/README.md" | sed '1,2d;$d' | sed '$d' >"$tmp/readme.yaml"
[ -s "$tmp/readme.yaml" ] || fail "README.md has no block between <!-- defaults: begin --> and <!-- defaults: end -->"
printf 'name: minimal\n' >"$tmp/minimal.yaml"
id=$("$bin" --data-dir "$tmp/d" scenario create "$tmp/minimal.yaml") || fail "scenario create failed"
"$bin" --data-dir "$tmp/d" --json scenario show "$id" >"$tmp/show.json" || fail "scenario show failed"
/usr/bin/python3 - "$tmp/readme.yaml" "$tmp/show.json" <<'PY' || fail "README's defaults differ from scenario show (above)"
import json, sys, yaml
readme = yaml.safe_load(open(sys.argv[1]))
shown = json.load(open(sys.argv[2]))
keys = ["name", "description", "version", "data_source_config", "feature_config", "splitting_config",
        "preprocessing_config", "output_config"]
bad = 0
if sorted(readme) != sorted(keys):
    print("README block keys %s, expected %s" % (sorted(readme), sorted(keys)), file=sys.stderr)
    bad = 1
for k in keys:
    if readme.get(k) != shown.get(k):
        print("%s: README says %s, scenario show says %s" % (k, json.dumps(readme.get(k), sort_keys=True),
                                                         json.dumps(shown.get(k), sort_keys=True)), file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
echo "README defaults: the same as scenario show"
