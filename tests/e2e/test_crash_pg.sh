#!/usr/bin/env bash
# test_crash.sh on PostgreSQL (a fresh database on the pg_server fixture;
# snapshots are template databases).
source "$(dirname "$0")/lib.sh"
CRASH_TRIALS=${CRASH_TRIALS:-2} # PostgreSQL trials are slower; two seeded kills per phase
source "$E2E_DIR/crash.sh"
crash_test pg
