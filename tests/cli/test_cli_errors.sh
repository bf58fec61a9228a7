#!/usr/bin/env bash
# Bad usage and bad input at the command line: exit status 2, exactly one line
# on stderr naming the offending value, nothing on stdout, and nothing created
# in the data dir where the refusal comes before any work.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# untouched NAME DIR: the data dir does not exist, or exists empty.
untouched() {
	if [ -e "$2" ] && [ -n "$(ls -A "$2")" ]; then
		fail "$1: the refusal left files in the data dir: $(ls -A "$2")"
	fi
	return 0
}

# unknown command and options
refused "unknown command" "'frobnicate'" "$bin" --data-dir "$tmp/d1" frobnicate
untouched "unknown command" "$tmp/d1"
refused "unknown sub-command" "'source frob'" "$bin" --data-dir "$tmp/d1" source frob
refused "unknown option" "'--bogus'" "$bin" --data-dir "$tmp/d1" source import --bogus x.csv
refused "unknown option of scenario builds" "'--frobnicate'" "$bin" --data-dir "$tmp/d1" scenario builds 1 --phase ingestion --frobnicate
refused "option without its value" "--db needs a value" "$bin" source list --db
refused "bad id" "'abc' is not a source id" "$bin" --data-dir "$tmp/d1" source show abc
untouched "unknown option" "$tmp/d1"

# database URLs
refused "malformed --db" "'mysql://somewhere/db'" "$bin" --data-dir "$tmp/d2" --db mysql://somewhere/db source list
untouched "malformed --db" "$tmp/d2"
refused "--db without a file" "'sqlite://'" "$bin" --data-dir "$tmp/d3" --db sqlite:// source list
untouched "--db without a file" "$tmp/d3"
refused "unreachable PostgreSQL" "postgresql://nobody@127.0.0.1:1/nodb" \
	"$bin" --data-dir "$tmp/d4" --db postgresql://nobody@127.0.0.1:1/nodb source list
untouched "unreachable PostgreSQL" "$tmp/d4"

# an unusable data dir
refused "unwritable data dir" "/proc/x" "$bin" --data-dir /proc/x source list
refused "data dir that is a file" "$tmp/afile" sh -c "touch '$tmp/afile' && exec '$bin' --data-dir '$tmp/afile' source list"

# scenario files
printf '{"name": "s", "data_source_config": {"filterby": "all"}}\n' >"$tmp/bad.json"
refused "scenario create with an unknown key" "data_source_config.filterby: unknown key; did you mean filter_by?" \
	"$bin" --data-dir "$tmp/d5" scenario create "$tmp/bad.json"
untouched "scenario create with an unknown key" "$tmp/d5"
printf 'name: s\nsplitting_config:\n  ratios: {train: 0.7, val: 0.2, test: 0.15}\n' >"$tmp/ratios.yaml"
refused "scenario create with bad ratios" "splitting_config.ratios: sum is 1.05, must be 1" \
	"$bin" --data-dir "$tmp/d5" scenario create "$tmp/ratios.yaml"
printf 'name: s\ndata_source_config: [unclosed\n' >"$tmp/broken.yaml"
refused "scenario create with broken YAML" "broken.yaml" "$bin" --data-dir "$tmp/d5" scenario create "$tmp/broken.yaml"
refused "scenario create of a missing file" "missing.json" "$bin" --data-dir "$tmp/d5" scenario create "$tmp/missing.json"
refused "scenario preview with a bad file" "filterby" "$bin" --data-dir "$tmp/d5" scenario preview "$tmp/bad.json"
refused "scenario create without a file" "scenario create takes one scenario file" "$bin" --data-dir "$tmp/d5" scenario create
untouched "scenario files" "$tmp/d5"

# source import
refused "source import of a missing file" "missing.csv" "$bin" --data-dir "$tmp/d6" source import "$tmp/missing.csv"
untouched "source import of a missing file" "$tmp/d6"
refused "source import of a folder" "is a folder" "$bin" --data-dir "$tmp/d6" source import "$tmp"
untouched "source import of a folder" "$tmp/d6"
refused "source import with a bad --map" "--map 'build_id'" "$bin" --data-dir "$tmp/d6" source import --map build_id "$tmp/bad.json"
refused "source import with an unknown provider" "'jenkins'" "$bin" --data-dir "$tmp/d6" source import --provider jenkins "$tmp/bad.json"
printf 'job,repo,when\n1,a/b,today\n' >"$tmp/nobuild.csv"
refused "source import without a build-id column" "(job, repo, when)" "$bin" --data-dir "$tmp/d7" source import "$tmp/nobuild.csv"
# That refusal had to open the database to find out; it stored no source.
"$bin" --data-dir "$tmp/d7" --json source list >"$tmp/list.json"
/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r == [], r" "$tmp/list.json" ||
	fail "a refused CSV left a build source"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$tmp/image.csv"
refused "source import of a binary file" "binary" "$bin" --data-dir "$tmp/d7" source import "$tmp/image.csv"

# a good import still works in the same data dir (the refusals broke nothing)
printf 'build_id,repo_name\n1,a/b\n2,a/b\n' >"$tmp/ok.csv"
"$bin" --data-dir "$tmp/d7" source import "$tmp/ok.csv" >"$tmp/out" || fail "a valid import failed"
grep -q "imported source 1: 2 rows" "$tmp/out" || fail "unexpected import output: $(cat "$tmp/out")"
echo ok
