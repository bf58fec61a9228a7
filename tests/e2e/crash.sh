# The crash test (sourced by test_crash.sh and test_crash_pg.sh after lib.sh).
#
# For each phase — validation, ingestion, processing, generation — the
# phase command with --wait (`ciminer source validate 1 --wait`, `ciminer
# scenario ingest 1 --wait`, ...) is killed with SIGKILL at a seeded random
# point while it runs the phase's jobs; the very same command is then run
# again, as a user would, and must attach to the open phase and finish it
# (the jobs the dead process held are released at once: their lease owner
# names this host and a pid that is gone), the later phases run normally, and
# the dataset must be byte-identical to an uninterrupted run's, with the same
# counters, split rows, feature vectors and no failed or dead job.
#
# Each trial starts from a snapshot of the database and data dir taken just
# before the phase in the uninterrupted run, so that every trial is
# independent and warehouse ids are the reference's.

CRASH_PHASES=(validation ingestion processing generation)
CRASH_TRIALS=${CRASH_TRIALS:-3}
CRASH_SEED=${CRASH_SEED:-20240607}
declare -A CRASH_REF_MS

crash_queue() { case $1 in validation) echo validation ;; ingestion) echo ingestion ;; *) echo processing ;; esac; }

# crash_start PHASE: queues the phase's jobs (one transaction; no job runs here).
crash_start() {
	case $1 in
	validation) cim source validate "$SOURCE_ID" ;;
	ingestion) cim scenario ingest "$SCENARIO_ID" ;;
	processing) cim scenario process "$SCENARIO_ID" ;;
	generation) cim scenario generate "$SCENARIO_ID" ;;
	esac >"$E2E_WORK/start.out" 2>&1 || { cat "$E2E_WORK/start.out" >&2; e2e_fail "starting $1 failed"; }
}

# crash_command PHASE: the phase command that is killed and then run again, without global options.
crash_command() {
	case $1 in
	validation) echo source validate "$SOURCE_ID" --wait ;;
	ingestion) echo scenario ingest "$SCENARIO_ID" --wait ;;
	processing) echo scenario process "$SCENARIO_ID" --wait ;;
	generation) echo scenario generate "$SCENARIO_ID" --wait ;;
	esac
}

# crash_command_bg PHASE: the phase command in the background, exec'ed so that $! is ciminer itself.
crash_command_bg() {
	local -a cmd
	read -ra cmd <<<"$(crash_command "$1")"
	if [ -n "$DB" ]; then
		(exec "$CIMINER_BIN" --quiet --data-dir "$DATA" --db "$DB" "${cmd[@]}") >>"$E2E_WORK/phase.out" 2>&1 &
	else
		(exec "$CIMINER_BIN" --quiet --data-dir "$DATA" "${cmd[@]}") >>"$E2E_WORK/phase.out" 2>&1 &
	fi
	CRASH_PID=$!
}

# crash_worker_bg PHASE: the worker, in the background, exec'ed so that $! is ciminer itself.
crash_worker_bg() {
	local q
	q=$(crash_queue "$1")
	if [ -n "$DB" ]; then
		(exec "$CIMINER_BIN" --data-dir "$DATA" --db "$DB" worker --once --lease "${CRASH_LEASE:-2}" --queues "$q") >>"$E2E_WORK/worker.out" 2>&1 &
	else
		(exec "$CIMINER_BIN" --data-dir "$DATA" worker --once --lease "${CRASH_LEASE:-2}" --queues "$q") >>"$E2E_WORK/worker.out" 2>&1 &
	fi
	CRASH_PID=$!
}

# crash_worker PHASE: the same worker command in the foreground; must succeed. It runs with a
# longer lease than the killed one: only the dead worker's lease must run out quickly, and a
# 2-second lease of a live worker can run out on a loaded machine before its heartbeat renews it.
crash_worker() {
	CRASH_LEASE=20 crash_worker_bg "$1"
	wait "$CRASH_PID" || { tail -20 "$E2E_WORK/worker.out" >&2; e2e_fail "worker for $1 exited with $?"; }
}

crash_snapshot() {
	rm -rf "$E2E_WORK/snap-$1"
	cp -a "$DATA" "$E2E_WORK/snap-$1"
	if [ -n "$DB" ]; then
		psql "$E2E_PG_ADMIN" -qAtc "CREATE DATABASE ${CRASH_DB}_$1 TEMPLATE $CRASH_DB" >/dev/null ||
			e2e_fail "cannot snapshot database $CRASH_DB"
		E2E_PG_DBS+=("${CRASH_DB}_$1")
	fi
}

crash_restore() {
	rm -rf "$DATA"
	cp -a "$E2E_WORK/snap-$1" "$DATA"
	if [ -n "$DB" ]; then
		psql "$E2E_PG_ADMIN" -qAtc "DROP DATABASE $CRASH_DB WITH (FORCE)" >/dev/null &&
			psql "$E2E_PG_ADMIN" -qAtc "CREATE DATABASE $CRASH_DB TEMPLATE ${CRASH_DB}_$1" >/dev/null ||
			e2e_fail "cannot restore database $CRASH_DB from ${CRASH_DB}_$1"
	fi
}

# crash_result OUT: everything that must not depend on a crash (crash_result.py), the
# dataset folder's files and the jobs that did not succeed.
crash_result() {
	local j=$E2E_WORK/result
	mkdir -p "$j"
	cim --json source show "$SOURCE_ID" >"$j/source.json"
	cim --json scenario show "$SCENARIO_ID" >"$j/scenario.json"
	cim --json scenario splits "$SCENARIO_ID" >"$j/splits.json"
	cim --json scenario builds "$SCENARIO_ID" --phase enrichment >"$j/enrichment.json"
	cim --json scenario builds "$SCENARIO_ID" --phase ingestion >"$j/ingestion.json"
	{
		echo "== dataset files"
		(cd "$DATA/datasets" && find . -type f | sort | xargs sha256sum)
		"$PY" "$E2E_DIR/crash_result.py" "$j/source.json" "$j/scenario.json" "$j/splits.json" \
			"$j/enrichment.json" "$j/ingestion.json"
		echo "== jobs not succeeded"
		e2e_sql "SELECT kind || ' ' || state || ' ' || COALESCE(last_error, '') FROM jobs WHERE state <> 'succeeded' ORDER BY id"
	} >"$1"
}

# crash_rest FROM: runs the phases after FROM (uninterrupted).
crash_rest() {
	local later=0 p
	for p in "${CRASH_PHASES[@]}"; do
		if [ "$later" = 1 ]; then
			crash_start "$p"
			crash_worker "$p"
		fi
		[ "$p" = "$1" ] && later=1
	done
	return 0
}

# crash_first_job: the id before which the next phase's jobs start.
crash_first_job() { e2e_sql "SELECT COALESCE(MAX(id), 0) FROM jobs"; }

crash_reference() {
	local p first
	for p in "${CRASH_PHASES[@]}"; do
		crash_snapshot "$p"
		first=$(crash_first_job)
		crash_start "$p"
		crash_worker "$p"
		# How long the phase's jobs ran, from the first claim to the last completion.
		CRASH_REF_MS[$p]=$(e2e_sql "SELECT (MAX(finished_at) - MIN(started_at)) / 1000 FROM jobs WHERE id > $first")
	done
	crash_result "$E2E_WORK/reference.txt"
	grep -q 'train.parquet' "$E2E_WORK/reference.txt" || e2e_fail "the uninterrupted run wrote no dataset"
	e2e_note "uninterrupted run: jobs ran (ms) validation ${CRASH_REF_MS[validation]}, ingestion ${CRASH_REF_MS[ingestion]}, processing ${CRASH_REF_MS[processing]}, generation ${CRASH_REF_MS[generation]}"
}

# crash_kill_midjob FIRST: kills the worker while one of its jobs (id > FIRST) is running. The
# worker is frozen (SIGSTOP) while the jobs table is read, so what is read is what the kill
# interrupts; when no job is running it is resumed and looked at again, until it exits. A kill
# aimed by time alone misses short jobs on a loaded machine, where reading the table takes
# longer than a job.
crash_kill_midjob() {
	while kill -0 "$CRASH_PID" 2>/dev/null; do
		kill -STOP "$CRASH_PID" 2>/dev/null || break
		if [ "$(e2e_sql "SELECT COUNT(*) FROM jobs WHERE id > $1 AND state = 'running'")" -gt 0 ]; then
			kill -KILL "$CRASH_PID" 2>/dev/null || true
			return 0
		fi
		kill -CONT "$CRASH_PID" 2>/dev/null || true
	done
}

# crash_trial PHASE PERCENT|mid: one kill, PERCENT of the phase's uninterrupted job time after
# the worker's first claim, or ("mid") while a job runs. Sets CRASH_MIDJOB=1 when the kill left a
# job running (its lease held by the dead worker).
crash_trial() {
	local phase=$1 pct=$2 delay=0 when="while a job ran" running open first i
	if [ "$pct" != mid ]; then
		delay=$(awk -v ms="${CRASH_REF_MS[$phase]}" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')
		when="${delay}s after the first claim"
	fi
	crash_restore "$phase"
	first=$(crash_first_job)
	crash_command_bg "$phase"
	for i in $(seq 1 1000); do
		[ "$(e2e_sql "SELECT COUNT(*) FROM jobs WHERE id > $first AND state NOT IN ('queued', 'waiting')")" -gt 0 ] && break
		kill -0 "$CRASH_PID" 2>/dev/null || break
		sleep 0.01
	done
	if [ "$pct" = mid ]; then
		crash_kill_midjob "$first"
	else
		sleep "$delay" # the seeded kill point: any moment of the phase, not a synchronisation
		kill -KILL "$CRASH_PID" 2>/dev/null || true
	fi
	wait "$CRASH_PID" 2>/dev/null || true
	running=$(e2e_sql "SELECT COUNT(*) FROM jobs WHERE state = 'running'")
	open=$(e2e_sql "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running', 'waiting')")
	CRASH_MIDJOB=0
	[ "$running" -gt 0 ] && CRASH_MIDJOB=1
	# The very command that was killed, run again: it attaches to the open phase and finishes it.
	# Only what this run prints is searched (phase.out collects every run, and generation's report is long).
	local printed
	printed=$(wc -l <"$E2E_WORK/phase.out" 2>/dev/null || echo 0)
	crash_command_bg "$phase"
	wait "$CRASH_PID" || { tail -20 "$E2E_WORK/phase.out" >&2; e2e_fail "'ciminer $(crash_command "$phase")' run again after the kill exited with $?"; }
	if [ "$open" -gt 0 ] && ! tail -n +"$((printed + 1))" "$E2E_WORK/phase.out" | grep -q "resuming it here"; then
		tail -n +"$((printed + 1))" "$E2E_WORK/phase.out" | head -20 >&2
		e2e_fail "$phase: the command run again did not say that it resumed the open phase"
	fi
	crash_rest "$phase"
	crash_result "$E2E_WORK/trial.txt"
	if ! cmp -s "$E2E_WORK/reference.txt" "$E2E_WORK/trial.txt"; then
		diff "$E2E_WORK/reference.txt" "$E2E_WORK/trial.txt" | head -40 >&2
		e2e_fail "$phase killed $when ($running jobs running, $open open): the result differs from the uninterrupted run (diff above)"
	fi
	e2e_note "$phase killed $when ($running jobs running, $open open): identical result after restart"
}

# crash_test sqlite|pg
crash_test() {
	local world=$E2E_WORK/world p t pct midjob
	e2e_world "$world"
	DATA=$E2E_WORK/data
	DB=""
	if [ "$1" = pg ]; then
		CRASH_DB=e2e_crash_$$
		e2e_pg_db "$CRASH_DB"
	fi
	cim source import "$world/builds.csv" --provider local --archive "$world" >/dev/null
	SOURCE_ID=1
	e2e_scenario_file "$SOURCE_ID" "$E2E_WORK/scenario.json"
	SCENARIO_ID=$(cim scenario create "$E2E_WORK/scenario.json")
	crash_reference
	RANDOM=$CRASH_SEED
	for p in "${CRASH_PHASES[@]}"; do
		midjob=0
		for t in $(seq 1 "$CRASH_TRIALS"); do
			pct=$((5 + RANDOM % 90))
			crash_trial "$p" "$pct"
			midjob=$((midjob + CRASH_MIDJOB))
		done
		# Every timed kill may have missed the jobs (between two jobs, or after the
		# last, which is likely when jobs are short): then kill while one runs.
		# A job shorter than one scheduling slice (generation takes ~30 ms since it became linear)
		# can start and end between two looks, so the freeze-and-look kill gets up to 5 attempts;
		# each attempt still checks that the restarted command gives the identical result.
		for t in 1 2 3 4 5; do
			[ "$midjob" -eq 0 ] || break
			crash_trial "$p" mid
			midjob=$((midjob + CRASH_MIDJOB))
		done
		[ "$midjob" -gt 0 ] || e2e_fail "no kill during $p landed while a job was running; the test proved nothing there"
	done
}
