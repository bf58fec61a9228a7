"""Pull requests of a fixture world and the GitHub REST routes that serve them.

A world's pull requests are, per repository and number:
  - read from the pulls.jsonl of a --world archive (docs/local-archive.md:
    GitHub's pull shape plus issue_comments, review_comments, commit_comments
    and reviews);
    such an archive serves exactly those (a PR missing there answers 404);
  - otherwise derived for every PR number the runs carry (derive()): opened
    before the PR's first run by its first run's actor, a description, and
    comments of the three kinds spread before, between and after the PR's
    builds (one exactly at a build's start), so that the point-in-time window
    of the pr_* features matters. Commit comments are on the PR's head
    commits; the repository also has commit comments on commits of no PR.
    Each review comment belongs to a review (pull_request_review_id) submitted
    some time after it was drafted; a PR with builds has one comment drafted
    just before a build and submitted just after it (it counts for the next
    build, not that one), and some PRs have a pending review, whose comment
    GitHub would show nobody else (it is never counted).

Routes (counted and rate-limited like every GitHub request, Link pagination):
  GET /repos/{o}/{r}/pulls/{n}              the PR (404 when absent)
  GET /repos/{o}/{r}/pulls/{n}/comments     review comments
  GET /repos/{o}/{r}/pulls/{n}/reviews      reviews (their submitted_at; none for a pending one)
  GET /repos/{o}/{r}/issues/{n}/comments    issue comments (404 when no such PR)
  GET /repos/{o}/{r}/pulls/{n}/commits      the PR's commits: its runs' head shas, then its commit comments' commits
  GET /repos/{o}/{r}/comments               the repository's commit comments, oldest first
  GET /repos/{o}/{r}/commits/{sha}/pulls    the PRs associated with a commit: those it heads (head.sha)
                                            or that built it (their runs' head shas), by number; [] for
                                            a commit of no PR, 404 for an unknown repository

Every PR object carries head.sha (and head.ref): its last run's head commit when pulls.jsonl names none.

Hook-up: ciserver.py calls install(Handler) once, attach(world, archive folders)
after loading, and write_pulls(world, folder) with --write-archive.
"""
import json
import os
import random

import world as W

COMMENT_KEYS = ("issue_comments", "review_comments", "commit_comments")
ARCHIVE_KEYS = COMMENT_KEYS + ("reviews",)  # the archive's arrays that are not part of GitHub's PR object


def _runs_of_prs(world):
    """(full_lower, number) -> [run], oldest first."""
    out = {}
    for rid in sorted(world.runs):
        run = world.runs[rid]
        full = run.get("repository", {}).get("full_name", "")
        for pr in run.get("pull_requests") or []:
            if pr.get("number"):
                out.setdefault((full.lower(), int(pr["number"])), []).append(run)
    for runs in out.values():
        runs.sort(key=lambda r: (W.parse_time(r.get("run_started_at") or r.get("created_at")) or 0, r["id"]))
    return out


def _start(run):
    return int(W.parse_time(run.get("run_started_at") or run.get("created_at")) or 0)


def derive(world):
    """Pull requests for every PR number of the runs (see the module's text)."""
    pulls = {}
    extra = {}
    cid = 900000000
    for (full_l, num), runs in sorted(_runs_of_prs(world).items()):
        full = runs[0]["repository"]["full_name"]
        rnd = random.Random(W.stable("%s#%d" % (full_l, num), 2 ** 32))
        starts = [_start(r) for r in runs]
        created = starts[0] - rnd.randint(600, 3 * 86400)
        login = (runs[0].get("actor") or {}).get("login") or "dev"
        shas = []
        for r in runs:
            if r.get("head_sha") and r["head_sha"] not in shas:
                shas.append(r["head_sha"])
        # Windows: before the first build, between builds, after the last one.
        edges = [created] + starts + [starts[-1] + 2 * 86400]
        comments = {k: [] for k in COMMENT_KEYS}
        for key, most in (("issue_comments", 6), ("review_comments", 4), ("commit_comments", 3)):
            for _ in range(rnd.randint(0, most)):
                w = rnd.randrange(len(edges) - 1)
                t = rnd.randint(edges[w] + 1, max(edges[w] + 1, edges[w + 1] - 1))
                cid += 1
                c = {"id": cid, "user": {"login": "reviewer%d" % rnd.randint(1, 9), "type": "User"},
                     "created_at": W.iso(t), "updated_at": W.iso(t), "body": "comment %d" % cid}
                if key != "issue_comments":
                    c["commit_id"] = rnd.choice(shas) if shas else None
                comments[key].append(c)
        if rnd.random() < 0.3:
            # A comment made exactly when a build started: it must not count for that build.
            cid += 1
            t = rnd.choice(starts)
            comments["issue_comments"].append({"id": cid, "user": {"login": "reviewer0", "type": "User"},
                                               "created_at": W.iso(t), "updated_at": W.iso(t), "body": "at start"})
        # Reviews: each review comment drafted (created_at) and shown when its review is submitted.
        reviews = []
        rid = 5000000 + cid
        for i, c in enumerate(comments["review_comments"]):
            t = W.parse_time(c["created_at"])
            if i == 0:
                # Drafted one minute before a build, submitted one minute after it.
                s0 = rnd.choice(starts)
                t = s0 - 60
                c["created_at"] = c["updated_at"] = W.iso(t)
                submitted = s0 + 60
            else:
                submitted = t + rnd.randint(0, 6 * 3600)
            rid += 1
            c["pull_request_review_id"] = rid
            reviews.append({"id": rid, "user": c["user"], "state": "COMMENTED", "commit_id": c.get("commit_id"),
                            "submitted_at": W.iso(int(submitted))})
        if comments["review_comments"] and rnd.random() < 0.3:
            # A pending review: its comment was made but nobody else has seen it.
            cid += 1
            rid += 1
            t = rnd.choice(starts) - 30
            comments["review_comments"].append(
                {"id": cid, "user": {"login": "reviewer0", "type": "User"}, "created_at": W.iso(t),
                 "updated_at": W.iso(t), "body": "pending", "commit_id": shas[0] if shas else None,
                 "pull_request_review_id": rid})
            reviews.append({"id": rid, "user": {"login": "reviewer0", "type": "User"}, "state": "PENDING"})
        comments["reviews"] = reviews
        for k in COMMENT_KEYS:
            comments[k].sort(key=lambda c: (c["created_at"], c["id"]))
        merged = rnd.random() < 0.6
        end = starts[-1] + rnd.randint(600, 86400)
        pull = {"url": "https://api.github.com/repos/%s/pulls/%d" % (full, num), "id": 7000000 + cid,
                "number": num, "state": "closed" if merged else "open", "locked": False,
                "title": "pull request %d" % num, "user": {"login": login, "type": "User"},
                "body": " ".join("word%d" % rnd.randint(1, 99) for _ in range(rnd.randint(0, 40))) or None,
                "created_at": W.iso(created), "updated_at": W.iso(end),
                "closed_at": W.iso(end) if merged else None, "merged_at": W.iso(end) if merged else None,
                "head": {"ref": runs[0].get("head_branch"), "sha": shas[-1] if shas else None},
                "base": {"ref": "main", "repo": {"full_name": full}}, "repository": {"full_name": full}}
        pull.update(comments)
        pulls[(full_l, num)] = pull
    # Commit comments on commits of no pull request: the repository list has them, no PR counts them.
    pr_shas = {r.get("head_sha") for runs in _runs_of_prs(world).values() for r in runs}
    for full_l, ids in sorted(world.repo_runs.items()):
        rnd = random.Random(W.stable("extra:" + full_l, 2 ** 32))
        plain = [world.runs[i] for i in sorted(ids) if world.runs[i].get("head_sha") not in pr_shas]
        for run in plain[:3]:
            cid += 1
            t = _start(run) + rnd.randint(-3600, 3600)
            extra.setdefault(full_l, []).append(
                {"id": cid, "commit_id": run["head_sha"], "user": {"login": "passerby", "type": "User"},
                 "created_at": W.iso(t), "updated_at": W.iso(t), "body": "on a pushed commit"})
    return pulls, extra


def load(folder):
    """The pulls.jsonl of an archive folder, or None when it has none."""
    path = os.path.join(folder, "pulls.jsonl")
    if not os.path.exists(path):
        return None
    out = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                full = (p.get("repository") or {}).get("full_name") or p["base"]["repo"]["full_name"]
                out[(full.lower(), int(p["number"]))] = p
    return out


def attach(world, folders=()):
    """Gives the world its pull requests: the archives' pulls.jsonl when any has one, else derived."""
    loaded = {}
    any_file = False
    for folder in folders:
        got = load(folder)
        if got is not None:
            any_file = True
            loaded.update(got)
    if any_file:
        world.pulls, world.extra_commit_comments = loaded, {}
    else:
        world.pulls, world.extra_commit_comments = derive(world)
    runs = _runs_of_prs(world)
    world.pull_commits = {}
    world.commit_pulls = {}  # (full_lower, sha) -> [number]: the route commits/{sha}/pulls
    for key, pull in world.pulls.items():
        shas = []
        for r in runs.get(key, []):
            if r.get("head_sha") and r["head_sha"] not in shas:
                shas.append(r["head_sha"])
        head = pull.get("head")
        if not isinstance(head, dict):
            head = pull["head"] = {}
        if not head.get("sha") and shas:
            head["sha"] = shas[-1]
        if not head.get("ref") and runs.get(key):
            head["ref"] = runs[key][-1].get("head_branch")
        for sha in {s.lower() for s in [head.get("sha")] + shas if s}:
            world.commit_pulls.setdefault((key[0], sha), []).append(key[1])
        for c in pull.get("commit_comments") or []:
            if c.get("commit_id") and c["commit_id"] not in shas:
                shas.append(c["commit_id"])
        world.pull_commits[key] = shas


def write_pulls(world, folder):
    """pulls.jsonl of --write-archive (nothing when the world has no pull requests)."""
    if not getattr(world, "pulls", None):
        return
    with open(os.path.join(folder, "pulls.jsonl"), "w") as f:
        for key in sorted(world.pulls):
            f.write(json.dumps(world.pulls[key], separators=(",", ":")) + "\n")


# ---- routes (methods of ciserver.Handler) ----

ROUTES = [
    (r"^/repos/([^/]+)/([^/]+)/pulls/(\d+)$", "gh_pull", "GET /repos/{owner}/{repo}/pulls/{pull_number}"),
    (r"^/repos/([^/]+)/([^/]+)/pulls/(\d+)/comments$", "gh_pull_comments",
     "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"),
    (r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$", "gh_issue_comments",
     "GET /repos/{owner}/{repo}/issues/{issue_number}/comments"),
    (r"^/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews$", "gh_pull_reviews",
     "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    (r"^/repos/([^/]+)/([^/]+)/pulls/(\d+)/commits$", "gh_pull_commits",
     "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"),
    (r"^/repos/([^/]+)/([^/]+)/comments$", "gh_commit_comments", "GET /repos/{owner}/{repo}/comments"),
    (r"^/repos/([^/]+)/([^/]+)/commits/([0-9A-Za-z]+)/pulls$", "gh_commit_pulls",
     "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"),
]


def _pull(h, o, r, n):
    return getattr(h.state.world, "pulls", {}).get((("%s/%s" % (o, r)).lower(), int(n)))


def _page(h, items):
    pg = h.paging(len(items))
    if pg is None:
        return h.send(422, {"message": "Validation Failed: page"}, headers=h.rl)
    per_page, page, last, a, b = pg
    hdrs = dict(h.rl)
    lk = h.link(page, last)
    if lk:
        hdrs["Link"] = lk
    h.send(200, items[a:b], headers=hdrs, etag=True)
    h.charge_miss()


def gh_pull(self, o, r, n):
    p = _pull(self, o, r, n)
    if not p:
        return self.not_found()
    self.json_ok({k: v for k, v in p.items() if k not in ARCHIVE_KEYS})


def gh_pull_comments(self, o, r, n):
    p = _pull(self, o, r, n)
    return _page(self, p.get("review_comments") or []) if p else self.not_found()


def gh_pull_reviews(self, o, r, n):
    p = _pull(self, o, r, n)
    return _page(self, p.get("reviews") or []) if p else self.not_found()


def gh_issue_comments(self, o, r, n):
    p = _pull(self, o, r, n)
    return _page(self, p.get("issue_comments") or []) if p else self.not_found()


def gh_pull_commits(self, o, r, n):
    p = _pull(self, o, r, n)
    if not p:
        return self.not_found()
    shas = self.state.world.pull_commits.get((("%s/%s" % (o, r)).lower(), int(n)), [])
    return _page(self, [{"sha": s, "commit": {"message": "commit %s" % s[:7]}} for s in shas])


def gh_commit_comments(self, o, r):
    full = ("%s/%s" % (o, r)).lower()
    if full not in self.state.world.repos:
        return self.not_found()
    w = self.state.world
    items = [c for (f, _), p in w.pulls.items() if f == full for c in (p.get("commit_comments") or [])]
    items += w.extra_commit_comments.get(full, [])
    items.sort(key=lambda c: c["id"])
    return _page(self, items)


def gh_commit_pulls(self, o, r, sha):
    full = ("%s/%s" % (o, r)).lower()
    w = self.state.world
    if full not in w.repos:
        return self.not_found()
    numbers = sorted(set(w.commit_pulls.get((full, sha.lower()), [])))
    items = [{k: v for k, v in w.pulls[(full, n)].items() if k not in ARCHIVE_KEYS} for n in numbers]
    return _page(self, items)


def install(handler):
    """Adds the routes and their methods to the server's Handler class."""
    import re
    for rx, name, label in ROUTES:
        setattr(handler, name, globals()[name])
    handler.ROUTES = handler.ROUTES + ROUTES
    handler.COMPILED = [(re.compile(p), h, label) for p, h, label in handler.ROUTES]
