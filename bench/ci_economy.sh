#!/usr/bin/env bash
# CI providers against the loopback fixture server (tests/fixture-server/ciserver.py):
#  1. API economy: validating 10,000 builds over 20 repositories (issue 3's target:
#     at most one request per 20 builds), once with every run of a repository in
#     the CSV, once with half of them, and once with 5% unknown ids added (issue 13:
#     at most one request per 20 found builds plus one per unknown id);
#  2. log downloads: 5,000 real-size job logs (../shared/fixtures/logs, when
#     present) 8 in flight, as ingestion does (issue 4).
# Each figure is printed beside the same requests replayed with bare curl.
# CI_BENCH_BUILDS / CI_BENCH_LOGS shrink the workload for a quick look.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/fixture.sh"
builds=${CI_BENCH_BUILDS:-10000}
nlogs=${CI_BENCH_LOGS:-5000}
tmp=$(mktemp -d /tmp/ciminer-bench-ci.XXXXXX)
pid=
cleanup() { fixture_stop; rm -rf "$tmp"; }
trap cleanup EXIT

start() { fixture_start "$@"; }
stop() { fixture_stop; }

start --generate "repos=20,runs=$builds,seed=1"
"$build/bench/bench_ci" lookups "$url" 1.0
stop
start --generate "repos=20,runs=$((builds * 2)),seed=2"
"$build/bench/bench_ci" lookups "$url" 0.5
# issue 13: 5% unknown ids (above the newest run, below the oldest, between)
"$build/bench/bench_ci" lookups "$url" 1.0 0.05
stop

logs_from=()
fixtures="$here/../../shared/fixtures/logs"
if [ -d "$fixtures" ]; then logs_from=(--logs-from "$fixtures"); else echo "(real logs absent: synthetic logs)"; fi
# each log costs two requests (302 + storage): lift the per-token limit above them
start --generate "repos=20,runs=$nlogs,seed=3" "${logs_from[@]}" --config '{"default_limit": 1000000}'
"$build/bench/bench_ci" logs "$url" "$nlogs"
stop
