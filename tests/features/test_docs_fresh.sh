#!/usr/bin/env bash
# docs/features.md is generated from the catalogue: fail when the committed
# page differs from what `ciminer features --markdown` prints now, and check
# that the other printers run. Regenerate with:
#   ciminer features --markdown > docs/features.md
set -euo pipefail
bin=${CIMINER_BIN:?CIMINER_BIN must name the ciminer binary}
src=${CIMINER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-docs-fresh.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$bin" features --markdown > "$tmp/features.md"
if ! diff -u "$src/docs/features.md" "$tmp/features.md" > "$tmp/diff"; then
  head -40 "$tmp/diff" >&2
  echo "FAIL: docs/features.md is stale; regenerate it with: ciminer features --markdown > docs/features.md" >&2
  exit 1
fi

# The other forms: a table with every feature, JSON that parses, a DOT graph.
"$bin" features > "$tmp/table.txt"
grep -q '^git_diff_src_churn ' "$tmp/table.txt" || { echo "FAIL: table lacks git_diff_src_churn" >&2; exit 1; }
"$bin" features --json > "$tmp/cat.json"
n=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["features"]))' "$tmp/cat.json")
rows=$(($(wc -l < "$tmp/table.txt") - 1))
[ "$n" = "$rows" ] || { echo "FAIL: JSON lists $n features, the table $rows" >&2; exit 1; }
"$bin" --json features | cmp -s - "$tmp/cat.json" || { echo "FAIL: --json as a global option differs" >&2; exit 1; }
"$bin" features --dot > "$tmp/dag.dot"
head -1 "$tmp/dag.dot" | grep -q '^digraph features {$' || { echo "FAIL: --dot is not a digraph" >&2; exit 1; }
if "$bin" features --bogus 2> "$tmp/err"; then
  echo "FAIL: an unknown option was accepted" >&2; exit 1
else
  [ $? -eq 2 ] && grep -q -- "--bogus" "$tmp/err" || { echo "FAIL: unknown option: want exit 2 naming it" >&2; exit 1; }
fi
echo "ok: docs/features.md is up to date ($n features)"
