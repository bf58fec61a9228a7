# Helpers shared by the end-to-end tests (sourced by tests/e2e/test_*.sh and
# bench/ingest.sh). Everything runs the real `ciminer` binary ($CIMINER_BIN)
# on a generated world, with a real SQLite or PostgreSQL database and, for
# the GitHub provider, the loopback fixture server. See tests/e2e/README.md.
set -euo pipefail

: "${CIMINER_BIN:?CIMINER_BIN must name the ciminer binary (ctest sets it)}"
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_SRC=${CIMINER_SOURCE_DIR:-$(cd "$E2E_DIR/../.." && pwd)}
E2E_BUILD=$(cd "$(dirname "$CIMINER_BIN")" && pwd)
PY=/usr/bin/python3 # Debian's Python: pandas is installed there, not in the pyenv one
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-e2e.XXXXXX")
E2E_PIDS=()
E2E_PG_DBS=()
E2E_PG_ADMIN=""
# The world of the tests: small, but with every kind of build in it (bots,
# cancelled and timed-out runs, expired logs, pull requests).
E2E_WORLD_ARGS=(--repos 3 --builds 150 --seed 7)

E2E_T0=$EPOCHREALTIME
e2e_note() { echo "e2e: [$(awk -v a="$E2E_T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%6.1f", b - a }') s] $*" >&2; }
e2e_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

e2e_cleanup() {
	local rc=$?
	local p
	for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${E2E_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	local db
	for db in "${E2E_PG_DBS[@]}"; do
		psql "$E2E_PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
	if [ "$rc" -ne 0 ] && [ -n "${E2E_KEEP:-}" ]; then
		e2e_note "kept $E2E_WORK for inspection"
	else
		rm -rf "$E2E_WORK"
	fi
	exit "$rc"
}
trap e2e_cleanup EXIT

# e2e_expect WHAT GOT WANT: fails with both values when they differ.
e2e_expect() {
	[ "$2" = "$3" ] || e2e_fail "$1: got '$2', expected '$3'"
}

# cim ARGS...: the binary on the current data dir ($DATA) and database ($DB, empty: SQLite in $DATA).
cim() {
	if [ -n "${DB:-}" ]; then
		"$CIMINER_BIN" --data-dir "$DATA" --db "$DB" "$@"
	else
		"$CIMINER_BIN" --data-dir "$DATA" "$@"
	fi
}

# jq-like look-up without jq: e2e_json KEY < JSON prints the value (objects and arrays as JSON).
e2e_json() {
	"$PY" -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$1"
}

# e2e_world DIR: the test world as a local archive.
e2e_world() {
	"$CIMINER_BIN" generate-world "${E2E_WORLD_ARGS[@]}" --out "$1" >/dev/null 2>"$E2E_WORK/world.err" ||
		{ cat "$E2E_WORK/world.err" >&2; e2e_fail "generate-world failed"; }
}

# e2e_pg_db NAME: creates a fresh database NAME on the test server (dropped at
# exit) and sets DB to its URL.
e2e_pg_db() {
	local state=${CIMINER_TEST_PG_STATE:-}
	[ -r "$state" ] || e2e_fail "no PostgreSQL test server: CIMINER_TEST_PG_STATE ('$state') is unreadable (run through ctest, which starts pg_server)"
	E2E_PG_ADMIN=$(sed -n "s/^CIMINER_TEST_PG_URL=//p" "$state" | tr -d "'")
	[ -n "$E2E_PG_ADMIN" ] || e2e_fail "$state has no CIMINER_TEST_PG_URL line"
	PGOPTIONS="-c client_min_messages=warning" psql "$E2E_PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
	psql "$E2E_PG_ADMIN" -qAtc "CREATE DATABASE $1" >/dev/null || e2e_fail "cannot create database $1"
	E2E_PG_DBS+=("$1")
	DB=${E2E_PG_ADMIN/\/postgres\?//$1?}
}

# e2e_sql SQL: one value from the current database ($DB, else SQLite in $DATA).
e2e_sql() {
	if [ -n "${DB:-}" ]; then
		psql "$DB" -qAtc "$1"
	else
		sqlite3 -cmd ".timeout 5000" "$DATA/ciminer.db" "$1"
	fi
}

# e2e_scenario_file SOURCE_ID OUT: the scenario of the tests: every feature
# of the catalogue ("*": every family, post-build ones included) except the
# identifiers the demo leaves out, three formats (with <feature>_missing
# indicators, so that check_formats.py compares them too), stratified within
# repositories. history_prev_build_id is left out too: it is a warehouse id,
# numbered in the order concurrent validation jobs insert runs, so it would
# make the dataset differ from one run to the next (and between providers).
e2e_scenario_file() {
	cat >"$2" <<EOF
{"name": "e2e", "description": "end-to-end test scenario",
 "data_source_config": {"filter_by": "all", "source_ids": [$1]},
 "feature_config": {"dag_features": ["*"], "allow_post_build": true, "exclude": ["build_id", "build_ci_run_id", "build_trigger_sha",
   "build_job_ids", "git_built_commits", "git_prev_commit_sha", "history_prev_build_id"]},
 "splitting_config": {"strategy": "stratified_within_group", "group_by": "repo_name",
   "ratios": {"train": 0.7, "val": 0.15, "test": 0.15}, "temporal_ordering": true, "seed": 42},
 "preprocessing_config": {"missing_values_strategy": "fill", "fill_value": "median", "normalization_method": "z_score",
   "missing_indicators": true},
 "output_config": {"formats": ["parquet", "csv", "pickle"]}}
EOF
}

# e2e_import CSV ARGS...: imports and validates (--wait); sets SOURCE_ID.
e2e_import() {
	local csv=$1
	shift
	cim --json source import "$csv" "$@" --wait >"$E2E_WORK/import.json" 2>"$E2E_WORK/import.err" ||
		{ cat "$E2E_WORK/import.err" >&2; e2e_fail "source import $csv failed"; }
	SOURCE_ID=$(e2e_json id <"$E2E_WORK/import.json")
	e2e_note "imported and validated source $SOURCE_ID ($csv)"
}

# e2e_phases: creates the scenario of source $SOURCE_ID and runs Phases 1-3 with --wait; sets SCENARIO_ID.
e2e_phases() {
	e2e_scenario_file "$SOURCE_ID" "$E2E_WORK/scenario.json"
	SCENARIO_ID=$(cim scenario create "$E2E_WORK/scenario.json") || e2e_fail "scenario create failed"
	local phase
	for phase in ingest process generate; do
		cim scenario "$phase" "$SCENARIO_ID" --wait >"$E2E_WORK/$phase.out" 2>"$E2E_WORK/$phase.err" ||
			{ cat "$E2E_WORK/$phase.out" "$E2E_WORK/$phase.err" >&2; e2e_fail "scenario $phase $SCENARIO_ID failed"; }
		e2e_note "scenario $SCENARIO_ID: $phase done"
	done
}

# e2e_duckdb: prints the DuckDB node package folder (installed into the build
# tree by the dataset tests' setup script), or nothing when unavailable.
e2e_duckdb() {
	bash "$E2E_SRC/tests/dataset/duckdb-setup.sh" "$E2E_BUILD" 2>"$E2E_WORK/duckdb.err" || true
}

# e2e_check_pipeline ARCHIVE: the counts of source $SOURCE_ID and scenario
# $SCENARIO_ID against the archive itself, then every dataset file.
e2e_check_pipeline() {
	cim --json source show "$SOURCE_ID" >"$E2E_WORK/source.json"
	cim --json scenario show "$SCENARIO_ID" >"$E2E_WORK/scenario-state.json"
	cim --json scenario splits "$SCENARIO_ID" >"$E2E_WORK/splits.json"
	"$PY" "$E2E_DIR/check_counts.py" "$1" "$E2E_WORK/source.json" "$E2E_WORK/scenario-state.json" ||
		e2e_fail "counts differ from the archive's (above)"
	local duck
	duck=$(e2e_duckdb)
	[ -n "$duck" ] || e2e_note "SKIP Parquet read-back: $(tail -1 "$E2E_WORK/duckdb.err")"
	"$PY" "$E2E_DIR/check_dataset.py" "$DATA/datasets/$SCENARIO_ID" "$E2E_WORK/splits.json" "$E2E_DIR" $duck ||
		e2e_fail "dataset files of scenario $SCENARIO_ID do not match the manifest and split rows (above)"
	"$PY" "$E2E_DIR/check_formats.py" "$DATA/datasets/$SCENARIO_ID" "$E2E_DIR" $duck ||
		e2e_fail "the Parquet, CSV and pickle files of scenario $SCENARIO_ID differ (above)"
	# scenario generate reports what demo prints, as text and (--json) as one document.
	local w
	for w in "  train " "  dropped: " "  missing: " "baseline parrot" "files: "; do
		grep -q -- "$w" "$E2E_WORK/generate.out" || e2e_fail "scenario generate's report lacks '$w': $(cat "$E2E_WORK/generate.out")"
	done
	cim --json scenario generate "$SCENARIO_ID" --wait >"$E2E_WORK/generate.json" 2>"$E2E_WORK/generate-json.err" ||
		e2e_fail "scenario generate --json failed: $(cat "$E2E_WORK/generate-json.err")"
	"$PY" - "$E2E_WORK/generate.json" <<'PY' || e2e_fail "scenario generate --json is not the report (above)"
import json, os, sys
r = json.load(open(sys.argv[1]))
for k in ("status", "builds", "splits", "dropped", "missing_values", "excluded_builds", "baselines", "warnings", "files",
          "manifest", "scenario"):
    assert k in r, "no %s in %s" % (k, sorted(r))
mv = r["missing_values"]
assert mv["rows"] == sum(r["splits"][s]["rows"] for s in ("train", "val", "test")), mv
# Every row with an imputed value is counted, the warning says how many, and each flagged feature has its indicator.
if mv["rows_missing"]:
    assert any("%d of %d rows" % (mv["rows_missing"], mv["rows"]) in w for w in r["warnings"]), r["warnings"]
    assert set(mv["indicators"].values()) == set(mv["missing_by_feature"]), mv
missing_resource = r["builds"]["missing_resource"]
assert sum(x["count"] for x in r["excluded_builds"] if x["reason"] == "missing_resource") == missing_resource, r["excluded_builds"]
assert r["status"] == "completed", r["status"]
assert all(r["splits"][s]["rows"] >= 0 and "class_distribution" in r["splits"][s] for s in ("train", "val", "test"))
assert "rows_without_outcome" in r["dropped"] and "parrot" in r["baselines"]
assert r["files"] and all(os.path.isfile(f) for f in r["files"]), r["files"]
PY
}

# e2e_server ARGS...: starts the fixture server; sets SERVER_URL.
e2e_server() {
	local out=$E2E_WORK/server.$RANDOM
	# The file exists before the server starts: reading it first must not fail the script (set -e).
	: >"$out.out"
	"$PY" "$E2E_SRC/tests/fixture-server/ciserver.py" "$@" >"$out.out" 2>"$out.err" &
	E2E_PIDS+=($!)
	# Wait for its LISTEN line (printed once it accepts connections) while it
	# lives; the bound is for a hung server only (it was 300 polls, about 30 s,
	# which a Python start and world load can reach on a loaded machine).
	local deadline=$((SECONDS + 600))
	while [ "$SECONDS" -lt "$deadline" ]; do
		SERVER_URL=$(sed -n 's/^LISTEN //p' "$out.out")
		[ -n "$SERVER_URL" ] && return 0
		kill -0 "${E2E_PIDS[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	cat "$out.err" >&2
	e2e_fail "the fixture server did not start ($*)"
}

# e2e_local_test sqlite|pg: test 1 — the world through the local provider,
# every count checked against the archive and every file read back, then a
# second generation that must give byte-identical files.
e2e_local_test() {
	local world=$E2E_WORK/world
	e2e_world "$world"
	DATA=$E2E_WORK/data
	DB=""
	[ "$1" != pg ] || e2e_pg_db "e2e_local_$$"
	e2e_import "$world/builds.csv" --provider local --archive "$world"
	e2e_phases
	e2e_check_pipeline "$world"
	local first
	first=$(cd "$DATA/datasets/$SCENARIO_ID" && sha256sum -- * | sort -k2)
	cim scenario generate "$SCENARIO_ID" --wait >/dev/null 2>&1 || e2e_fail "second scenario generate failed"
	e2e_expect "dataset files after generating again" \
		"$(cd "$DATA/datasets/$SCENARIO_ID" && sha256sum -- * | sort -k2)" "$first"
	e2e_note "local provider on $1: counts, splits and every file checked; generation repeatable"
}
