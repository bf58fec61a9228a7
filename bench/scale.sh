#!/usr/bin/env bash
# The whole pipeline at growing sizes (docs/scale.md): a generated world of
# 10,000 and 100,000 builds (1,000,000 with SCALE_MAX=1000000), imported from
# its local archive and validated, ingested, processed and generated, on
# SQLite and on a throw-away PostgreSQL server. Per phase and size: wall and
# CPU time (user + system of the ciminer process; PostgreSQL's own server CPU
# is not in it) per build, peak RSS, database size after the phase, and the
# log-log slope of time against builds between consecutive sizes (1.0 =
# linear, 2.0 = quadratic). The reference measured in the same run is each
# phase at the smallest size: a linear phase keeps its time per build.
#
#   SCALE_SIZES   builds per world (default "10000 100000"; SCALE_MAX adds larger ones)
#   SCALE_MAX     largest size to run: 1000000 adds the 1M world
#   SCALE_REPOS   repositories per world (default: sqrt(builds) / 10, clamped to 10..200,
#                 so both the repositories and the builds per repository grow)
#   SCALE_DBS     "sqlite pg" (default) or one of them
#   SCALE_OUT     also write the figures as TSV to this file
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
bin=$build/ciminer
[ -x "$bin" ] || { echo "scale: $bin is missing; build the ciminer target" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
sizes=${SCALE_SIZES:-10000 100000}
max=${SCALE_MAX:-0}
for extra in 1000000; do
  if [ "$max" -ge "$extra" ] && [[ " $sizes " != *" $extra "* ]]; then sizes="$sizes $extra"; fi
done
dbs=${SCALE_DBS:-sqlite pg}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-scale.XXXXXX")
cleanup() {
  if [ -f "$tmp/pg.env" ]; then bash "$here/../tests/support/pg-server" stop "$tmp/pg.env" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
tsv=$tmp/figures.tsv
: >"$tsv"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; sizes: $sizes; databases: $dbs"

# measure DB SIZE PHASE BUILDS COMMAND...: times one phase and appends its line to $tsv.
measure() {
  local db=$1 size=$2 phase=$3 builds=$4
  shift 4
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
    { echo "scale: $phase failed at $size builds on $db:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
  local wall usr sys rss
  read -r wall usr sys rss <"$tmp/time"
  local bytes=0
  case $db in
  sqlite) bytes=$(cat "$tmp/d-$db-$size"/ciminer.db* 2>/dev/null | wc -c) ;;
  pg) bytes=$(psql "$pgdb" -qAtc "SELECT pg_database_size(current_database())") ;;
  world) bytes=$(du -sb "$tmp/w-$size" | cut -f1) ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$size" "$phase" "$builds" "$wall" \
    "$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" "$rss" "$bytes" >>"$tsv"
  awk -F'\t' 'END { printf "  %-7s %8d builds  %-9s %8.1f s wall %8.1f s CPU  %7.3f ms CPU/build  %5d MiB peak  %6.0f MB db\n",
    $1, $2, $3, $5, $6, $6 * 1000 / $4, $7 / 1024, $8 / 1e6 }' "$tsv"
}

repos_for() {
  if [ -n "${SCALE_REPOS:-}" ]; then echo "$SCALE_REPOS"; return; fi
  awk -v n="$1" 'BEGIN { r = int(sqrt(n) / 10 + 0.5); if (r < 10) r = 10; if (r > 200) r = 200; print r }'
}

cat >"$tmp/scenario.json" <<'EOF'
{"name": "scale", "description": "every build, the default feature selection",
 "data_source_config": {"filter_by": "all", "source_ids": [1]},
 "splitting_config": {"strategy": "stratified_within_group", "group_by": "repo_name"},
 "output_config": {"formats": ["parquet"]}}
EOF

pgdb=
if [[ " $dbs " == *" pg "* ]]; then
  bash "$here/../tests/support/pg-server" start "$tmp/pg.env" >/dev/null
  . "$tmp/pg.env"
fi

for size in $sizes; do
  repos=$(repos_for "$size")
  w=$tmp/w-$size
  echo "world: $size builds over $repos repositories"
  measure world "$size" world "$size" "$bin" generate-world --out "$w" --repos "$repos" --builds "$size" --seed 1 --compress-logs
  for db in $dbs; do
    data=$tmp/d-$db-$size
    args=(--data-dir "$data")
    if [ "$db" = pg ]; then
      psql "$CIMINER_TEST_PG_URL" -qAtc "CREATE DATABASE scale_$size" >/dev/null
      pgdb=${CIMINER_TEST_PG_URL/\/postgres\?//scale_$size?}
      args+=(--db "$pgdb")
    fi
    measure "$db" "$size" import "$size" "$bin" "${args[@]}" source import "$w/builds.csv" --provider local --archive "$w" --wait
    "$bin" "${args[@]}" scenario create "$tmp/scenario.json" >/dev/null
    for phase in ingest process generate; do
      measure "$db" "$size" "$phase" "$size" "$bin" "${args[@]}" scenario "$phase" 1 --wait
    done
    if [ "$db" = pg ]; then psql "$CIMINER_TEST_PG_URL" -qAtc "DROP DATABASE scale_$size WITH (FORCE)" >/dev/null; fi
    rm -rf "$data"
  done
  rm -rf "$w"
done

echo
echo "time per build against the smallest size (the reference) and log-log slope between consecutive sizes (1.0 = linear)"
awk -F'\t' '
  { key = $1 "\t" $3; if (!(key in first)) { first[key] = NR; order[++nk] = key }
    n[key]++; b[key, n[key]] = $2; wall[key, n[key]] = $5; cpu[key, n[key]] = $6 }
  END {
    printf "  %-7s %-9s %9s %14s %14s %12s %12s\n", "db", "phase", "builds", "CPU/build ×ref", "wall/build ×ref", "CPU slope", "wall slope"
    for (k = 1; k <= nk; k++) {
      key = order[k]; split(key, p, "\t")
      for (i = 2; i <= n[key]; i++) {
        rc = (cpu[key, i] / b[key, i]) / (cpu[key, 1] / b[key, 1] + 1e-12)
        rw = (wall[key, i] / b[key, i]) / (wall[key, 1] / b[key, 1] + 1e-12)
        lb = log(b[key, i] / b[key, i - 1])
        sc = (cpu[key, i] > 0 && cpu[key, i - 1] > 0) ? log(cpu[key, i] / cpu[key, i - 1]) / lb : 0
        sw = (wall[key, i] > 0 && wall[key, i - 1] > 0) ? log(wall[key, i] / wall[key, i - 1]) / lb : 0
        printf "  %-7s %-9s %9d %14.2f %14.2f %12.2f %12.2f\n", p[1], p[2], b[key, i], rc, rw, sc, sw
      }
    }
  }' "$tsv"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if [ -n "${SCALE_OUT:-}" ]; then cp "$tsv" "$SCALE_OUT"; fi
