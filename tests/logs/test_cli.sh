#!/usr/bin/env bash
# `ciminer logs parse`: text and JSON output, several files, stdin, .gz/.zst,
# --merge, and the exit status and one-line message for bad input.
set -euo pipefail
bin=${CIMINER_BIN:?CIMINER_BIN is the ciminer binary}
data=${CIMINER_SOURCE_DIR:?}/tests/logs/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# text output
out=$("$bin" logs parse "$data/gtest.log")
grep -q 'frameworks:   gtest' <<<"$out" || fail "text output lacks the framework: $out"
grep -q '4 run, 3 ok, 1 failed, 1 skipped' <<<"$out" || fail "text output lacks the counts: $out"

# JSON, two files, one of them from stdin, one gzip and one zstd
gzip -c "$data/cargo.log" >"$tmp/cargo.log.gz"
zstd -q -c "$data/phpunit.log" >"$tmp/phpunit.log.zst"
"$bin" --json logs parse - "$tmp/cargo.log.gz" "$tmp/phpunit.log.zst" <"$data/gtest.log" >"$tmp/out.json"
/usr/bin/python3 - "$tmp/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert [x["file"] for x in r][0] == "-", r
assert [x["tests_run"] for x in r] == [4, 7, 7], r
assert r[1]["frameworks"] == ["cargo"] and r[1]["tests_failed_names"] == "parser::tests::parses_list", r
assert set(r[0]) >= {"file", "frameworks", "tests_run", "tests_ok", "tests_failed", "tests_skipped",
                     "tests_failed_names", "test_duration_sec", "status", "analyzer"}, r[0].keys()
PY

# --merge: one result for a build's jobs
"$bin" logs parse --json --merge "$data/gtest.log" "$data/cargo.log" >"$tmp/m.json"
/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert len(r)==1 and r[0]['tests_run']==11 and r[0]['frameworks']==['gtest','cargo'], r" "$tmp/m.json"

# no tests recognised is said, not hidden
printf 'hello\nworld\n' >"$tmp/plain.log"
"$bin" logs parse "$tmp/plain.log" | grep -q 'no tests recognised' || fail "no 'no tests recognised'"

# bad input: exit 2, one line naming the file, nothing on stdout
set +e
"$bin" logs parse "$data/gtest.log" "$tmp/missing.log" >"$tmp/o" 2>"$tmp/e"; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing file: exit $rc, want 2"
[ ! -s "$tmp/o" ] || fail "missing file: something was printed: $(cat "$tmp/o")"
grep -q "missing.log" "$tmp/e" || fail "the error does not name the file: $(cat "$tmp/e")"
[ "$(wc -l <"$tmp/e")" = 1 ] || fail "the error is not one line: $(cat "$tmp/e")"
set +e
"$bin" logs parse >/dev/null 2>"$tmp/e"; rc=$?
set -e
[ "$rc" = 2 ] || fail "no file: exit $rc, want 2"
echo ok
