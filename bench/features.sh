#!/usr/bin/env bash
# The feature engine (issue 6, Performance), in one script: generates a
# repository of 20,000 commits / 50 authors / ~2,000 files with the git
# benchmark's generator (bench_git gen), times `git log --numstat
# --no-renames` over all of its refs (the floor for churn), then, in
# bench_features, the one-time index and builds/s for git_* alone and for the
# whole catalogue except log_* and pr_* over 5,000 builds, and peak memory.
# Targets: index <= 2x git log; catalogue >= 1,000 builds/s per core; < 1 GiB.
# Usage: bench/features.sh BUILD_DIR   (env: FEAT_BENCH_COMMITS, FEAT_BENCH_BUILDS)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/gitlog.sh"
commits=${FEAT_BENCH_COMMITS:-20000}
builds=${FEAT_BENCH_BUILDS:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-features.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo=$work/repo.git

"$build/bench/bench_git" gen "$repo" "$commits" 50 2000

# The reference: git log over the same history, warm (sets $ref, $refcpu).
gitlog_reference

out=$("$build/bench/bench_features" "$repo" "$builds")
echo "$out" | grep -v '^[a-z_]*='
val() { echo "$out" | sed -n "s/^$1=//p"; }
awk -v i="$(val index_seconds)" -v ic="$(val index_cpu_seconds)" -v r="$ref" -v rc="$refcpu" \
    -v g="$(val git_builds_per_second)" -v c="$(val catalogue_builds_per_second)" \
    -v cc="$(val catalogue_builds_per_cpu_second)" -v m="$(val peak_rss_mib)" 'BEGIN {
	printf "RESULT index %.2f s wall / %.2f s CPU = %.2fx / %.2fx git log (target <= 2x); git_* %s builds/s; catalogue (no log_*, pr_*) %s builds/s wall, %s per CPU second (target >= 1000 per core); peak %s MiB (target < 1024)\n", i, ic, i / r, ic / rc, g, c, cc, m }'
