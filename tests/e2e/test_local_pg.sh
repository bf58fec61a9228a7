#!/usr/bin/env bash
# test_local.sh on PostgreSQL (a fresh database on the pg_server fixture).
source "$(dirname "$0")/lib.sh"
e2e_local_test pg
