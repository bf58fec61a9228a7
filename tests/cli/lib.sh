# Shared set-up of the command-line test scripts (sourced, never run): the
# binary under test, a scratch folder removed on exit, an environment free of
# the user's ciminer settings, and the checks every script makes.
bin=${CIMINER_BIN:?CIMINER_BIN is the ciminer binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
unset CIMINER_DB CIMINER_DATA_DIR CIMINER_WORKERS
fail() { echo "FAIL: $*" >&2; exit 1; }

# refused NAME NEEDLE CMD...: runs CMD, wants exit 2, one stderr line containing NEEDLE, empty stdout.
refused() {
	local name=$1 needle=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$name: exit $rc, want 2 (stderr: $(head -c 300 "$tmp/err"))"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "$name: stderr is not one line: $(head -c 300 "$tmp/err")"
	grep -qF -- "$needle" "$tmp/err" || fail "$name: stderr does not say '$needle': $(cat "$tmp/err")"
	[ ! -s "$tmp/out" ] || fail "$name: something was printed on stdout: $(cat "$tmp/out")"
}
