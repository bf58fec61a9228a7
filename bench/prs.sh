#!/usr/bin/env bash
# Pull-request fetching (issue 6) against the loopback fixture server with
# 10 ms of latency per request: every PR of one generated repository
# (3,000 runs, ~30% of them pull-request builds), fetched concurrently and,
# as the reference, one request at a time. PRS_BENCH_RUNS shrinks it.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/fixture.sh"
runs=${PRS_BENCH_RUNS:-3000}
tmp=$(mktemp -d /tmp/ciminer-bench-prs.XXXXXX)
pid=
cleanup() { fixture_stop; rm -rf "$tmp"; }
trap cleanup EXIT
server="$here/../tests/fixture-server/ciserver.py"
/usr/bin/python3 "$server" --write-archive "$tmp/world" --generate "repos=1,runs=$runs,seed=5" >/dev/null
/usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["number"])' "$tmp/world/pulls.jsonl" >"$tmp/numbers"
fixture_start --world "$tmp/world" --config '{"latency_ms": 10, "default_limit": 1000000}'
"$build/bench/bench_prs" "$url" org0/project-0 "$tmp/numbers"
