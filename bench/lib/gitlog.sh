# Sourced by the benchmark scripts that compare the git history index with
# `git log` (features.sh, git_index.sh). Needs $repo (a bare repository).
#   gitlog_reference   times `git log --numstat --no-renames` over every ref,
#                      merges against their first parent (as the index diffs
#                      them), twice; the second, warm run is the reference.
#                      Sets $ref (wall seconds) and $refcpu (user + system:
#                      the steadier figure on a shared machine) and prints both.
gitlog_run() { git -C "$repo" log --all --numstat --no-renames --diff-merges=first-parent --format=%H >/dev/null; }
gitlog_reference() {
	local ru rs TIMEFORMAT='%R %U %S'
	gitlog_run
	read -r ref ru rs < <({ time gitlog_run; } 2>&1)
	refcpu=$(awk -v u="$ru" -v s="$rs" 'BEGIN { printf "%.3f", u + s }')
	printf 'git log --numstat --no-renames: %.2f s wall, %.2f s CPU\n' "$ref" "$refcpu"
}
