#!/usr/bin/env bash
# CSV import: a generated 1,000,000-row CSV (IMPORT_ROWS to change) imported
# into SQLite by `ciminer source import`, next to the sqlite3 shell's own
# `.import --csv` of the same file into a plain table (no validation, no
# indexes) as the reference. Reports rows/s and ciminer's peak memory.
set -euo pipefail
build=$(cd "$1" && pwd)
rows=${IMPORT_ROWS:-1000000}
tmp=$(mktemp -d /tmp/ciminer-bench-import.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$rows" 'BEGIN {
  print "build_id,repo_name,notes";
  for (i = 1; i <= n; i++) {
    r = i % 2000;
    if (i % 1000 == 0) printf "%d,owner%d/repo%d,\"dup, quoted\"\n", i - 1, r % 50, r; # a duplicate
    else if (i % 997 == 0) printf ",owner%d/repo%d,empty id\n", r % 50, r;              # invalid
    else printf "%d,owner%d/repo%d,plain\n", 4000000000 + i, r % 50, r;
  }
}' >"$tmp/builds.csv"
size=$(du -h "$tmp/builds.csv" | cut -f1)
echo "input: $rows rows, $size"
# Wall time and CPU time (user + system): on a shared machine the CPU figure is the stable one.
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$build/ciminer" --data-dir "$tmp/data" source import "$tmp/builds.csv" >/dev/null
read -r secs usr sys kb <"$tmp/time"
awk -v r="$rows" -v s="$secs" -v c="$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" -v kb="$kb" 'BEGIN {
  printf "ciminer source import: %.2f s wall (%.0f rows/s), %.2f s CPU (%.0f rows per CPU-second), peak RSS %.0f MB\n", s, r / s, c, r / c, kb / 1024 }'
/usr/bin/time -f "%e %U %S" -o "$tmp/time" sqlite3 "$tmp/ref.db" "CREATE TABLE t (build_id TEXT, repo_name TEXT, notes TEXT);" ".import --csv --skip 1 $tmp/builds.csv t"
read -r secs usr sys <"$tmp/time"
awk -v r="$rows" -v s="$secs" -v c="$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" 'BEGIN {
  printf "reference sqlite3 .import --csv (no checks, no indexes): %.2f s wall (%.0f rows/s), %.2f s CPU (%.0f rows per CPU-second)\n", s, r / s, c, r / c }'
