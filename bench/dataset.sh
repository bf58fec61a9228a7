#!/usr/bin/env bash
# Dataset layer benchmark (bench_dataset.c): Parquet writing against DuckDB's
# COPY ... TO (FORMAT parquet) on the same 1,000,000 x 100 frame, then
# preprocess + split + write in every format, with peak memory.
# usage: bench/dataset.sh BUILD_DIR   (ROWS=N to change the frame size)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/bench/bench_dataset"
[ -x "$bin" ] || cmake --build "$build" --target bench_dataset >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/ciminer-bench-dataset-XXXXXX")
trap 'rm -rf "$out"' EXIT
duck=()
if dir=$(bash "$src/tests/dataset/duckdb-setup.sh" "$build"); then
  duck=(--duckdb "$dir")
else
  echo "(DuckDB node package unavailable: reference column skipped)"
fi
"$bin" --out "$out" --rows "${ROWS:-1000000}" "${duck[@]}"
