#!/usr/bin/env bash
# The world generator (src/world/world.c, docs/world.md): `ciminer
# generate-world` at the demo size (4 repositories, 400 builds) and at a
# benchmark size (WORLD_BENCH_REPOS x WORLD_BENCH_BUILDS, default 8 x 5000),
# with plain and zstd-compressed logs. Reported: wall and CPU time (user +
# system; the machine is shared, CPU time is the steadier figure), peak
# memory, archive size, and as the reference measured in the same run, the
# time `cp -a` takes to copy the finished archive (the file-system floor for
# writing that many files and bytes) and `git log --all --numstat` over its
# repositories (what reading the history back costs).
set -euo pipefail
build=$1
bin=$build/ciminer
repos=${WORLD_BENCH_REPOS:-8}
builds=${WORLD_BENCH_BUILDS:-5000}
[ -x "$bin" ] || { echo "world: $bin is missing; build the ciminer target" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-world.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

measure() { # name, then the command
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  read -r wall user sys rss <"$tmp/time"
  printf '%-44s %7.2f s wall  %6.2f s CPU  %6d MiB peak\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024))
}

run() { # repos, builds, extra flags, label
  local out=$tmp/w-$1-$2$3
  measure "generate-world $4 ($1 repos, $2 builds)" "$bin" generate-world --out "$out" --repos "$1" --builds "$2" $3
  printf '%-44s %s, %s files\n' "  archive" "$(du -sh "$out" | cut -f1)" "$(find "$out" -type f | wc -l)"
  measure "  reference: cp -a of the archive" cp -a "$out" "$tmp/copy"
  rm -rf "$tmp/copy"
  measure "  reference: git log --all --numstat (all repos)" \
    bash -c 'for g in "$1"/repos/*/*.git; do git -C "$g" log --all --numstat >/dev/null; done' _ "$out"
  rm -rf "$out"
}

run 4 400 "" "demo size"
run "$repos" "$builds" "" "plain logs"
run "$repos" "$builds" "--compress-logs" "zstd logs"
