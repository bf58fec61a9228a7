#!/usr/bin/env bash
# Installs the DuckDB node package (@duckdb/node-api, falling back to the
# older `duckdb` package) into <build>/node-duckdb for the Parquet round-trip
# tests and the benchmark, once; concurrent callers wait on a lock.
# Prints the install folder on success. Exit 77 (skip) when npm or node is
# missing or the registry cannot be reached, with the reason on stderr.
set -uo pipefail
build=${1:?usage: duckdb-setup.sh BUILD_DIR}
dir="$build/node-duckdb"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "duckdb-setup: node/npm not installed; install nodejs and npm to run the Parquet reader checks" >&2
  exit 77
fi
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -f "$dir/node_modules/@duckdb/node-api/package.json" ] || [ -f "$dir/node_modules/duckdb/package.json" ]; then
  echo "$dir"; exit 0
fi
if npm install --silent --no-audit --no-fund --prefix "$dir" @duckdb/node-api >"$dir/npm.log" 2>&1; then
  echo "$dir"; exit 0
fi
if npm install --silent --no-audit --no-fund --prefix "$dir" duckdb >>"$dir/npm.log" 2>&1; then
  echo "$dir"; exit 0
fi
echo "duckdb-setup: npm install of @duckdb/node-api and duckdb failed (see $dir/npm.log)" >&2
exit 77
