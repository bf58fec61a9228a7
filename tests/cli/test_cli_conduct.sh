#!/usr/bin/env bash
# How the command line behaves (issue 13): read-only commands create nothing;
# help for every command and sub-command comes from the command table, as do
# suggestions, completion and the man page; --json errors are one JSON object
# on stderr; exit status 1 with the cause on stderr (without -v) when a
# validation leaves rows pending, 0 after the retry that decides them, and a
# phase command run again while its phase is open attaches to it; progress is
# one line per 10% on a pipe, and --quiet silences it.
set -euo pipefail
bin=${CIMINER_BIN:?CIMINER_BIN is the ciminer binary}
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-test-conduct.XXXXXX")
server=
worker=
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	if [ -n "$worker" ]; then kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
unset CIMINER_DB CIMINER_DATA_DIR GITHUB_TOKEN CIMINER_GITHUB_TOKENS
fail() { echo "FAIL: $*" >&2; exit 1; }

# run WANT CMD...: runs CMD with stdout in $tmp/out and stderr in $tmp/err; wants exit status WANT.
run() {
	local want=$1
	shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "$*: exit $rc, want $want (stderr: $(cat "$tmp/err"))"
}

# --- read-only commands in an empty folder create nothing
for cmd in "scenario list" "source list" "source show 1" "source builds 1" "source repos 1" "source watch 1" \
	"scenario show 1" "scenario builds 1 --phase ingestion" "scenario splits 1" "scenario watch 1" \
	"source validate 1" "scenario ingest 1 --wait" "source delete 1"; do
	# shellcheck disable=SC2086
	run 2 "$bin" $cmd
	grep -q "no ciminer data in ./ciminer-data; run 'ciminer init' or pass --data-dir" "$tmp/err" ||
		fail "$cmd: $(cat "$tmp/err")"
	[ ! -e ciminer-data ] || fail "$cmd created ./ciminer-data"
done

# --- --json errors: one JSON object on stderr with code, message and field
jerr() { # jerr CODE FIELD: checks $tmp/err
	/usr/bin/python3 - "$tmp/err" "$1" "$2" <<'PY' || fail "JSON error: $(cat "$tmp/err")"
import json, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, text
err = json.loads(text)["error"]
assert set(err) == {"code", "message", "field"}, err
assert err["code"] == sys.argv[2], err
assert err["field"] == (None if sys.argv[3] == "null" else sys.argv[3]), err
assert err["message"], err
PY
	[ ! -s "$tmp/out" ] || fail "an error printed on stdout: $(cat "$tmp/out")"
}
run 2 "$bin" --json scenario list
jerr usage --data-dir
run 2 "$bin" --json --data-dir d source show abc
jerr usage null
run 2 "$bin" source import --wiat x.csv --json
jerr usage --wiat
grep -q "did you mean --wait" "$tmp/err" || fail "no suggestion: $(cat "$tmp/err")"
printf '{"name": "s", "data_source_config": {"filterby": "all"}}\n' >bad.json
run 2 "$bin" --json --data-dir d scenario create bad.json
jerr input data_source_config.filterby
run 2 "$bin" --json frobnicate
jerr usage command
[ ! -e d ] || fail "exit-2 errors created the data dir"

# --- suggestions for misspelt commands, sub-commands and options
run 2 "$bin" scenraio list
grep -q "did you mean 'scenario'" "$tmp/err" || fail "$(cat "$tmp/err")"
run 2 "$bin" source valdate 1
grep -q "did you mean 'source validate'" "$tmp/err" || fail "$(cat "$tmp/err")"
run 2 "$bin" --josn source list
grep -q "unknown option '--josn'.*did you mean --json" "$tmp/err" || fail "$(cat "$tmp/err")"
run 2 "$bin" scenario ingest 1 --wiat
grep -q "did you mean --wait" "$tmp/err" || fail "$(cat "$tmp/err")"

# --- help for every command and sub-command, from the same table as dispatch
run 0 "$bin" help
cmds=$(sed -n '/^Commands:/,/^$/p' "$tmp/out" | awk 'NF > 1 { print $1 }')
[ "$(echo "$cmds" | wc -l)" -ge 8 ] || fail "help lists too few commands: $cmds"
for c in $cmds; do
	run 0 "$bin" help "$c"
	cp "$tmp/out" "$tmp/help"
	run 0 "$bin" "$c" --help
	cmp -s "$tmp/out" "$tmp/help" || fail "'ciminer $c --help' differs from 'ciminer help $c'"
	subs=$(sed -n "s/^\(usage:\|      \) ciminer $c \([a-z-]*\).*/\2/p" "$tmp/help" | sort -u)
	for sub in $subs; do
		run 0 "$bin" help "$c" "$sub"
		head -1 "$tmp/out" | grep -q "^usage: ciminer $c $sub" || fail "help $c $sub: $(head -1 "$tmp/out")"
		cp "$tmp/out" "$tmp/help-sub"
		run 0 "$bin" "$c" "$sub" --help
		cmp -s "$tmp/out" "$tmp/help-sub" || fail "'ciminer $c $sub --help' differs from 'ciminer help $c $sub'"
	done
done
run 2 "$bin" help nosuch

# --- completion and man page
run 0 "$bin" completion bash
bash -n "$tmp/out" || fail "the bash completion script does not parse"
words=$(bash -c 'source "$1"; COMP_WORDS=(ciminer scenario in); COMP_CWORD=2; _ciminer; echo "${COMPREPLY[*]}"' _ "$tmp/out")
[ "$words" = "ingest" ] || fail "completing 'ciminer scenario in' gave '$words'"
words=$(bash -c 'source "$1"; COMP_WORDS=(ciminer source import --w); COMP_CWORD=3; _ciminer; echo "${COMPREPLY[*]}"' _ "$tmp/out")
[ "$words" = "--wait" ] || fail "completing 'ciminer source import --w' gave '$words'"
run 0 "$bin" completion zsh
grep -q '^#compdef ciminer' "$tmp/out" || fail "zsh completion lacks #compdef"
run 2 "$bin" completion fish
run 0 "$bin" man
cmp -s "$tmp/out" "$src/docs/ciminer.1" || fail "docs/ciminer.1 is stale: run 'ciminer man > docs/ciminer.1'"
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$tmp/out" 2>"$tmp/groff.err" || true
	[ ! -s "$tmp/groff.err" ] || fail "groff warns about the man page: $(head -3 "$tmp/groff.err")"
fi

# --- exit status 1 with the cause, resume by re-running, progress lines, --quiet
: >"$tmp/server.out"
/usr/bin/python3 "$src/tests/fixture-server/ciserver.py" --generate repos=1,runs=30,seed=3 \
	--config '{"require_auth": true}' >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
for _ in $(seq 1 300); do
	url=$(sed -n 's/^LISTEN //p' "$tmp/server.out")
	[ -n "$url" ] && break
	kill -0 "$server" 2>/dev/null || { cat "$tmp/server.err" >&2; fail "the fixture server did not start"; }
	sleep 0.1
done
[ -n "$url" ] || fail "the fixture server did not start"
export CIMINER_GITHUB_API_URL=$url CIMINER_GIT_URL=file:///nonexistent
/usr/bin/python3 - "$url" >builds.csv <<'PY'
import json, sys, urllib.request
w = json.load(urllib.request.urlopen(sys.argv[1] + "/_fixture/world?repo=org0/project-0"))
print("build_id,repo_name")
for r in w["runs"]:
    print("%d,org0/project-0" % r["id"])
PY
# Without credentials the provider refuses (401): the rows stay pending, exit 1, the cause on stderr.
run 1 "$bin" --data-dir data source import builds.csv --wait
grep -q "validation of source 1 left 30 rows pending (status failed); first cause (org0/project-0, 30 rows):" "$tmp/err" ||
	fail "the cause is not on stderr: $(cat "$tmp/err")"
grep -qi "401\|auth" "$tmp/err" || fail "the cause does not say why: $(cat "$tmp/err")"
run 1 "$bin" --json --data-dir data source validate 1 --wait
/usr/bin/python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['error']; assert e['code']=='permanent', e" "$tmp/err" ||
	fail "--json: the failure is not one JSON error: $(cat "$tmp/err")"
# With a token it is decided: exit 0, and the stale "still pending" message is gone.
export GITHUB_TOKEN=conduct-token
run 0 "$bin" --data-dir data source validate 1 --wait
grep -q "validation: done 30/30 in" "$tmp/err" || fail "no progress lines on a pipe: $(cat "$tmp/err")"
[ "$(grep -c '^validation: ' "$tmp/err")" -le 12 ] || fail "more than one progress line per 10%: $(cat "$tmp/err")"
run 0 "$bin" --json --data-dir data source show 1
/usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['error_message'] is None and s['pending']==0 and s['found']+s['filtered']==30, s" "$tmp/out" ||
	fail "after the successful retry: $(cat "$tmp/out")"
# A validation that is open (queued, no worker) is attached to, not refused.
printf 'build_id,repo_name\n1,org0/project-0\n' >one.csv
run 0 "$bin" --data-dir data source import one.csv
run 0 "$bin" --data-dir data source validate 2
run 0 "$bin" --data-dir data source validate 2
grep -q "source 2 is already being validated; follow it with 'ciminer source watch 2'" "$tmp/out" ||
	fail "a second start did not attach: $(cat "$tmp/out")"
run 0 "$bin" --quiet --data-dir data source validate 2 --wait
grep -q "resuming it here" "$tmp/out" || fail "--wait did not say it resumed: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "--quiet printed progress: $(cat "$tmp/err")"
run 0 "$bin" --data-dir data source watch 2
grep -q "source 2 is not being validated" "$tmp/out" || fail "watch of an ended validation: $(cat "$tmp/out")"

# --- a scenario phase started twice attaches; watch follows it to its end; re-running after the end is a no-op
run 0 "$bin" generate-world --repos 2 --builds 30 --seed 2 --out world
run 0 "$bin" --data-dir sdata source import world/builds.csv --provider local --archive world --wait
printf '{"name": "t", "data_source_config": {"filter_by": "all"}}\n' >s.json
run 0 "$bin" --data-dir sdata scenario create s.json
run 0 "$bin" --data-dir sdata scenario ingest 1
run 0 "$bin" --data-dir sdata scenario ingest 1
grep -q "scenario 1: ingestion is already running (.*); follow it with 'ciminer scenario watch 1'" "$tmp/out" ||
	fail "a second 'scenario ingest' did not attach: $(cat "$tmp/out")"
"$bin" --data-dir sdata worker --once --queues ingestion >/dev/null 2>&1 &
worker=$!
run 0 "$bin" --data-dir sdata scenario watch 1
grep -q "^scenario 1: ingested " "$tmp/out" || fail "watch did not follow ingestion to its end: $(cat "$tmp/out")"
wait "$worker" || fail "the worker failed"
worker=
run 0 "$bin" --data-dir sdata scenario ingest 1 --wait
grep -q "scenario 1 is already ingested; nothing to resume" "$tmp/out" || fail "$(cat "$tmp/out")"
echo ok
