#!/usr/bin/env bash
# The same world twice: through the local provider, and served by the
# loopback fixture server as the GitHub REST API (github_actions provider,
# job logs behind the API's 302 to storage, repositories cloned from the
# world's bare repositories through CIMINER_GIT_URL=file://...; the jobs of
# validated runs through GraphQL, as with a real token). Both runs
# must end with the counts the archive implies, and every build must get the
# same feature vector (compare_vectors.py says which differences are allowed).
source "$(dirname "$0")/lib.sh"
world=$E2E_WORK/world
e2e_world "$world"

# 1. local provider
DATA=$E2E_WORK/local DB=""
e2e_import "$world/builds.csv" --provider local --archive "$world"
e2e_phases
local_scenario=$SCENARIO_ID
cim --json scenario builds "$SCENARIO_ID" --phase enrichment >"$E2E_WORK/local.json"

# 2. the GitHub API over loopback; the archive's repositories are its git remotes
e2e_server --world "$world"
export CIMINER_GITHUB_API_URL=$SERVER_URL CIMINER_GIT_URL=file://$world/repos CIMINER_HTTP_BACKOFF_MS=10
unset GITHUB_TOKEN
export CIMINER_GITHUB_TOKENS=e2e-token
sed 's/,local$/,github_actions/' "$world/builds.csv" >"$E2E_WORK/github.csv"
grep -q ',local$' "$E2E_WORK/github.csv" && e2e_fail "the CSV still names the local provider"
DATA=$E2E_WORK/github DB=""
e2e_import "$E2E_WORK/github.csv"
e2e_expect "provider of the imported source" "$(cim --json source show "$SOURCE_ID" | e2e_json ci_provider)" github_actions
e2e_phases
e2e_check_pipeline "$world"
cim --json scenario builds "$SCENARIO_ID" --phase enrichment >"$E2E_WORK/github.json"

# The GitHub run really went through the API: logs behind the 302, clones from file://.
curl -sf "$SERVER_URL/_fixture/stats" >"$E2E_WORK/stats.json"
logs=$(e2e_json 'by_endpoint.GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs' <"$E2E_WORK/stats.json")
storage=$(e2e_json 'by_endpoint.GET /_storage/logs/{job_id}' <"$E2E_WORK/stats.json")
jobs=$(e2e_sql "SELECT COUNT(*) FROM raw_build_jobs j JOIN training_ingestion_builds b ON b.raw_run_id = j.raw_run_id WHERE b.scenario_id = $SCENARIO_ID")
e2e_expect "log requests (one per job of the selected builds)" "$logs" "$jobs"
# Validation stored every found run with its jobs, in bulk: GraphQL, never the per-run REST listing.
e2e_expect "found runs stored without jobs" "$(e2e_sql "SELECT COUNT(*) FROM raw_build_runs WHERE jobs_count = 0")" 0
endpoint() { "$PY" -c 'import json, sys; print(json.load(sys.stdin)["by_endpoint"].get(sys.argv[1], 0))' "$1" <"$E2E_WORK/stats.json"; }
e2e_expect "per-run REST job listings" "$(endpoint 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs')" 0
[ "$(endpoint 'POST /graphql')" -ge 1 ] || e2e_fail "no GraphQL request listed the jobs"
e2e_expect "storage downloads after the API's 302" "$storage" "$jobs"
e2e_expect "302 answers" "$(e2e_json by_status.302 <"$E2E_WORK/stats.json")" "$jobs"
e2e_expect "warehouse providers" "$(e2e_sql "SELECT DISTINCT ci_provider FROM raw_repositories")" github_actions
mirrors=0
for m in $(cd "$DATA/repos" && ls -d */*.git); do
	url=$(git --git-dir "$DATA/repos/$m" config --get remote.origin.url 2>/dev/null || true)
	e2e_expect "clone URL of mirror $m" "$url" "file://$world/repos/$m"
	mirrors=$((mirrors + 1))
done
e2e_expect "mirrors" "$mirrors" "$(cd "$world/repos" && ls -d */*.git | wc -l)"

"$PY" "$E2E_DIR/compare_vectors.py" "$E2E_WORK/local.json" "$E2E_WORK/github.json" ||
	e2e_fail "the GitHub provider's feature vectors differ from the local provider's (above)"
e2e_note "local scenario $local_scenario and GitHub scenario $SCENARIO_ID: identical feature vectors"
