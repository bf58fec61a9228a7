#!/usr/bin/env bash
# The include rules hold: every file under src/<layer>/ includes only headers
# of its own layer and of the layers DEPS_<layer> in CMakeLists.txt lets it use
# (docs/architecture.md, "Layers"), checked by tests/support/check-includes.
# The checker is also shown to fail, naming the file and line, on a copy of the
# tree with an upward include, an undeclared layer, another layer's private
# header and a header given without its layer folder.
set -euo pipefail
src=${CIMINER_SOURCE_DIR:?CIMINER_SOURCE_DIR is the repository}
check=$src/tests/support/check-includes
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$check" "$src" >"$tmp/out" || fail "the tree breaks the include rules:"$'\n'"$(cat "$tmp/out")"

# violates NAME NEEDLE: the copy in $tmp/tree must be refused with a line containing NEEDLE.
violates() {
	set +e
	"$check" "$tmp/tree" >"$tmp/out" 2>&1
	local rc=$?
	set -e
	[ "$rc" = 1 ] || fail "$1: exit $rc, want 1 ($(cat "$tmp/out"))"
	grep -qF -- "$2" "$tmp/out" || fail "$1: the report does not say '$2': $(cat "$tmp/out")"
}
fresh() {
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	cp -r "$src/src" "$src/CMakeLists.txt" "$tmp/tree/"
}

fresh
"$check" "$tmp/tree" >/dev/null || fail "an unchanged copy of the tree is refused"
line=$(($(wc -l <"$tmp/tree/src/core/buf.c") + 1))
echo '#include "pipeline/scenario.h"' >>"$tmp/tree/src/core/buf.c"
violates "core including pipeline" "src/core/buf.c:$line: core/ may not include \"pipeline/scenario.h\""

fresh
echo '#include "ci/provider.h"' >>"$tmp/tree/src/world/world.c"
violates "world including ci" 'world/ may not include "ci/provider.h"'

fresh
mkdir "$tmp/tree/src/newlayer"
echo '#include "core/buf.h"' >"$tmp/tree/src/newlayer/x.c"
violates "an undeclared layer" "src/newlayer/: no set(DEPS_newlayer ...)"

fresh
echo '#include "world/world_internal.h"' >>"$tmp/tree/src/cli/cmd_demo.c"
violates "another layer's private header" '"world/world_internal.h" is private to world/'

fresh
echo '#include "buf.h"' >>"$tmp/tree/src/core/fs.c"
violates "a header without its folder" '"buf.h" has no layer folder'
echo "include rules: the tree passes, and five kinds of violation are refused"
