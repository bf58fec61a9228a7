#!/usr/bin/env bash
# Job engine: 100,000 no-op jobs drained by 1, 2 and 8 workers on SQLite and on
# a throw-away PostgreSQL server. N can be lowered with JOBS_N for a quick look.
set -euo pipefail
build=$1
n=${JOBS_N:-100000}
tmp=$(mktemp -d /tmp/ciminer-bench-jobs.XXXXXX)
trap 'bash "$(dirname "$0")/../tests/support/pg-server" stop "$tmp/pg.env" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
"$build/bench/bench_jobs" "sqlite://$tmp/jobs.db" "$n" 1 2 8
bash "$(dirname "$0")/../tests/support/pg-server" start "$tmp/pg.env" >/dev/null
. "$tmp/pg.env"
"$build/bench/bench_jobs" "$CIMINER_TEST_PG_URL" "$n" 1 2 8
