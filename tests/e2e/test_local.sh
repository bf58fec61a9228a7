#!/usr/bin/env bash
# End to end on SQLite: the generated world through the local provider with
# the CLI (import + validation, scenario, ingestion, processing, generation),
# counts against the archive, every dataset file read back.
source "$(dirname "$0")/lib.sh"
e2e_local_test sqlite
