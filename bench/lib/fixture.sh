# Sourced by the benchmark scripts that talk to the loopback fixture server
# (tests/fixture-server/ciserver.py). Needs $tmp (a scratch folder).
#   fixture_start ARGS...   starts the server with ARGS; sets $url and $pid
#   fixture_stop            stops it
fixture_server=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/fixture-server" && pwd)/ciserver.py
fixture_start() {
	/usr/bin/python3 "$fixture_server" "$@" >"$tmp/server.out" 2>"$tmp/server.err" &
	pid=$!
	for _ in $(seq 1 600); do
		if grep -q '^LISTEN ' "$tmp/server.out" 2>/dev/null; then break; fi
		if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/server.err" >&2; exit 1; fi
		sleep 0.1
	done
	url=$(sed -n 's/^LISTEN //p' "$tmp/server.out")
}
fixture_stop() {
	if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	pid=
}
