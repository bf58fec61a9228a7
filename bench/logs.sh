#!/usr/bin/env bash
# Build-log parsing (issue 5): the labelled fixture logs (../shared/fixtures/logs)
# concatenated to at least 1 GiB and parsed as one stream by bench_logs, beside,
# over the same bytes and in the same run, `grep -c 'Tests run:'` (one fixed
# pattern) and `grep -cE` with one alternation of every summary pattern the
# parsers recognise. grep only counts lines; ciminer normalises (timestamps,
# ANSI, CR frames, folds) and parses them. Throughput is bytes / CPU time of the
# single-threaded process (MB/s per core), best of LOGS_BENCH_RUNS (default 3);
# wall time is shown too. Peak memory is measured on 1/8 of the input and on all
# of it: it must not grow with the log.
# LOGS_BENCH_MB sets the size (default 1100 MB, just over 1 GiB).
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
fixtures=${CIMINER_FIXTURES:-$here/../../shared/fixtures}/logs
target_mb=${LOGS_BENCH_MB:-1100}
runs=${LOGS_BENCH_RUNS:-3}
bin=$build/bench/bench_logs
if [ ! -d "$fixtures" ]; then
  echo "logs: skipped: the fixture logs ($fixtures) are not on this machine"
  exit 0
fi
[ -x "$bin" ] || { echo "logs: $bin is missing; build the bench_logs target" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-logs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

find "$fixtures" -name '*.log' -print0 | sort -z | xargs -0 cat >"$tmp/once.log"
once=$(stat -c %s "$tmp/once.log")
: >"$tmp/all.log"
while [ "$(stat -c %s "$tmp/all.log")" -lt $((target_mb * 1000 * 1000)) ]; do
  cat "$tmp/once.log" >>"$tmp/all.log"
done
bytes=$(stat -c %s "$tmp/all.log")
head -c $((bytes / 8)) "$tmp/all.log" >"$tmp/eighth.log"
cat "$tmp/all.log" >/dev/null # into the page cache, as for every contender

# Every summary and verdict line the parsers look for, as one ERE alternation.
pattern='Tests run:|tests? completed|[0-9]+ (passed|failed|skipped|errors?|xfailed|xpassed)'
pattern+='|[0-9]+ (passing|failing|pending)|Ran [0-9]+ tests? in|^(OK|FAILED)( \(|$)|Tests: +[0-9]'
pattern+='|[0-9]+ examples?, [0-9]+ failures?|[0-9]+ (runs?|tests?), [0-9]+ assertions?|[0-9]+ scenarios? \('
pattern+='|--- (PASS|FAIL|SKIP): |^ok  	|^FAIL	|DONE [0-9]+ tests?|test result: |Summary \['
pattern+='|\[  (PASSED|FAILED|SKIPPED) \] |tests passed, [0-9]+ tests failed|All tests passed \(|test cases?: '
pattern+='|(Passed|Failed)!  - |Total tests: |[0-9]+ specs?, [0-9]+ failures?|Executed [0-9]+ of [0-9]+'
pattern+='|Tests  +[0-9]|Total tests run:|(Passed|Failed): Total [0-9]+|Tests: succeeded [0-9]+'
pattern+='|OK \([0-9]+ tests?,|Tests: [0-9]+, Assertions:|##\[error\]|Done\. Your build exited with'
pattern+='|The build has been terminated|exceeded the maximum time limit|travis_fold:|##\[group\]'

# best of $runs: prints "cpu_seconds wall_seconds max_rss_kb"
measure() {
  local best_cpu= best_wall= rss=
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f '%U %S %e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null
    read -r u s e m <"$tmp/time"
    cpu=$(echo "$u + $s" | bc)
    if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; best_wall=$e; fi
    rss=$m
  done
  echo "$best_cpu $best_wall $rss"
}
mbps() { echo "scale=0; $bytes / 1000000 / $1" | bc; }
row() { # name cpu wall rss
  printf '  %-44s %6s MB/s per core  (%5.2f s CPU, %5.2f s wall, peak RSS %6.1f MiB)\n' \
    "$1" "$(mbps "$2")" "$2" "$3" "$(echo "scale=1; $4 / 1024" | bc)"
}

echo "input: $((bytes / 1000000)) MB ($((bytes / once)) copies of $(find "$fixtures" -name '*.log' | wc -l) fixture logs, $((once / 1000000)) MB)"
read -r c w m < <(measure sh -c "grep -c 'Tests run:' '$tmp/all.log' | cat")
row "grep -c 'Tests run:' (reference)" "$c" "$w" "$m"
read -r c w m < <(measure sh -c "grep -cE -e \"\$0\" '$tmp/all.log' | cat" "$pattern")
row "grep -cE <$(echo "$pattern" | tr '|' '\n' | wc -l) summary patterns> (reference)" "$c" "$w" "$m"
grep_e_cpu=$c
read -r c w m < <(measure "$bin" "$tmp/all.log")
row "ciminer logs parse (normalise + parse)" "$c" "$w" "$m"
ours_cpu=$c
cp "$tmp/out" "$tmp/ours.out"
read -r c8 w8 m8 < <(measure "$bin" "$tmp/eighth.log")
printf '  peak RSS of bench_logs: %.1f MiB on %d MB, %.1f MiB on %d MB\n' \
  "$(echo "scale=1; $m8 / 1024" | bc)" $((bytes / 8 / 1000000)) "$(echo "scale=1; $m / 1024" | bc)" $((bytes / 1000000))
printf '  ciminer / grep -cE: %.2fx\n' "$(echo "scale=2; $grep_e_cpu / $ours_cpu" | bc)"
sed 's/^/  bench_logs: /' "$tmp/ours.out"
