"""The data a fixture server serves: repositories, runs, jobs and logs.

A world is held in GitHub's shapes (repository objects, workflow-run objects,
workflow-job objects), because that is what the recorded fixtures and the
local archive (docs/local-archive.md) use; the CircleCI v2 and Travis v3 views
are derived from the same runs (see circle_* and travis_* below), so that one
world answers for every provider and tests can compare the mappings.

Sources, combinable:
  - a local archive folder (repos.json, runs.jsonl, logs/<job id>.log[.zst]);
  - the recorded BugSwarm pages of ../shared/fixtures/github_api/bugswarm/;
  - a generated world (generate(): repositories, runs, jobs from a seed).
"""
import base64
import datetime
import hashlib
import json
import os
import random

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def iso(ts):
    """Seconds since the epoch -> 2023-01-10T08:24:19Z."""
    return (EPOCH + datetime.timedelta(seconds=int(ts))).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    """ISO date or date-time (Z or offset) -> seconds since the epoch, or None."""
    if not s:
        return None
    s = s.strip()
    try:
        if len(s) == 10:
            d = datetime.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        else:
            d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
            if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
        return (d - EPOCH).total_seconds()
    except ValueError:
        return None


def stable(s, mod):
    """A hash of s that is the same in every process (str hash() is salted)."""
    return int(hashlib.sha1(str(s).encode()).hexdigest()[:12], 16) % mod


def suite_node_id(suite_id):
    """A GraphQL global id shaped like GitHub's ("CS_kwDO..."): a prefix and an opaque base64 tail."""
    tail = base64.urlsafe_b64encode(suite_id.to_bytes(8, "big")).decode().rstrip("=")
    return "CS_kwDO" + tail


def uuid_of(kind, n):
    """A stable UUID-shaped id for the CircleCI views (pipeline/workflow/job)."""
    h = hashlib.sha1(("%s:%s" % (kind, n)).encode()).hexdigest()
    return "%s-%s-4%s-a%s-%s" % (h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])


class World:
    def __init__(self):
        self.repos = {}          # full_name.lower() -> repository object
        self.runs = {}           # run id -> run object (without "jobs")
        self.repo_runs = {}      # full_name.lower() -> [run ids], newest first
        self.run_jobs = {}       # run id -> [job objects]
        self.jobs = {}           # job id -> job object
        self.logs = {}           # job id -> path of its log (plain or .zst)
        self.synthetic_logs = False
        self.log_pool = []       # real logs assigned round-robin to jobs without one
        self.pipelines = {}      # circleci pipeline uuid -> run id
        self.workflows = {}      # circleci workflow uuid -> (run id, job index)
        self.suites = {}         # check suite node id (GraphQL) -> run id

    # ---- loading ----

    def add_repo(self, repo):
        self.repos[repo["full_name"].lower()] = repo

    def add_run(self, run, jobs=None):
        rid = int(run["id"])
        run = dict(run)
        run.pop("jobs", None)
        self.runs[rid] = run
        full = run.get("repository", {}).get("full_name", "")
        if full.lower() not in self.repos and full:
            owner, _, name = full.partition("/")
            self.add_repo({"id": stable(full, 10**8), "name": name, "full_name": full,
                           "owner": {"login": owner, "type": "User"}, "private": False,
                           "default_branch": "main", "language": None})
        self.repo_runs.setdefault(full.lower(), []).append(rid)
        if jobs is not None:
            self.run_jobs[rid] = list(jobs)
            for j in jobs:
                self.jobs[int(j["id"])] = j

    def finish(self):
        """Sorts each repository's runs newest first and indexes the derived views."""
        for full, ids in self.repo_runs.items():
            ids.sort(key=lambda i: (parse_time(self.runs[i].get("created_at")) or 0, i), reverse=True)
        for rid in self.runs:
            self.pipelines[uuid_of("pipeline", rid)] = rid
            node = self.runs[rid].get("check_suite_node_id")
            if node:
                self.suites[node] = rid
            for k, j in enumerate(self.run_jobs.get(rid, [])):
                self.workflows[uuid_of("workflow", j["id"])] = (rid, k)
        if self.log_pool:
            k = 0
            for jid in sorted(self.jobs):
                if jid not in self.logs:
                    self.logs[jid] = self.log_pool[k % len(self.log_pool)]
                    k += 1

    def load_archive(self, folder):
        with open(os.path.join(folder, "repos.json")) as f:
            for r in json.load(f):
                self.add_repo(r)
        with open(os.path.join(folder, "runs.jsonl")) as f:
            for line in f:
                if line.strip():
                    run = json.loads(line)
                    self.add_run(run, run.get("jobs", []))
        logs = os.path.join(folder, "logs")
        if os.path.isdir(logs):
            for name in os.listdir(logs):
                stem = name.split(".")[0]
                if stem.isdigit():
                    self.logs[int(stem)] = os.path.join(logs, name)

    def load_bugswarm(self, folder):
        """The recorded pages of orientechnologies/orientdb (bodies only)."""
        for page in ("runs-page1.json", "runs-page2.json"):
            with open(os.path.join(folder, page)) as f:
                for run in json.load(f)["workflow_runs"]:
                    jobs = []
                    jp = os.path.join(folder, "jobs-responses", "%d.json" % run["id"])
                    if os.path.exists(jp):
                        with open(jp) as jf:
                            jobs = json.load(jf)["jobs"]
                    self.add_run(run, jobs)
        repo = self.repos["orientechnologies/orientdb"]
        repo.update({"default_branch": "develop", "language": "Java"})

    def add_log_pool(self, folder):
        for root, _, files in os.walk(folder):
            for n in sorted(files):
                if n.endswith(".log"):
                    self.log_pool.append(os.path.join(root, n))
        self.log_pool.sort()

    # ---- logs ----

    def log_bytes(self, job_id, size=None):
        """The log of a job: its file, or a synthetic text (size bytes when given)."""
        if size is None and job_id in self.logs:
            path = self.logs[job_id]
            with open(path, "rb") as f:
                data = f.read()
            if path.endswith(".zst"):
                import subprocess
                data = subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
            return data
        if size is None and (job_id not in self.jobs or not self.synthetic_logs):
            return None
        rnd = random.Random(job_id)
        lines = []
        total = 0
        target = size if size is not None else rnd.randint(2000, 20000)
        n = 0
        while total < target:
            line = "2023-01-10T08:%02d:%02d.%07dZ step %d: ran test_%d ... %s\n" % (
                (n // 60) % 60, n % 60, rnd.randint(0, 9999999), n, rnd.randint(1, 9999),
                "ok" if rnd.random() > 0.05 else "FAILED")
            lines.append(line)
            total += len(line)
            n += 1
        data = "".join(lines).encode()
        return data[:target] if size is not None else data

    # ---- CircleCI v2 views ----

    def circle_pipeline(self, rid, vcs="gh"):
        run = self.runs[rid]
        full = run.get("repository", {}).get("full_name", "")
        msg = (run.get("head_commit") or {}).get("message") or ""
        subject, _, body = msg.partition("\n\n")
        trigger = "webhook" if run.get("event") in ("push", "pull_request") else (
            "schedule" if run.get("event") == "schedule" else "api")
        prs = run.get("pull_requests") or []
        vcs_obj = {"provider_name": "GitHub", "origin_repository_url": "https://github.com/" + full,
                   "target_repository_url": "https://github.com/" + full,
                   "revision": run.get("head_sha"), "branch": run.get("head_branch"),
                   "commit": {"subject": subject, "body": body}}
        if prs:
            vcs_obj["review_id"] = str(prs[0]["number"])
            vcs_obj["review_url"] = "https://github.com/%s/pull/%d" % (full, prs[0]["number"])
        return {"id": uuid_of("pipeline", rid), "errors": [], "project_slug": "%s/%s" % (vcs, full),
                "updated_at": run.get("updated_at"), "number": run.get("run_number"),
                "trigger_parameters": {}, "state": "created", "created_at": run.get("created_at"),
                "trigger": {"type": trigger, "received_at": run.get("created_at"),
                            "actor": {"login": (run.get("actor") or {}).get("login"), "avatar_url": None}},
                "vcs": vcs_obj}

    CIRCLE_STATUS = {"success": "success", "failure": "failed", "cancelled": "canceled",
                     "skipped": "not_run", "timed_out": "failed", "action_required": "unauthorized",
                     "neutral": "success", "startup_failure": "error", "stale": "canceled"}
    CIRCLE_JOB_STATUS = {"success": "success", "failure": "failed", "cancelled": "canceled",
                         "skipped": "not_run", "timed_out": "timedout", "action_required": "unauthorized",
                         "neutral": "success"}

    def _circle_status(self, obj, table):
        if obj.get("status") != "completed":
            return "running" if obj.get("status") == "in_progress" else "on_hold" if obj.get(
                "status") == "waiting" else "not_running" if table is self.CIRCLE_JOB_STATUS else "running"
        return table.get(obj.get("conclusion") or "", "failed")

    def circle_workflows(self, rid, vcs="gh"):
        """One workflow per GitHub job (named after it), each with that one job."""
        run = self.runs[rid]
        full = run.get("repository", {}).get("full_name", "")
        items = []
        for j in self.run_jobs.get(rid, []):
            items.append({"pipeline_id": uuid_of("pipeline", rid), "canceled_by": None,
                          "id": uuid_of("workflow", j["id"]), "name": j.get("name"),
                          "project_slug": "%s/%s" % (vcs, full), "errored_by": None, "tag": None,
                          "status": self._circle_status(j, self.CIRCLE_STATUS),
                          "started_by": uuid_of("user", (run.get("actor") or {}).get("login")),
                          "pipeline_number": run.get("run_number"),
                          "created_at": j.get("started_at") or run.get("created_at"),
                          "stopped_at": j.get("completed_at")})
        return items

    def circle_jobs(self, rid, k, vcs="gh"):
        run = self.runs[rid]
        j = self.run_jobs[rid][k]
        full = run.get("repository", {}).get("full_name", "")
        return [{"dependencies": [], "job_number": int(j["id"]), "id": uuid_of("job", j["id"]),
                 "started_at": j.get("started_at"), "name": j.get("name"),
                 "project_slug": "%s/%s" % (vcs, full),
                 "status": self._circle_status(j, self.CIRCLE_JOB_STATUS), "type": "build",
                 "stopped_at": j.get("completed_at")}]

    # ---- Travis v3 views ----

    TRAVIS_STATE = {"success": "passed", "failure": "failed", "cancelled": "canceled",
                    "timed_out": "errored", "startup_failure": "errored", "skipped": "canceled"}

    def _travis_state(self, obj):
        if obj.get("status") == "completed":
            return self.TRAVIS_STATE.get(obj.get("conclusion") or "", "errored")
        return "started" if obj.get("status") == "in_progress" else "created"

    def travis_repo(self, full):
        r = self.repos[full.lower()]
        return {"@type": "repository", "@href": "/repo/%d" % r.get("id", 0), "@representation": "standard",
                "id": r.get("id"), "name": r.get("name") or full.split("/")[1], "slug": r["full_name"],
                "description": r.get("description"), "github_id": r.get("id"),
                "github_language": r.get("language"), "active": True, "private": bool(r.get("private")),
                "owner": {"@type": "user", "id": 1, "login": r["full_name"].split("/")[0]},
                "default_branch": {"@type": "branch", "name": r.get("default_branch")}, "starred": False}

    def travis_build(self, rid):
        run = self.runs[rid]
        full = run.get("repository", {}).get("full_name", "")
        repo = self.repos.get(full.lower(), {})
        start, end = parse_time(run.get("run_started_at")), parse_time(run.get("updated_at"))
        prs = run.get("pull_requests") or []
        ev = {"schedule": "cron", "workflow_dispatch": "api"}.get(run.get("event"), run.get("event"))
        hc = run.get("head_commit") or {}
        return {"@type": "build", "@href": "/build/%d" % rid, "@representation": "standard",
                "id": rid, "number": str(run.get("run_number")), "state": self._travis_state(run),
                "duration": int(end - start) if start and end and run.get("status") == "completed" else None,
                "event_type": ev, "previous_state": None,
                "pull_request_title": None, "pull_request_number": prs[0]["number"] if prs else None,
                "started_at": run.get("run_started_at"),
                "finished_at": run.get("updated_at") if run.get("status") == "completed" else None,
                "private": bool(repo.get("private")),
                "repository": {"@type": "repository", "@representation": "minimal", "id": repo.get("id"),
                               "name": full.split("/")[-1], "slug": full},
                "branch": {"@type": "branch", "@representation": "minimal", "name": run.get("head_branch")},
                "tag": None,
                "commit": {"@type": "commit", "@representation": "minimal", "id": rid, "sha": run.get("head_sha"),
                           "ref": None, "message": hc.get("message"), "compare_url": None,
                           "committed_at": hc.get("timestamp"),
                           "author": {"name": (hc.get("author") or {}).get("name"), "avatar_url": None}},
                "jobs": [{"@type": "job", "@href": "/job/%d" % j["id"], "@representation": "minimal",
                          "id": j["id"]} for j in self.run_jobs.get(rid, [])],
                "stages": [],
                "created_by": {"@type": "user", "@representation": "minimal", "id": 1,
                               "login": (run.get("actor") or {}).get("login")},
                "updated_at": run.get("updated_at")}

    def travis_jobs(self, rid):
        run = self.runs[rid]
        full = run.get("repository", {}).get("full_name", "")
        out = []
        for k, j in enumerate(self.run_jobs.get(rid, [])):
            out.append({"@type": "job", "@href": "/job/%d" % j["id"], "@representation": "standard",
                        "id": j["id"], "allow_failure": False, "number": "%s.%d" % (run.get("run_number"), k + 1),
                        "state": self._travis_state(j), "started_at": j.get("started_at"),
                        "finished_at": j.get("completed_at"), "build": {"@href": "/build/%d" % rid, "id": rid},
                        "queue": j.get("runner_name") or "builds.gce",
                        "repository": {"@type": "repository", "slug": full},
                        "stage": None, "created_at": j.get("created_at") or j.get("started_at"),
                        "updated_at": j.get("completed_at")})
        return out


BOTS = ["dependabot[bot]", "renovate[bot]", "github-actions[bot]"]
LANGS = ["Python", "Java", "JavaScript", "Go", "Ruby", "C++", "TypeScript", "Rust"]


def generate(world, seed=1, repos=20, runs=10000, jobs_per_run=2, start="2023-01-01", days=365,
             owner_prefix="org"):
    """Adds a reproducible world: repos x runs/repos runs, ids growing with time."""
    rnd = random.Random(seed)
    t0 = parse_time(start)
    names = ["%s%d/project-%d" % (owner_prefix, i % 7, i) for i in range(repos)]
    for i, full in enumerate(names):
        world.add_repo({"id": 100000 + i, "node_id": "R_%d" % i, "name": full.split("/")[1], "full_name": full,
                        "owner": {"login": full.split("/")[0], "type": "Organization"},
                        "private": i % 10 == 9, "html_url": "https://github.com/" + full,
                        "description": "generated repository %d" % i, "fork": False,
                        "default_branch": "main" if i % 3 else "master", "language": LANGS[i % len(LANGS)]})
    events = []
    for k in range(runs):
        events.append((t0 + rnd.random() * days * 86400, names[k % repos]))
    events.sort()
    rid = 4000000000
    jid = 11000000000
    for k, (t, full) in enumerate(events):
        rid += rnd.randint(1, 40)
        created = int(t)
        started = created + rnd.randint(0, 30)
        dur = rnd.randint(30, 1800)
        x = rnd.random()
        status, conclusion = "completed", (
            "success" if x < 0.70 else "failure" if x < 0.92 else "cancelled" if x < 0.96 else
            "skipped" if x < 0.98 else None)
        if conclusion is None:
            status = "in_progress"
        bot = rnd.random() < 0.05
        login = BOTS[k % len(BOTS)] if bot else "dev%d" % rnd.randint(1, 60)
        ev = "pull_request" if rnd.random() < 0.3 else "push" if rnd.random() < 0.9 else "schedule"
        sha = hashlib.sha1(("%s:%d" % (full, rid)).encode()).hexdigest()
        prn = rnd.randint(1, 900) if ev == "pull_request" else None
        updated = started + dur if status == "completed" else started + dur // 2
        run = {"id": rid, "name": "CI", "node_id": "WFR_%d" % rid, "head_branch": "main" if ev != "pull_request"
               else "feature-%d" % prn, "head_sha": sha, "path": ".github/workflows/ci.yml",
               "display_title": "change %d" % k, "run_number": 0, "event": ev, "status": status,
               "conclusion": conclusion, "workflow_id": 1000 + stable(full, 1000),
               "url": "https://api.github.com/repos/%s/actions/runs/%d" % (full, rid),
               "html_url": "https://github.com/%s/actions/runs/%d" % (full, rid),
               "pull_requests": [{"number": prn, "id": prn, "head": {"ref": "feature-%d" % prn, "sha": sha},
                                  "base": {"ref": "main"}}] if prn else [],
               "created_at": iso(created), "updated_at": iso(updated),
               "actor": {"login": login, "id": 5000 + stable(login, 100000), "type": "Bot" if bot else "User"},
               "run_attempt": 1, "run_started_at": iso(started),
               "check_suite_id": rid + 3000000000, "check_suite_node_id": suite_node_id(rid + 3000000000),
               "triggering_actor": {"login": login, "type": "Bot" if bot else "User"},
               "head_commit": {"id": sha, "tree_id": sha[::-1], "message": "change %d\n\nbody of the change" % k,
                               "timestamp": iso(created - 60),
                               "author": {"name": "Dev %s" % login, "email": "%s@example.org" % login},
                               "committer": {"name": "Dev %s" % login, "email": "%s@example.org" % login}},
               "repository": {"id": 100000 + names.index(full), "full_name": full, "name": full.split("/")[1],
                              "private": False}}
        jobs = []
        for n in range(jobs_per_run):
            jid += rnd.randint(1, 5)
            jconc = conclusion if n == jobs_per_run - 1 or conclusion != "failure" else "success"
            js = started + n * 2
            jobs.append({"id": jid, "run_id": rid, "workflow_name": "CI", "head_branch": run["head_branch"],
                         "run_url": run["url"], "run_attempt": 1, "node_id": "CR_%d" % jid, "head_sha": sha,
                         "url": "https://api.github.com/repos/%s/actions/jobs/%d" % (full, jid),
                         "html_url": "https://github.com/%s/actions/runs/%d/job/%d" % (full, rid, jid),
                         "status": status, "conclusion": jconc,
                         "created_at": iso(started), "started_at": iso(js),
                         "completed_at": iso(js + dur - 5) if status == "completed" else None,
                         "name": "test (%d)" % n, "steps": [
                             {"name": "Set up job", "status": "completed", "conclusion": "success", "number": 1,
                              "started_at": iso(js), "completed_at": iso(js + 1)},
                             {"name": "Run tests", "status": status, "conclusion": jconc, "number": 2,
                              "started_at": iso(js + 1), "completed_at": iso(js + dur - 5)}],
                         "labels": ["ubuntu-latest"], "runner_id": 1 + n, "runner_name": "GitHub Actions %d" % (n + 1),
                         "runner_group_id": 2, "runner_group_name": "GitHub Actions"})
        world.add_run(run, jobs)
    # run_number counts per repository in time order
    for full in names:
        ids = sorted(world.repo_runs.get(full.lower(), []))
        for n, i in enumerate(ids):
            world.runs[i]["run_number"] = n + 1
    world.synthetic_logs = True


def write_archive(world, folder):
    """Writes the world as a local archive (docs/local-archive.md); logs as symlinks or text."""
    os.makedirs(os.path.join(folder, "logs"), exist_ok=True)
    with open(os.path.join(folder, "archive.json"), "w") as f:
        json.dump({"format": "ciminer-local-archive", "version": 1}, f)
    with open(os.path.join(folder, "repos.json"), "w") as f:
        json.dump(list(world.repos.values()), f, indent=1)
    with open(os.path.join(folder, "runs.jsonl"), "w") as f:
        for rid in sorted(world.runs):
            run = dict(world.runs[rid])
            run["jobs"] = world.run_jobs.get(rid, [])
            f.write(json.dumps(run, separators=(",", ":")) + "\n")
    for jid in sorted(world.jobs):
        dst = os.path.join(folder, "logs", "%d.log" % jid)
        if os.path.lexists(dst):
            continue
        if jid in world.logs:
            src = world.logs[jid]
            os.symlink(os.path.abspath(src), dst + (".zst" if src.endswith(".zst") else ""))
        else:
            data = world.log_bytes(jid)
            if data is not None:
                with open(dst, "wb") as f:
                    f.write(data)
