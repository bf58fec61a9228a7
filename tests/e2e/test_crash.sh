#!/usr/bin/env bash
# Crash test on SQLite: each phase command (--wait) killed (SIGKILL) at seeded random
# points, restarted with the same command; the dataset must be byte-identical
# to an uninterrupted run's (see crash.sh).
source "$(dirname "$0")/lib.sh"
source "$E2E_DIR/crash.sh"
crash_test sqlite
