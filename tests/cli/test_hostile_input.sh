#!/usr/bin/env bash
# Hostile input at the command line (issue 20, defects 2, 4, 8, 10): every
# value is checked at the door, with exit 2, one line on stderr naming the
# value, nothing on stdout and no scenario or job stored; nothing crashes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="$tmp/data"

"$bin" --data-dir "$d" init >/dev/null

# numeric options: checked before any narrowing to int (4294967298 is not 2)
refused "--concurrency past int" "--concurrency '4294967298'" "$bin" --data-dir "$d" worker --once --concurrency 4294967298
refused "--lease past int" "--lease '99999999999'" "$bin" --data-dir "$d" worker --once --lease 99999999999
refused "--limit past long" "--limit '99999999999999999999'" "$bin" --data-dir "$d" source builds 1 --limit 99999999999999999999
refused "--repos of demo past int" "--repos '4294967297'" "$bin" --data-dir "$d" demo --repos 4294967297
# ids past int64 are refused, not clamped to INT64_MAX
refused "id past int64" "'9223372036854775808' is not a scenario id" "$bin" --data-dir "$d" scenario show 9223372036854775808
refused "id past int64 (source)" "'99999999999999999999' is not a source id" "$bin" --data-dir "$d" source show 99999999999999999999
# unknown queue names
refused "unknown queue" "unknown queue 'ingest'" "$bin" --data-dir "$d" worker --once --queues validation,ingest

# scenario files
printf 'name: g\nsplitting_config: {strategy: time_series_split, gap_days: 200000000}\n' >"$tmp/gap.yaml"
refused "huge gap_days" "splitting_config.gap_days" "$bin" --data-dir "$d" scenario create "$tmp/gap.yaml"
printf '{"name": "f", "output_config": {"formats": []}}\n' >"$tmp/formats.json"
refused "empty formats" "output_config.formats" "$bin" --data-dir "$d" scenario create "$tmp/formats.json"
printf '{"name": "a", "name": "b"}\n' >"$tmp/dup.json"
refused "duplicate JSON key" "duplicate" "$bin" --data-dir "$d" scenario create "$tmp/dup.json"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('name: d\ndescription: ' + '['*50000 + ']'*50000 + '\n')" "$tmp/deep.yaml"
refused "50,000-deep YAML" "nested deeper than 64" "$bin" --data-dir "$d" scenario create "$tmp/deep.yaml"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('name: big\ndescription: \"' + 'x'*(17<<20) + '\"\n')" "$tmp/big.yaml"
refused "scenario file over 16 MiB" "big.yaml" "$bin" --data-dir "$d" scenario create "$tmp/big.yaml"
mkdir -p "$tmp/adir.yaml"
refused "directory as scenario file" "is a directory" "$bin" --data-dir "$d" scenario create "$tmp/adir.yaml"

# none of the refusals stored anything
"$bin" --data-dir "$d" --json scenario list >"$tmp/list.json"
/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r == [], r" "$tmp/list.json" ||
	fail "a refused scenario file left a scenario"
echo ok
