#!/usr/bin/env bash
# Phase 1 ingestion (issue 4, "Performance"): a generated world of
# INGEST_BUILDS builds (5,000) across INGEST_REPOS repositories (20), served
# by the loopback fixture server as the GitHub REST API, imported and
# validated (with a token, so every found run's jobs are stored at validation
# through GraphQL), then `ciminer scenario ingest --wait` over every found build:
# repositories cloned from the world's bare repositories (file://), every
# job log downloaded (302 to storage) and stored
# zstd-compressed in the blob store. Two log sets:
#   real:  every job gets one of the real logs of ../shared/fixtures/logs
#          (267 KB on average, round-robin: the same 166 logs repeat, so the
#          content-addressed store keeps each once);
#   world: the world's own generated GitHub Actions logs (unique per job).
# The real set runs twice: on bare loopback with one ingestion worker per
# core (what `--wait` uses), and with INGEST_LATENCY_MS (10) added to every
# answer, a stand-in for the network, and one worker: only with latency does
# the server's mean in flight (its summed answer time / wall time) measure
# the client's concurrency (a loopback answer takes well under a
# millisecond), and with one worker it is that worker's 8 to compare. Reported: builds/s, requests in flight (configured, the
# server's maximum and mean, overall and while logs flowed), bytes raw vs
# stored (per job, and on disk), next to references measured in the same
# run: plain curl fetching the same log URLs 8 at a time (one process,
# connection reuse), `git clone --mirror` of the same repositories, and the
# zstd command at ciminer's level (6) over the same distinct logs.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/fixture.sh"
repos=${INGEST_REPOS:-20}
builds=${INGEST_BUILDS:-5000}
conc=${CIMINER_HTTP_CONCURRENCY:-8}
latency=${INGEST_LATENCY_MS:-10}
fixtures="$here/../../shared/fixtures/logs"
tmp=$(mktemp -d /tmp/ciminer-bench-ingest.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

start() { fixture_start "$@"; }
stop() { fixture_stop; }
json() { /usr/bin/python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else v
print(v)' "$1"; }
cpu() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }

# Samples the server's counters every 50 ms: time, summed answer time, storage downloads.
cat >"$tmp/sampler.py" <<'EOF'
import json, sys, time, urllib.request
while True:
    try:
        st = json.load(urllib.request.urlopen(sys.argv[1] + "/_fixture/stats"))
        print(time.monotonic(), st["served_usec"], st["by_endpoint"].get("GET /_storage/logs/{job_id}", 0), flush=True)
    except OSError:
        pass
    time.sleep(0.05)
EOF

world=$tmp/world
/usr/bin/time -f "%e" -o "$tmp/time" "$build/ciminer" generate-world --repos "$repos" --builds "$builds" --seed 11 \
	--out "$world" >/dev/null 2>&1
echo "world: $repos repositories, $builds builds, $(wc -l <"$world/runs.jsonl") runs with" \
	"$(/usr/bin/python3 -c 'import json, sys; print(sum(len(json.loads(l)["jobs"]) for l in open(sys.argv[1])))' "$world/runs.jsonl") jobs" \
	"(generated in $(cat "$tmp/time") s)"
sed 's/,local$/,github_actions/' "$world/builds.csv" >"$tmp/github.csv"

# The "real" log set: the same archive without its logs/ folder, so that the
# server gives every job a real log (--logs-from fills jobs that have none).
mkdir "$tmp/served-real"
ln -s "$world/repos.json" "$world/runs.jsonl" "$tmp/served-real/"

run() { # NAME LATENCY_MS WORKERS SERVER-ARGS...
	local name=$1 latency=$2 workers=$3
	shift 3
	local data=$tmp/data-$name-$latency
	start "$@" --config "{\"default_limit\": 100000000, \"latency_ms\": $latency}"
	export CIMINER_GITHUB_API_URL=$url CIMINER_GIT_URL=file://$world/repos CIMINER_HTTP_CONCURRENCY=$conc \
		CIMINER_WORKERS=$workers CIMINER_GITHUB_TOKENS=bench-token
	"$build/ciminer" --data-dir "$data" source import "$tmp/github.csv" --wait >/dev/null 2>&1
	cat >"$tmp/scenario.json" <<EOF
{"name": "bench-ingest", "data_source_config": {"filter_by": "all", "source_ids": [1]}}
EOF
	local sid
	sid=$("$build/ciminer" --data-dir "$data" scenario create "$tmp/scenario.json")
	curl -sf -X POST "$url/_fixture/reset" >/dev/null
	/usr/bin/python3 "$tmp/sampler.py" "$url" >"$tmp/samples" &
	local sampler=$!
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
		"$build/ciminer" --data-dir "$data" scenario ingest "$sid" --wait >/dev/null 2>"$tmp/ingest.err" ||
		{ cat "$tmp/ingest.err" >&2; exit 1; }
	kill "$sampler"
	wait "$sampler" 2>/dev/null || true
	local secs usr sys kb
	read -r secs usr sys kb <"$tmp/time"
	curl -sf "$url/_fixture/stats" >"$tmp/stats.json"
	"$build/ciminer" --data-dir "$data" --json scenario show "$sid" >"$tmp/sc.json"
	local db=$data/ciminer.db
	local n_ok raw stored distinct dist_raw disk
	n_ok=$(sqlite3 "$db" "SELECT COUNT(*) FROM raw_build_jobs WHERE log_status = 'ok'")
	raw=$(sqlite3 "$db" "SELECT SUM(log_size_raw) FROM raw_build_jobs WHERE log_status = 'ok'")
	stored=$(sqlite3 "$db" "SELECT SUM(log_size_stored) FROM raw_build_jobs WHERE log_status = 'ok'")
	distinct=$(sqlite3 "$db" "SELECT COUNT(DISTINCT log_sha256) FROM raw_build_jobs WHERE log_status = 'ok'")
	dist_raw=$(sqlite3 "$db" "SELECT SUM(s) FROM (SELECT MAX(log_size_raw) AS s FROM raw_build_jobs WHERE log_status = 'ok' GROUP BY log_sha256)")
	disk=$(find "$data/blobs" -type f -name '*.zst' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	local total ingested missing failed
	total=$(json builds_total <"$tmp/sc.json")
	ingested=$(json builds_ingested <"$tmp/sc.json")
	missing=$(json builds_missing_resource <"$tmp/sc.json")
	failed=$(json builds_failed <"$tmp/sc.json")
	local served maxc requests
	served=$(json served_usec <"$tmp/stats.json")
	maxc=$(json max_concurrent <"$tmp/stats.json")
	requests=$(json requests <"$tmp/stats.json")
	# In flight while logs were downloading: the server's answer time over the sampling intervals
	# in which storage downloads completed, divided by those intervals' length.
	local busy
	busy=$(awk 'NR > 1 && $3 > s { dt += $1 - t; du += $2 - u } { t = $1; u = $2; s = $3 } END {
	  if (dt > 0) printf "%.1f over the %.1f s with log traffic", du / 1e6 / dt, dt; else print "n/a" }' "$tmp/samples")
	echo "--- $name logs, server latency $latency ms per answer, $workers ingestion workers: $n_ok logs stored, $(awk -v b="$raw" 'BEGIN { printf "%.0f", b / 1048576 }') MB raw"
	awk -v t="$total" -v i="$ingested" -v m="$missing" -v f="$failed" -v s="$secs" -v c="$(cpu "$usr" "$sys")" -v kb="$kb" 'BEGIN {
	  printf "ciminer scenario ingest --wait: %d builds (%d ingested, %d missing_resource, %d failed) in %.1f s wall = %.0f builds/s; %.1f s CPU; peak RSS %.0f MB\n", t, i, m, f, s, t / s, c, kb / 1024 }'
	awk -v r="$requests" -v su="$served" -v s="$secs" -v mc="$maxc" -v cf="$conc" -v w="$workers" 'BEGIN {
	  printf "requests: %d (302s, storage, any jobs lists); in flight: configured %d per worker x %d workers, server max %d, server mean %.1f over the phase (answer time %.1f s / wall), '"$busy"'\n", r, cf, w, mc, su / 1e6 / s, su / 1e6 }'
	awk -v raw="$raw" -v st="$stored" -v d="$distinct" -v dr="$dist_raw" -v disk="$disk" 'BEGIN {
	  printf "blob store: per job %.0f MB raw -> %.1f MB zstd = %.1fx; on disk %d distinct blobs, %.1f MB raw -> %.1f MB = %.1fx (%.0fx with deduplication)\n", raw / 1048576, st / 1048576, raw / st, d, dr / 1048576, disk / 1048576, dr / disk, raw / disk }'
	# Reference 1: the same log URLs with plain curl, 8 at a time, one process (connection reuse).
	sqlite3 "$db" "SELECT 'url = \"$url/repos/' || p.full_name || '/actions/jobs/' || j.ci_job_id || '/logs\"' || char(10) || 'output = \"/dev/null\"'
		FROM raw_build_jobs j JOIN raw_build_runs r ON r.id = j.raw_run_id JOIN raw_repositories p ON p.id = r.raw_repo_id
		WHERE j.log_status = 'ok'" >"$tmp/curl.cfg"
	curl -sf -X POST "$url/_fixture/reset" >/dev/null
	/usr/bin/time -f "%e %U %S" -o "$tmp/time" curl -sSL --no-progress-meter --parallel --parallel-max "$conc" -K "$tmp/curl.cfg" \
		-w '%{size_download}\n' >"$tmp/curl.sizes"
	read -r secs usr sys <"$tmp/time"
	served=$(curl -sf "$url/_fixture/stats" | json served_usec)
	awk -v n="$n_ok" -v s="$secs" -v c="$(cpu "$usr" "$sys")" -v su="$served" 'BEGIN { sum = 0 } { sum += $1 } END {
	  printf "reference curl --parallel-max '"$conc"' -L of the same %d log URLs: %.1f s wall, %.1f s CPU, %.0f MB, server mean in flight %.1f (download only: no jobs lists, no clone, no compression, no database)\n", n, s, c, sum / 1048576, su / 1e6 / s }' "$tmp/curl.sizes"
	stop
}

logs_note=""
if [ -d "$fixtures" ]; then
	run real 0 "$(nproc)" --world "$tmp/served-real" --logs-from "$fixtures"
	run real "$latency" 1 --world "$tmp/served-real" --logs-from "$fixtures"
else
	logs_note="(../shared/fixtures/logs absent: only the world's own logs)"
	echo "$logs_note"
fi
run world 0 "$(nproc)" --world "$world"

# Reference 2: cloning the same repositories with git (what ingestion's git_history does first).
/usr/bin/time -f "%e %U %S" -o "$tmp/time" bash -c '
	for g in "$1"/repos/*/*.git; do git clone -q --mirror "file://$g" "$2/$(basename "$(dirname "$g")")-$(basename "$g")"; done' \
	_ "$world" "$tmp/clones"
read -r secs usr sys <"$tmp/time"
echo "reference git clone --mirror of the $repos repositories (file://, one after the other): $secs s wall, $(cpu "$usr" "$sys") s CPU"
# Reference 3: the zstd command at ciminer's level over the distinct real logs, one file each.
if [ -d "$fixtures" ]; then
	mkdir "$tmp/zstd"
	find "$fixtures" -name '*.log' -print0 | xargs -0 -I{} sh -c 'zstd -q -6 -c "$1" >"$2/$(basename "$1").zst"' _ {} "$tmp/zstd"
	r=$(find "$fixtures" -name '*.log' -printf '%s\n' | awk '{ s += $1 } END { print s }')
	z=$(find "$tmp/zstd" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
	awk -v r="$r" -v z="$z" 'BEGIN { printf "reference zstd -6 per file over the %s distinct real logs: %.1f MB -> %.1f MB = %.1fx\n", "'"$(find "$fixtures" -name '*.log' | wc -l)"'", r / 1048576, z / 1048576, r / z }'
fi
