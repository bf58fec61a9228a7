#!/usr/bin/python3
"""Loopback fixture server for ciminer's CI providers (tests and benchmarks).

Speaks, over plain HTTP/1.1 with keep-alive:
  GitHub GraphQL POST /graphql (or /api/graphql): nodes(ids:) of check suites
                 with their checkRuns (the jobs of many runs; needs a token)
  GitHub REST    /repos/{o}/{r}, .../actions/runs (per_page, page, created=,
                 branch, event, status, head_sha, actor; Link pagination; at
                 most 1,000 results for a filtered list, like GitHub),
                 .../actions/runs/{id}, .../actions/runs/{id}/jobs,
                 .../actions/jobs/{id}, .../actions/jobs/{id}/logs (302 to
                 /_storage/logs/{id} on the storage host, which refuses
                 credentials, like GitHub's log storage)
  CircleCI v2    /circleci/api/v2/project/{vcs}/{o}/{r}, /pipeline/{id},
                 /pipeline/{id}/workflow, /workflow/{id}/job, and v1.1
                 /circleci/api/v1.1/project/{vcs}/{o}/{r}/{job number}
                 (steps with output_url to /_storage/circle/{n})
  Travis v3      /travis/repo/{slug}, /travis/build/{id}, /travis/build/{id}/jobs,
                 /travis/job/{id}/log.txt
  GitHub pulls   .../pulls/{n}, .../pulls/{n}/comments, .../issues/{n}/comments,
                 .../commits/{sha}/pulls,
                 .../pulls/{n}/commits, .../comments (prs.py)
Behaviours for the HTTP client policy: per-token primary rate limits with
X-RateLimit-* headers and a window reset, ETag/If-None-Match 304s (not
charged), and scripted faults (5xx bursts, secondary-limit 403 with
Retry-After, dropped connections, 404/410 logs, oversized logs).

Control (not counted):  GET /_fixture/stats, POST /_fixture/reset,
                        POST /_fixture/config (JSON merged into the config),
                        GET /_fixture/world[?repo=o/r] (repositories; a repository's run ids,
                        pipeline ids and job ids),
                        GET /_fixture/requests (paths answered, POSTs as {"path", "body"}; when config "record" is on)

Usage:
  ciserver.py [--port 0] [--world DIR] [--generate repos=20,runs=10000,seed=1]
              [--recorded DIR] [--bugswarm DIR] [--logs-from DIR] [--config JSON|@FILE]
  ciserver.py --write-archive DIR --generate ...      (writes a local archive, exits)
Prints "LISTEN http://127.0.0.1:PORT" on stdout once it accepts connections.
The config keys are documented in docs/ci.md ("Fixture server").
"""
import argparse
import hashlib
import json
import math
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import world as W  # noqa: E402
import prs  # noqa: E402

DEFAULT_CONFIG = {
    "default_limit": 5000,   # primary limit per token (and for anonymous requests)
    "tokens": {},            # token -> {"limit": N}
    "reset_in": 3600,        # seconds of a rate-limit window
    "require_auth": False,   # 401 without credentials
    "faults": [],            # scripted answers, see apply_fault()
    "gone_logs": [],         # job ids whose log answers 410
    "missing_logs": [],      # job ids whose log answers 404
    "big_logs": {},          # job id -> size of a synthetic log
    "latency_ms": 0,         # added to every answer
    "storage_host": None,    # host of log storage URLs (default: "localhost" when serving on 127.0.0.1)
    "record": False,         # keep the path of every answered request (GET /_fixture/requests)
    "renamed": {},           # "old/name" -> "new/name": 301 from every /repos/old/name path, like GitHub
}


class State:
    def __init__(self, world, config, recorded):
        self.world = world
        self.config = config
        self.recorded = recorded
        self.lock = threading.Lock()
        self.reset_stats()
        self.reset_at = math.ceil(time.time() + config["reset_in"])
        self.used = {}
        # Serialised once up front, so that a benchmark measures serving, not a cold cache.
        self.run_bytes = {rid: json.dumps(r, separators=(",", ":")).encode() for rid, r in world.runs.items()}
        self.created = {rid: W.parse_time(r.get("created_at")) or 0 for rid, r in world.runs.items()}

    def reset_stats(self):
        self.recorded_paths = []
        self.stats = {"requests": 0, "by_endpoint": {}, "by_status": {}, "by_token": {},
                      "served_usec": 0, "bytes": 0, "not_modified": 0, "rate_limited": 0, "faults": 0,
                      "max_concurrent": 0}
        self.active = 0

    def run_json(self, rid):
        b = self.run_bytes.get(rid)
        if b is None:
            b = json.dumps(self.world.runs[rid], separators=(",", ":")).encode()
            self.run_bytes[rid] = b
        return b


def token_of(headers):
    auth = headers.get("Authorization") or ""
    for prefix in ("Bearer ", "token ", "Token "):
        if auth.startswith(prefix):
            return auth[len(prefix):].strip()
    return headers.get("Circle-Token") or ""


def created_range(q):
    """GitHub's created= qualifier -> (lo, hi) seconds, inclusive."""
    def bounds(s):
        t = W.parse_time(s)
        if t is None:
            raise ValueError(s)
        return (t, t + 86399) if len(s) == 10 else (t, t)
    q = q.strip()
    if ".." in q:
        a, b = q.split("..", 1)
        lo = -1e18 if a in ("", "*") else bounds(a)[0]
        hi = 1e18 if b in ("", "*") else bounds(b)[1]
        return lo, hi
    for op in (">=", "<=", ">", "<"):
        if q.startswith(op):
            lo, hi = bounds(q[len(op):])
            return {">=": (lo, 1e18), ">": (hi + 1, 1e18), "<=": (-1e18, hi), "<": (-1e18, lo - 1)}[op]
    return bounds(q)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in one write, without Nagle: otherwise every answer
    # waits ~40 ms for the client's delayed ACK and the server looks 100x slower.
    disable_nagle_algorithm = True
    server_version = "ciminer-fixture/1"
    state = None  # set by main()

    def log_message(self, *args):
        pass

    # ---- plumbing ----

    def base(self):
        return "http://%s" % (self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1])

    def storage_base(self):
        host = self.state.config.get("storage_host")
        if not host:
            bound = self.server.server_address[0]
            host = "localhost" if bound == "127.0.0.1" else bound
        return "http://%s:%d" % (host, self.server.server_address[1])

    def send(self, status, body=b"", ctype="application/json; charset=utf-8", headers=None, etag=False):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":")).encode()
        elif isinstance(body, str):
            body = body.encode()
        hdrs = dict(headers or {})
        if etag and status == 200:
            tag = 'W/"%s"' % hashlib.sha1(body).hexdigest()
            hdrs["ETag"] = tag
            inm = self.headers.get("If-None-Match")
            if inm and inm == tag:
                status, body = 304, b""
        self.status = status
        self.count(status, len(body))
        self.send_response(status)
        if status != 304:
            hdrs.setdefault("Content-Type", ctype)
        for k, v in hdrs.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(body)))
        self._headers_buffer.append(b"\r\n")
        if body and len(body) < (1 << 20):
            self._headers_buffer.append(body)
            body = b""
        self.flush_headers()
        if body:
            self.wfile.write(body)
        self.leave()

    def leave(self):
        """The answer is out: this request no longer counts as in progress."""
        if getattr(self, "in_progress", False):
            self.in_progress = False
            with self.state.lock:
                self.state.active -= 1

    def count(self, status, nbytes):
        """Counts an answer before it is written, so a client that has it sees it counted."""
        st = self.state
        if getattr(self, "control", False):
            return
        with st.lock:
            s = st.stats
            s["requests"] += 1
            s["by_endpoint"][self.endpoint] = s["by_endpoint"].get(self.endpoint, 0) + 1
            s["by_status"][str(status)] = s["by_status"].get(str(status), 0) + 1
            tok = token_of(self.headers) or "(anonymous)"
            s["by_token"][tok] = s["by_token"].get(tok, 0) + 1
            s["bytes"] += nbytes
            if st.config.get("record"):
                st.recorded_paths.append(self.path if self.command != "POST" else
                                         {"path": self.path, "body": getattr(self, "post_body", b"").decode()})
            if status == 304:
                s["not_modified"] += 1

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else b""
        st = self.state
        self.control = self.path.startswith("/_fixture/")
        if urlsplit(self.path).path in ("/graphql", "/api/graphql"):
            self.post_body = data
            return self.served(lambda: self.gh_graphql(data))
        if self.path == "/_fixture/reset":
            with st.lock:
                st.reset_stats()
            return self.send(200, {"ok": True})
        if self.path == "/_fixture/config":
            with st.lock:
                st.config.update(json.loads(data or b"{}"))
                if "reset_in" in json.loads(data or b"{}"):
                    st.reset_at = math.ceil(time.time() + st.config["reset_in"])
                    st.used = {}
            return self.send(200, {"ok": True})
        return self.send(404, {"message": "Not Found"})

    def do_GET(self):
        st = self.state
        self.control = False
        if self.path.startswith("/_fixture/stats"):
            with st.lock:
                body = json.dumps(st.stats).encode()
            self.control = True
            return self.send(200, body)
        if self.path.startswith("/_fixture/requests"):
            with st.lock:
                body = json.dumps(st.recorded_paths).encode()
            self.control = True
            return self.send(200, body)
        if self.path.startswith("/_fixture/world"):
            self.control = True
            return self.send(200, self.world_index())
        self.served(self.dispatch)

    def served(self, handler):
        """Runs a counted API request: concurrency, latency, handler time."""
        st = self.state
        t0 = time.perf_counter()
        with st.lock:
            st.active += 1
            st.stats["max_concurrent"] = max(st.stats["max_concurrent"], st.active)
        self.in_progress = True
        self.status, self.endpoint = 0, "%s (unknown)" % self.command
        try:
            if st.config.get("latency_ms"):
                time.sleep(st.config["latency_ms"] / 1000.0)
            handler()
        finally:
            self.leave()
            with st.lock:
                st.stats["served_usec"] += int((time.perf_counter() - t0) * 1e6)

    def world_index(self):
        """/_fixture/world?repo=o/r: each run's id, CircleCI pipeline id and job ids, newest first."""
        q = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        w = self.state.world
        if "repo" not in q:
            return {"repos": sorted(r["full_name"] for r in w.repos.values())}
        ids = w.repo_runs.get(q.get("repo", "").lower(), [])
        return {"runs": [{"id": i, "pipeline": W.uuid_of("pipeline", i), "conclusion": w.runs[i].get("conclusion"),
                          "status": w.runs[i].get("status"),
                          "jobs": [j["id"] for j in w.run_jobs.get(i, [])]} for i in ids]}

    # ---- policy: faults, auth, rate limits ----

    def apply_fault(self, path):
        """A scripted answer: {"path": regex, "status": 502, "times": 1, "skip": 0,
        "retry_after": s, "headers": {}, "body": {...}, "drop": false}."""
        st = self.state
        with st.lock:
            for f in st.config.get("faults", []):
                if f.get("times", 1) == 0 or not re.search(f["path"], path):
                    continue
                if f.get("skip", 0) > 0:
                    f["skip"] -= 1
                    continue
                if f.get("times", 1) > 0:
                    f["times"] = f.get("times", 1) - 1
                st.stats["faults"] += 1
                fault = dict(f)
                break
            else:
                return False
        if fault.get("drop"):
            self.status = 0
            self.count(0, 0)
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        hdrs = dict(fault.get("headers", {}))
        if "retry_after" in fault:
            hdrs["Retry-After"] = fault["retry_after"]
        self.send(fault.get("status", 500), fault.get("body", {"message": "fixture fault"}), headers=hdrs)
        return True

    def rate_headers(self, charge, resource="core"):
        """Charges one request (one point) to the caller's token in a budget; returns (headers, exhausted).
        GitHub keeps separate budgets per resource (core, graphql, search), named in X-RateLimit-Resource."""
        st = self.state
        tok = token_of(self.headers)
        key = tok if resource == "core" else "%s\0%s" % (tok, resource)
        with st.lock:
            now = time.time()
            if now >= st.reset_at:
                st.reset_at = math.ceil(now + st.config["reset_in"])
                st.used = {}
            limit = st.config["tokens"].get(tok, {}).get("limit", st.config["default_limit"])
            if resource != "core":
                limit = st.config.get("%s_limit" % resource, limit)
            used = st.used.get(key, 0)
            exhausted = used >= limit
            if charge and not exhausted:
                used += 1
                st.used[key] = used
            if exhausted:
                st.stats["rate_limited"] += 1
        return {"X-RateLimit-Limit": limit, "X-RateLimit-Remaining": max(0, limit - used),
                "X-RateLimit-Reset": st.reset_at, "X-RateLimit-Used": used,
                "X-RateLimit-Resource": resource}, exhausted

    # ---- routing ----

    ROUTES = [
        (r"^/repos/([^/]+)/([^/]+)$", "gh_repo", "GET /repos/{owner}/{repo}"),
        (r"^/repos/([^/]+)/([^/]+)/actions/runs$", "gh_runs", "GET /repos/{owner}/{repo}/actions/runs"),
        (r"^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)$", "gh_run", "GET /repos/{owner}/{repo}/actions/runs/{run_id}"),
        (r"^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)/jobs$", "gh_run_jobs",
         "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"),
        (r"^/repos/([^/]+)/([^/]+)/actions/jobs/(\d+)$", "gh_job", "GET /repos/{owner}/{repo}/actions/jobs/{job_id}"),
        (r"^/repos/([^/]+)/([^/]+)/actions/jobs/(\d+)/logs$", "gh_job_logs",
         "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"),
        (r"^/_storage/logs/(\d+)$", "storage_log", "GET /_storage/logs/{job_id}"),
        (r"^/circleci/api/v2/project/([^/]+)/([^/]+)/([^/]+)$", "cc_project", "GET circleci /project/{slug}"),
        (r"^/circleci/api/v2/pipeline/([0-9a-f-]+)$", "cc_pipeline", "GET circleci /pipeline/{id}"),
        (r"^/circleci/api/v2/pipeline/([0-9a-f-]+)/workflow$", "cc_workflows", "GET circleci /pipeline/{id}/workflow"),
        (r"^/circleci/api/v2/workflow/([0-9a-f-]+)/job$", "cc_jobs", "GET circleci /workflow/{id}/job"),
        (r"^/circleci/api/v1\.1/project/([^/]+)/([^/]+)/([^/]+)/(\d+)$", "cc_v1_job",
         "GET circleci v1.1 /project/{slug}/{job}"),
        (r"^/_storage/circle/(\d+)$", "storage_circle", "GET /_storage/circle/{job}"),
        (r"^/travis/repo/([^/]+)$", "tr_repo", "GET travis /repo/{slug}"),
        (r"^/travis/build/(\d+)$", "tr_build", "GET travis /build/{id}"),
        (r"^/travis/build/(\d+)/jobs$", "tr_jobs", "GET travis /build/{id}/jobs"),
        (r"^/travis/job/(\d+)/log\.txt$", "tr_log", "GET travis /job/{id}/log.txt"),
    ]
    COMPILED = [(re.compile(p), h, label) for p, h, label in ROUTES]

    def dispatch(self):
        parts = urlsplit(self.path)
        path, self.query = parts.path, parse_qs(parts.query)
        self.q = {k: v[-1] for k, v in self.query.items()}
        for rx, name, label in self.COMPILED:
            m = rx.match(path)
            if m:
                self.endpoint = label
                break
        else:
            m, name = None, None
        if self.apply_fault(self.path):
            return
        st = self.state
        github = name is not None and name.startswith("gh_")
        if st.config.get("require_auth") and not (name or "").startswith("storage") and not token_of(self.headers):
            return self.send(401, {"message": "Requires authentication"})
        self.rl = {}
        if github or name is None:
            # 304s are free on GitHub: charge after knowing (approximated by If-None-Match presence
            # being re-checked in send(); a conditional request that misses is charged below).
            self.rl, exhausted = self.rate_headers(charge=not self.headers.get("If-None-Match"))
            if exhausted:
                return self.send(403, {"message": "API rate limit exceeded for token. (But here's the good news: "
                                       "Authenticated requests get a higher rate limit.)",
                                       "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-"
                                       "rest-api#rate-limiting"}, headers=self.rl)
        moved = self.renamed(path, parts.query)
        if moved:
            return self.send(301, {"message": "Moved Permanently", "url": moved}, headers=dict(self.rl, Location=moved))
        rec = self.recorded_answer(path)
        if rec is not None:
            return rec
        if name is None:
            return self.send(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
                             headers=self.rl)
        groups = [unquote(g) for g in m.groups()]
        return getattr(self, name)(*groups)

    def renamed(self, path, query):
        """GitHub answers a renamed repository's old name with a 301 to the new one (config "renamed")."""
        m = re.match(r"^/repos/([^/]+/[^/]+)(/.*)?$", path)
        new = m and {k.lower(): v for k, v in self.state.config.get("renamed", {}).items()}.get(m.group(1).lower())
        if not new:
            return None
        return "%s/repos/%s%s%s" % (self.base(), new, m.group(2) or "", "?" + query if query else "")

    def charge_miss(self):
        """A conditional request that did not match was not charged up front."""
        if self.headers.get("If-None-Match") and self.status == 200:
            self.rate_headers(charge=True)

    def json_ok(self, body):
        self.send(200, body, headers=self.rl, etag=True)
        self.charge_miss()

    def not_found(self):
        self.send(404, {"message": "Not Found",
                        "documentation_url": "https://docs.github.com/rest"}, headers=self.rl)

    # ---- recorded answers (../shared/fixtures/github_api/pygithub) ----

    def recorded_answer(self, path):
        entries = self.state.recorded.get(path)
        if not entries:
            return None
        for q, resp in entries:
            extra = set(self.q) - set(q)
            if all(self.q.get(k) == v for k, v in q.items()) and extra <= {"per_page"}:
                break
        else:
            return None
        hdrs = dict(self.rl)
        for k, v in resp["headers"].items():
            if k.lower() == "link":
                hdrs[k] = v.replace("https://api.github.com", self.base())
        status = resp["status"]
        if status == 302:
            jid = path.rstrip("/").split("/")[-2]
            hdrs["Location"] = "%s/_storage/logs/%s?sig=recorded" % (self.storage_base(), jid)
            self.send(302, b"", ctype="text/html;charset=utf-8", headers=hdrs)
            return True
        if status == 200:
            body = json.dumps(resp["body"], separators=(",", ":")).encode()
            self.send(200, body, headers=hdrs, etag=True)
            self.charge_miss()
            return True
        self.send(status, resp["body"] if resp["body"] is not None else b"", headers=hdrs)
        return True

    # ---- GitHub GraphQL (the jobs of many runs: check runs of check suites) ----

    GQL_FIRST = re.compile(r"checkRuns\(\s*first\s*:\s*(\d+)")

    def gh_graphql(self, data):
        """POST /graphql with {"query", "variables": {"ids": [check suite node ids]}}: answers
        nodes(ids:) { ... on CheckSuite { checkRuns(first: N) { totalCount pageInfo nodes {...} } } }
        as GitHub does; anonymous callers get 401, as on GitHub."""
        self.endpoint = "POST /graphql"
        if self.apply_fault(self.path):
            return
        if not token_of(self.headers):
            return self.send(401, {"message": "This endpoint requires you to be authenticated.",
                                   "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
                                   "#authenticating-with-graphql"})
        self.rl, exhausted = self.rate_headers(charge=True, resource="graphql")
        if exhausted:
            return self.send(403, {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]},
                             headers=self.rl)
        try:
            req = json.loads(data or b"{}")
            query, ids = req["query"], req.get("variables", {}).get("ids")
        except (ValueError, KeyError, AttributeError):
            return self.send(400, {"message": "Problems parsing JSON"}, headers=self.rl)
        m = self.GQL_FIRST.search(query)
        if "CheckSuite" not in query or not m or not isinstance(ids, list):
            return self.send(200, {"errors": [{"message": "the fixture server answers only the check-suite query"}]},
                             headers=self.rl)
        if len(ids) > 100:
            return self.send(200, {"errors": [{"type": "EXCESSIVE_PAGINATION",
                                               "message": "nodes(ids:) takes at most 100 ids"}]}, headers=self.rl)
        first = min(100, int(m.group(1)))
        w = self.state.world
        nodes, errors = [], []
        for k, nid in enumerate(ids):
            rid = w.suites.get(nid)
            if rid is None:
                nodes.append(None)
                errors.append({"type": "NOT_FOUND", "path": ["nodes", k],
                               "message": "Could not resolve to a node with the global id of '%s'" % nid})
                continue
            jobs = w.run_jobs.get(rid, [])
            up = (lambda v: v.upper() if isinstance(v, str) else None)
            nodes.append({"id": nid, "checkRuns": {
                "totalCount": len(jobs), "pageInfo": {"hasNextPage": len(jobs) > first},
                "nodes": [{"databaseId": j["id"], "name": j.get("name"), "status": up(j.get("status")),
                           "conclusion": up(j.get("conclusion")), "startedAt": j.get("started_at"),
                           "completedAt": j.get("completed_at")} for j in jobs[:first]]}})
        body = {"data": {"nodes": nodes}}
        if errors:
            body["errors"] = errors
        self.send(200, body, headers=self.rl)

    # ---- GitHub ----

    def repo_of(self, o, r):
        return self.state.world.repos.get(("%s/%s" % (o, r)).lower())

    def gh_repo(self, o, r):
        repo = self.repo_of(o, r)
        return self.json_ok(repo) if repo else self.not_found()

    def link(self, page, last, extra=None):
        parts = []
        q = dict(self.q)
        q.update(extra or {})
        path = urlsplit(self.path).path

        def url(p):
            q["page"] = str(p)
            return "%s%s?%s" % (self.base(), path, urlencode(q, safe=":*.<>="))
        if page < last:
            parts.append('<%s>; rel="next"' % url(page + 1))
            parts.append('<%s>; rel="last"' % url(last))
        if page > 1:
            parts.append('<%s>; rel="first"' % url(1))
            parts.append('<%s>; rel="prev"' % url(page - 1))
        return ", ".join(parts)

    def paging(self, n_items, cap=None):
        try:
            per_page = max(1, min(100, int(self.q.get("per_page", 30))))
            page = max(1, int(self.q.get("page", 1)))
        except ValueError:
            return None
        avail = n_items if cap is None else min(n_items, cap)
        last = max(1, (avail + per_page - 1) // per_page)
        return per_page, page, last, (page - 1) * per_page, min(page * per_page, avail)

    def gh_runs(self, o, r):
        st = self.state
        if not self.repo_of(o, r):
            return self.not_found()
        ids = st.world.repo_runs.get(("%s/%s" % (o, r)).lower(), [])
        filtered = False
        if "created" in self.q:
            try:
                lo, hi = created_range(self.q["created"])
            except ValueError:
                return self.send(422, {"message": "Validation Failed: created"}, headers=self.rl)
            ids = [i for i in ids if lo <= st.created[i] <= hi]
            filtered = True
        for key, field in (("branch", "head_branch"), ("event", "event"), ("head_sha", "head_sha")):
            if key in self.q:
                ids = [i for i in ids if st.world.runs[i].get(field) == self.q[key]]
                filtered = True
        if "status" in self.q:
            v = self.q["status"]
            ids = [i for i in ids if v in (st.world.runs[i].get("status"), st.world.runs[i].get("conclusion"))]
            filtered = True
        if "actor" in self.q:
            ids = [i for i in ids if (st.world.runs[i].get("actor") or {}).get("login") == self.q["actor"]]
            filtered = True
        pg = self.paging(len(ids), 1000 if filtered else None)
        if pg is None:
            return self.send(422, {"message": "Validation Failed: page"}, headers=self.rl)
        per_page, page, last, a, b = pg
        body = b'{"total_count":%d,"workflow_runs":[%s]}' % (
            len(ids), b",".join(st.run_json(i) for i in ids[a:b]))
        hdrs = dict(self.rl)
        lk = self.link(page, last)
        if lk:
            hdrs["Link"] = lk
        self.send(200, body, headers=hdrs, etag=True)
        self.charge_miss()

    def run_in_repo(self, o, r, rid):
        run = self.state.world.runs.get(int(rid))
        if run and run.get("repository", {}).get("full_name", "").lower() == ("%s/%s" % (o, r)).lower():
            return run
        return None

    def gh_run(self, o, r, rid):
        run = self.run_in_repo(o, r, rid)
        if not run:
            return self.not_found()
        self.send(200, self.state.run_json(int(rid)), headers=self.rl, etag=True)
        self.charge_miss()

    def gh_run_jobs(self, o, r, rid):
        if not self.run_in_repo(o, r, rid):
            return self.not_found()
        jobs = self.state.world.run_jobs.get(int(rid), [])
        per_page, page, last, a, b = self.paging(len(jobs))
        hdrs = dict(self.rl)
        lk = self.link(page, last)
        if lk:
            hdrs["Link"] = lk
        self.send(200, {"total_count": len(jobs), "jobs": jobs[a:b]}, headers=hdrs, etag=True)
        self.charge_miss()

    def job_in_repo(self, o, r, jid):
        job = self.state.world.jobs.get(int(jid))
        if job and self.run_in_repo(o, r, job.get("run_id", 0)):
            return job
        return None

    def gh_job(self, o, r, jid):
        job = self.job_in_repo(o, r, jid)
        return self.json_ok(job) if job else self.not_found()

    def log_gate(self, jid):
        """404/410 for configured logs; None when the log is available."""
        cfg = self.state.config
        if str(jid) in map(str, cfg.get("gone_logs", [])):
            return 410
        if str(jid) in map(str, cfg.get("missing_logs", [])):
            return 404
        return None

    def gh_job_logs(self, o, r, jid):
        if not self.job_in_repo(o, r, jid):
            return self.not_found()
        gate = self.log_gate(jid)
        if gate == 410:
            return self.send(410, {"message": "Logs are no longer available"}, headers=self.rl)
        if gate == 404:
            return self.not_found()
        hdrs = dict(self.rl)
        hdrs["Location"] = "%s/_storage/logs/%s?sig=%s&expires=%d" % (
            self.storage_base(), jid, hashlib.sha1(str(jid).encode()).hexdigest()[:16], int(time.time()) + 60)
        self.send(302, b"", ctype="text/html;charset=utf-8", headers=hdrs)

    def log_data(self, jid):
        size = self.state.config.get("big_logs", {}).get(str(jid))
        return self.state.world.log_bytes(int(jid), size)

    def storage_log(self, jid):
        if self.headers.get("Authorization"):
            # Log storage is signed by its URL and refuses credentials, as GitHub's does.
            return self.send(403, "<Error><Code>AuthenticationFailed</Code></Error>", ctype="application/xml")
        data = self.log_data(jid)
        if data is None:
            return self.send(404, "<Error><Code>BlobNotFound</Code></Error>", ctype="application/xml")
        self.send(200, data, ctype="text/plain; charset=utf-8")

    # ---- CircleCI v2 (and v1.1 for logs) ----

    def cc_project(self, vcs, o, r):
        repo = self.repo_of(o, r)
        if not repo:
            return self.send(404, {"message": "Project not found"})
        full = repo["full_name"]
        self.json_ok({"slug": "%s/%s" % (vcs, full), "name": repo.get("name"), "id": W.uuid_of("project", full),
                      "organization_name": full.split("/")[0], "organization_slug": "%s/%s" % (vcs, full.split("/")[0]),
                      "organization_id": W.uuid_of("org", full.split("/")[0]),
                      "vcs_info": {"vcs_url": "https://github.com/" + full, "provider": "GitHub",
                                   "default_branch": repo.get("default_branch")}})

    def cc_page(self, items):
        size = 20
        start = int(self.q.get("page-token", "0") or 0)
        nxt = str(start + size) if start + size < len(items) else None
        return {"items": items[start:start + size], "next_page_token": nxt}

    def cc_pipeline(self, pid):
        rid = self.state.world.pipelines.get(pid)
        if rid is None:
            return self.send(404, {"message": "Pipeline not found"})
        self.json_ok(self.state.world.circle_pipeline(rid))

    def cc_workflows(self, pid):
        rid = self.state.world.pipelines.get(pid)
        if rid is None:
            return self.send(404, {"message": "Pipeline not found"})
        self.json_ok(self.cc_page(self.state.world.circle_workflows(rid)))

    def cc_jobs(self, wid):
        w = self.state.world.workflows.get(wid)
        if w is None:
            return self.send(404, {"message": "Workflow not found"})
        self.json_ok(self.cc_page(self.state.world.circle_jobs(*w)))

    def cc_v1_job(self, vcs, o, r, num):
        job = self.state.world.jobs.get(int(num))
        if not job or not self.run_in_repo(o, r, job.get("run_id", 0)):
            return self.send(404, {"message": "Build not found"})
        gate = self.log_gate(num)
        if gate:
            return self.send(gate, {"message": "Build output is no longer available"})
        out = "%s/_storage/circle/%s?sig=%s" % (self.storage_base(), num, hashlib.sha1(num.encode()).hexdigest()[:16])
        self.json_ok({"build_num": int(num), "vcs_revision": job.get("head_sha"), "status": "success",
                      "steps": [{"name": "Spin up environment",
                                 "actions": [{"name": "Spin up environment", "has_output": False, "step": 0,
                                              "index": 0, "status": "success"}]},
                                {"name": "Run tests",
                                 "actions": [{"name": "Run tests", "has_output": True, "output_url": out,
                                              "step": 1, "index": 0, "status": "success"}]}]})

    def storage_circle(self, num):
        if self.headers.get("Circle-Token"):
            return self.send(403, "<Error><Code>AccessDenied</Code></Error>", ctype="application/xml")
        data = self.log_data(num)
        if data is None:
            return self.send(404, "<Error><Code>NoSuchKey</Code></Error>", ctype="application/xml")
        self.send(200, [{"message": data.decode("utf-8", "replace"), "time": "2023-01-10T08:24:19.000Z",
                         "type": "out", "truncated": False}])

    # ---- Travis v3 ----

    def tr_error(self, what):
        return self.send(404, {"@type": "error", "error_type": "not_found",
                               "error_message": "%s not found (or insufficient access)" % what, "resource_type": what})

    def tr_repo(self, slug):
        repo = self.state.world.repos.get(slug.lower())
        return self.json_ok(self.state.world.travis_repo(slug)) if repo else self.tr_error("repository")

    def tr_build(self, bid):
        if int(bid) not in self.state.world.runs:
            return self.tr_error("build")
        self.json_ok(self.state.world.travis_build(int(bid)))

    def tr_jobs(self, bid):
        if int(bid) not in self.state.world.runs:
            return self.tr_error("build")
        self.json_ok({"@type": "jobs", "@href": "/build/%s/jobs" % bid, "@representation": "standard",
                      "jobs": self.state.world.travis_jobs(int(bid))})

    def tr_log(self, jid):
        if int(jid) not in self.state.world.jobs:
            return self.tr_error("job")
        gate = self.log_gate(jid)
        if gate:
            return self.send(gate, {"@type": "error", "error_type": "log_expired", "error_message": "log expired"})
        data = self.log_data(jid)
        if data is None:
            return self.tr_error("log")
        self.send(200, data, ctype="text/plain; charset=utf-8")


prs.install(Handler)


class Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients closing kept-alive connections are normal, not worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            super().handle_error(request, client_address)


def load_recorded(folder):
    """path -> [(query, response)] from the PyGithub recordings (GET only)."""
    out = {}
    for test in sorted(os.listdir(folder)):
        tdir = os.path.join(folder, test)
        for step in sorted(os.listdir(tdir)):
            try:
                with open(os.path.join(tdir, step, "request.json")) as f:
                    req = json.load(f)
                with open(os.path.join(tdir, step, "response.json")) as f:
                    resp = json.load(f)
            except (OSError, ValueError):
                continue
            if req.get("method") != "GET":
                continue
            q = {k: (v[-1] if isinstance(v, list) else v) for k, v in req.get("query", {}).items()}
            out.setdefault(req["path"], []).append((q, resp))
    return out


def parse_spec(spec):
    out = {}
    for part in (spec or "").split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = int(v) if v.strip().lstrip("-").isdigit() else v.strip()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--world", action="append", default=[], help="a local archive folder to serve")
    ap.add_argument("--generate", help="repos=20,runs=10000,seed=1,jobs_per_run=2,start=2023-01-01,days=365")
    ap.add_argument("--recorded", help="the pygithub folder of the recorded GitHub answers")
    ap.add_argument("--bugswarm", help="the bugswarm/orientechnologies-orientdb folder")
    ap.add_argument("--logs-from", help="assign the real logs under this folder to jobs, round-robin")
    ap.add_argument("--config", help="JSON, or @FILE")
    ap.add_argument("--write-archive", help="write the world as a local archive into this folder and exit")
    a = ap.parse_args()

    world = W.World()
    for folder in a.world:
        world.load_archive(folder)
    if a.bugswarm:
        world.load_bugswarm(a.bugswarm)
    if a.generate:
        W.generate(world, **parse_spec(a.generate))
    if a.logs_from:
        world.add_log_pool(a.logs_from)
    world.finish()
    prs.attach(world, a.world)
    if a.write_archive:
        W.write_archive(world, a.write_archive)
        prs.write_pulls(world, a.write_archive)
        print("wrote %d repositories, %d runs, %d jobs to %s" % (
            len(world.repos), len(world.runs), len(world.jobs), a.write_archive))
        return

    config = json.loads(json.dumps(DEFAULT_CONFIG))
    if a.config:
        text = open(a.config[1:]).read() if a.config.startswith("@") else a.config
        config.update(json.loads(text))
    Handler.state = State(world, config, load_recorded(a.recorded) if a.recorded else {})
    srv = Server((a.host, a.port), Handler)
    srv.daemon_threads = True
    print("LISTEN http://%s:%d" % (a.host, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
