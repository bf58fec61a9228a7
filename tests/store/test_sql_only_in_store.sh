#!/usr/bin/env bash
# The entity files of src/store/ are the only code that writes SQL
# (docs/architecture.md, "Storage"): fail, naming file and line, when a C
# string literal outside src/store/ holds a statement. The scanner is checked
# first on a planted violation, so that a scanner that finds nothing fails too.
set -euo pipefail
src=${CIMINER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
scan="$src/tests/store/sql_outside_store.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-sql-scan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Files allowed to hold SQL outside store/ (none: keep it so).
allowed=()

# The planted violations: a split statement, a formatted one, and a comment and a message that must pass.
mkdir -p "$tmp/src/pipeline" "$tmp/src/store"
cat > "$tmp/src/pipeline/planted.c" <<'C'
/* SELECT id FROM jobs WHERE state = 'queued' (a comment, not a statement) */
static const char *msg = "select the rows from the file you want";
static const char *q = "SELECT id FROM raw_build_runs"
		       " WHERE raw_repo_id = ?";
static void f(char *sql) { snprintf(sql, 64, "UPDATE %s SET status = ? WHERE id = ?", "jobs"); }
C
echo 'static const char *ok = "DELETE FROM jobs";' > "$tmp/src/store/ok.c"
if python3 "$scan" "$tmp/src" > "$tmp/planted.out"; then
  echo "FAIL: the scanner found no statement in the planted file" >&2; exit 1
fi
n=$(wc -l < "$tmp/planted.out")
[ "$n" = 2 ] || { echo "FAIL: the scanner found $n statements in the planted file, not 2:" >&2; cat "$tmp/planted.out" >&2; exit 1; }
grep -q '^src/pipeline/planted.c:3: SELECT id FROM raw_build_runs WHERE' "$tmp/planted.out" \
  || { echo "FAIL: the split statement was not joined and named at its line:" >&2; cat "$tmp/planted.out" >&2; exit 1; }

python3 "$scan" "$src/src" > "$tmp/all.out" || true
for f in "${allowed[@]}"; do
  grep -q "^$f:" "$tmp/all.out" || { echo "FAIL: $f holds no SQL any more; drop it from the allowed list" >&2; exit 1; }
done
if ! python3 "$scan" "$src/src" "${allowed[@]}" > "$tmp/found.out"; then
  echo "FAIL: SQL outside src/store/ (move it into the entity file that owns the table):" >&2
  cat "$tmp/found.out" >&2
  exit 1
fi
echo "no SQL outside src/store/ (still allowed: ${#allowed[@]} files)"
