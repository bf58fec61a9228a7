#!/usr/bin/env bash
# How well the log analysis generalises (issue 14), over the real third-party
# logs in ../shared/fixtures: the LogChunks failure chunks (is the chunk people
# labelled inside the one `ciminer logs parse --json` extracts, per language and
# category, beside the log's last 40 lines) and a cross-validation of the test
# counts by source repository. Figures in docs/logs.md. Run alone with
#   BENCH=logs_accuracy bench/run-all build
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
fixtures=${CIMINER_FIXTURES:-$here/../../shared/fixtures}
if [ ! -d "$fixtures/logs" ] && [ ! -d "$fixtures/logchunks" ]; then
  echo "logs_accuracy: skipped: the fixtures ($fixtures) are not on this machine"
  exit 0
fi
python3 "$here/lib/logs_accuracy.py" "$build/ciminer" "$fixtures" all
