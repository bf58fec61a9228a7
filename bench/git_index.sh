#!/usr/bin/env bash
# The git history index (issue 6, Performance): generates a repository of
# 20,000 commits / 50 authors / ~2,000 files, times `git log --numstat
# --no-renames` over all of its refs (the floor for churn), then the one-time
# index and the per-build query mix over 5,000 build points, and peak memory.
# Targets: index <= 2x git log; memory < 1 GiB.
# Usage: bench/git_index.sh BUILD_DIR   (env: GIT_BENCH_COMMITS, GIT_BENCH_BUILDS)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/gitlog.sh"
bin=$build/bench/bench_git
commits=${GIT_BENCH_COMMITS:-20000}
builds=${GIT_BENCH_BUILDS:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-git.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo=$work/repo.git

t0=$(date +%s.%N)
"$bin" gen "$repo" "$commits" 50 2000
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "generation: %.1f s\n", b - a }'

# Reference: git log over the same history, warm (sets $ref, $refcpu).
gitlog_reference

out=$("$bin" index "$repo" "$builds")
echo "$out" | grep -v '^[a-z_]*='
idx=$(echo "$out" | sed -n 's/^index_seconds=//p')
idxcpu=$(echo "$out" | sed -n 's/^index_cpu_seconds=//p')
bps=$(echo "$out" | sed -n 's/^builds_per_second=//p')
mem=$(echo "$out" | sed -n 's/^peak_rss_mib=//p')
awk -v i="$idx" -v r="$ref" -v ic="$idxcpu" -v rc="$refcpu" -v q="$bps" -v m="$mem" 'BEGIN {
	printf "RESULT index %.2f s wall / %.2f s CPU vs git log %.2f s / %.2f s = %.2fx wall, %.2fx CPU (target <= 2x); queries %s builds/s; peak %s MiB (target < 1024)\n", i, ic, r, rc, i / r, ic / rc, q, m }'
