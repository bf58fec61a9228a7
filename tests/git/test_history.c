/*
 * The history index on a repository built here with fixed authors and times.
 * Every expected value is computed by hand from the commits below.
 *
 *   C0 alice  T0      add src/app.py (5 lines, 3 code), src/big.py (20 code),
 *                     tests/test_app.py (5 lines, 4 code, 2 tests, 2 asserts),
 *                     README.md, logo.png (binary), .github/workflows/ci.yml
 *   C1 bob    T0+1d   src/app.py +2 -1
 *   C2 alice  T0+2d   src/app.py -> src/main.py (exact rename);
 *                     tests/test_app.py +3 (one new test)
 *   C3 carol  T0+3d   delete logo.png; add src/util.py (2 lines)
 *   F1 bob    T0+4d   (branch feature, from C3) src/util.py +1 -1
 *   M1 alice  T0+5d   (main, from C3) README.md +1
 *   M2 carol  T0+6d   merge M1 + F1, committed by mallory: vs M1 util.py +1 -1
 *   E1 alice  T0+7d   empty commit
 *   P1 dave   T0+8d   (refs/pull/1/head only, from E1) tests/test_app.py +3
 *   R1 bob    T0+9d   (main, from E1) src/big.py -> lib/big.py, one line changed
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include "git/history.h"
#include "testsupport.h"
#include "repo_builder.h"

#define T0 1600000000LL
#define DAY 86400LL
#define US 1000000LL

static const struct rb_person alice = { "Alice", "alice@x.org" };
static const struct rb_person bob = { "Bob", "bob@x.org" };
static const struct rb_person carol = { "Carol", "carol@x.org" };
static const struct rb_person dave = { "Dave", "dave@fork.org" };
static const struct rb_person mallory = { "Mallory", "mallory@x.org" };

static const char app_v1[] = "import os\n\n# comment\ndef main():\n    return 1\n";
static const char app_v2[] = "import os\n\n# comment\ndef main():\n    return 2\nx = 3\n";
static const char test_v1[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n";
static const char test_v2[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n"
			      "\ndef test_three():\n    assert 3\n";
static const char test_v3[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n"
			      "\ndef test_three():\n    assert 3\n\ndef test_four():\n    assert 4\n";
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

struct world {
	git_repository *repo;
	git_oid c0, c1, c2, c3, f1, m1, m2, e1, p1, r1;
	struct git_history *h;
	struct git_history_update_stats st;
};

static void big_py(char *out, int changed_line)
{
	out[0] = '\0';
	for (int i = 1; i <= 20; i++) {
		char line[32];
		snprintf(line, sizeof(line), i == changed_line ? "v%d = -%d\n" : "v%d = %d\n", i, i);
		strcat(out, line);
	}
}

static void build_world(struct world *w)
{
	char *dir = ts_tempdir("history");
	w->repo = rb_init(dir, 1);
	free(dir);
	char big1[512], big2[512];
	big_py(big1, 0);
	big_py(big2, 10);
	struct rb_file f0[] = {
		{ "src/app.py", app_v1, 0 },	     { "src/big.py", big1, 0 },
		{ "tests/test_app.py", test_v1, 0 }, { "README.md", "hello\n", 0 },
		{ "logo.png", png, sizeof(png) - 1 }, { ".github/workflows/ci.yml", "on: push\n", 0 },
	};
	w->c0 = rb_commit(w->repo, NULL, NULL, f0, RB_N(f0), alice, T0);
	struct rb_file f1[] = { { "src/app.py", app_v2, 0 } };
	w->c1 = rb_commit(w->repo, NULL, &w->c0, f1, 1, bob, T0 + DAY);
	struct rb_file f2[] = { { "src/app.py", NULL, 0 }, { "src/main.py", app_v2, 0 }, { "tests/test_app.py", test_v2, 0 } };
	w->c2 = rb_commit(w->repo, NULL, &w->c1, f2, RB_N(f2), alice, T0 + 2 * DAY);
	struct rb_file f3[] = { { "logo.png", NULL, 0 }, { "src/util.py", "def f():\n    pass\n", 0 } };
	w->c3 = rb_commit(w->repo, NULL, &w->c2, f3, RB_N(f3), carol, T0 + 3 * DAY);
	struct rb_file ff[] = { { "src/util.py", "def f():\n    return 0\n", 0 } };
	w->f1 = rb_commit(w->repo, "refs/heads/feature", &w->c3, ff, 1, bob, T0 + 4 * DAY);
	struct rb_file fm[] = { { "README.md", "hello\nworld\n", 0 } };
	w->m1 = rb_commit(w->repo, NULL, &w->c3, fm, 1, alice, T0 + 5 * DAY);
	git_oid mp[2] = { w->m1, w->f1 };
	w->m2 = rb_commit_by(w->repo, NULL, mp, 2, ff, 1, carol, &mallory, T0 + 6 * DAY, "Merge feature");
	w->e1 = rb_commit(w->repo, NULL, &w->m2, NULL, 0, alice, T0 + 7 * DAY);
	struct rb_file fp[] = { { "tests/test_app.py", test_v3, 0 } };
	w->p1 = rb_commit(w->repo, "refs/pull/1/head", &w->e1, fp, 1, dave, T0 + 8 * DAY);
	struct rb_file fr[] = { { "src/big.py", NULL, 0 }, { "lib/big.py", big2, 0 } };
	w->r1 = rb_commit(w->repo, "refs/heads/main", &w->e1, fr, RB_N(fr), bob, T0 + 9 * DAY);
	struct err e = ERR_INIT;
	cr_assert_eq(git_history_new(&w->h, w->repo, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_update(w->h, &w->st, &e), 0, "%s", e.msg);
}

static void free_world(struct world *w)
{
	git_history_free(w->h);
	git_repository_free(w->repo);
}

static uint32_t idx(struct world *w, const git_oid *oid)
{
	uint32_t c = git_history_find(w->h, oid);
	cr_assert_neq(c, GIT_HISTORY_NONE, "commit %s not indexed", git_oid_tostr_s(oid));
	return c;
}

static uint32_t pid(struct world *w, const char *path)
{
	uint32_t p = git_history_path_find(w->h, path);
	cr_assert_neq(p, GIT_HISTORY_NONE, "path %s not indexed", path);
	return p;
}

Test(history, indexes_every_commit_of_every_ref_parents_first)
{
	struct world w;
	build_world(&w);
	cr_assert_eq(git_history_count(w.h), 10);
	cr_assert_eq(w.st.commits_added, 10);
	for (uint32_t c = 0; c < 10; c++) {
		uint32_t n;
		const uint32_t *ps = git_history_parents(w.h, c, &n);
		for (uint32_t k = 0; k < n; k++)
			cr_assert_lt(ps[k], c, "parent after child");
	}
	uint32_t n;
	git_history_parents(w.h, idx(&w, &w.m2), &n);
	cr_assert_eq(n, 2);
	/* the fork commit is only reachable through refs/pull/1/head */
	cr_assert_neq(git_history_find(w.h, &w.p1), GIT_HISTORY_NONE);
	cr_assert_eq(git_history_find_hex(w.h, "not-a-sha"), GIT_HISTORY_NONE);
	char hex[GIT_OID_HEXSZ + 1];
	rb_hex(hex, &w.c2);
	cr_assert_eq(git_history_find_hex(w.h, hex), idx(&w, &w.c2));
	free_world(&w);
}

Test(history, reads_each_blob_once)
{
	struct world w;
	build_world(&w);
	/* 13 distinct blobs: 6 in C0, then one new version in each of
	 * C1, C2, C3, F1, M1, P1, R1 (renames and deletions reuse cached counts). */
	cr_assert_eq(w.st.blobs_counted, 13, "read %u", w.st.blobs_counted);
	free_world(&w);
}

Test(history, records_commit_metadata_and_identities)
{
	struct world w;
	build_world(&w);
	const struct git_history_commit *m2 = git_history_commit(w.h, idx(&w, &w.m2));
	const struct git_history_ident *a = git_history_ident(w.h, m2->author);
	const struct git_history_ident *m = git_history_ident(w.h, m2->committer);
	cr_assert_str_eq(a->email, "carol@x.org");
	cr_assert_str_eq(m->name, "Mallory");
	cr_assert_eq(m2->author_time, (T0 + 6 * DAY) * US);
	cr_assert_eq(git_history_ident_find(w.h, "ALICE@X.ORG"), git_history_commit(w.h, idx(&w, &w.c0))->author);
	cr_assert_eq(git_history_ident_find(w.h, "nobody@x.org"), GIT_HISTORY_NONE);
	cr_assert_eq(git_history_ident_count(w.h), 5);
	free_world(&w);
}

static const struct git_history_change *change_of(struct world *w, const git_oid *c, const char *path)
{
	uint32_t n;
	const struct git_history_change *ch = git_history_changes(w->h, idx(w, c), &n);
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(git_history_path(w->h, ch[i].path)->path, path) == 0)
			return &ch[i];
	cr_assert_fail("no change of %s", path);
	return NULL;
}

Test(history, counts_lines_per_file_against_the_first_parent)
{
	struct world w;
	build_world(&w);
	uint32_t n;
	git_history_changes(w.h, idx(&w, &w.c0), &n);
	cr_assert_eq(n, 6);
	const struct git_history_change *ch = change_of(&w, &w.c0, "src/big.py");
	cr_assert_eq(ch->status, GIT_HISTORY_ADDED);
	cr_assert_eq(ch->added, 20);
	ch = change_of(&w, &w.c0, "tests/test_app.py");
	cr_assert_eq(ch->tests_added, 2);
	ch = change_of(&w, &w.c1, "src/app.py");
	cr_assert_eq(ch->status, GIT_HISTORY_MODIFIED);
	cr_assert_eq(ch->added, 2);
	cr_assert_eq(ch->deleted, 1);
	ch = change_of(&w, &w.c2, "tests/test_app.py");
	cr_assert_eq(ch->added, 3);
	cr_assert_eq(ch->deleted, 0);
	cr_assert_eq(ch->tests_added, 1);
	/* a merge is diffed against its first parent only */
	git_history_changes(w.h, idx(&w, &w.m2), &n);
	cr_assert_eq(n, 1);
	ch = change_of(&w, &w.m2, "src/util.py");
	cr_assert_eq(ch->added, 1);
	cr_assert_eq(ch->deleted, 1);
	free_world(&w);
}

Test(history, counts_renamed_file_once)
{
	struct world w;
	build_world(&w);
	uint32_t n;
	git_history_changes(w.h, idx(&w, &w.c2), &n);
	cr_assert_eq(n, 2, "rename + test change, got %u", n);
	const struct git_history_change *ch = change_of(&w, &w.c2, "src/main.py");
	cr_assert_eq(ch->status, GIT_HISTORY_RENAMED);
	cr_assert_str_eq(git_history_path(w.h, ch->old_path)->path, "src/app.py");
	cr_assert_eq(ch->added + ch->deleted, 0);
	/* a rename with an edit is found by similarity and diffed */
	git_history_changes(w.h, idx(&w, &w.r1), &n);
	cr_assert_eq(n, 1);
	ch = change_of(&w, &w.r1, "lib/big.py");
	cr_assert_eq(ch->status, GIT_HISTORY_RENAMED);
	cr_assert_str_eq(git_history_path(w.h, ch->old_path)->path, "src/big.py");
	cr_assert_eq(ch->added, 1);
	cr_assert_eq(ch->deleted, 1);
	free_world(&w);
}

Test(history, flags_binary_files_without_lines)
{
	struct world w;
	build_world(&w);
	const struct git_history_change *ch = change_of(&w, &w.c0, "logo.png");
	cr_assert(ch->flags & GIT_HISTORY_F_BINARY);
	cr_assert_eq(ch->added, 0);
	ch = change_of(&w, &w.c3, "logo.png");
	cr_assert_eq(ch->status, GIT_HISTORY_DELETED);
	cr_assert(ch->flags & GIT_HISTORY_F_BINARY);
	cr_assert_eq(ch->deleted, 0);
	free_world(&w);
}

Test(history, empty_commit_has_no_changes_and_keeps_totals)
{
	struct world w;
	build_world(&w);
	uint32_t n;
	git_history_changes(w.h, idx(&w, &w.e1), &n);
	cr_assert_eq(n, 0);
	struct git_history_totals a, b;
	git_history_totals_at(&a, w.h, idx(&w, &w.e1), 0);
	git_history_totals_at(&b, w.h, idx(&w, &w.m2), 0);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
	free_world(&w);
}

Test(history, walks_built_commits_to_merge_build_or_root)
{
	struct world w;
	build_world(&w);
	struct git_history_built b = GIT_HISTORY_BUILT_INIT;
	struct git_history_marks built = GIT_HISTORY_MARKS_INIT;
	git_history_built_commits(&b, w.h, idx(&w, &w.r1), &built);
	cr_assert_eq(b.status, GIT_HISTORY_MERGE_FOUND);
	cr_assert_eq(b.n, 3);
	cr_assert_eq(b.commits[0], idx(&w, &w.r1));
	cr_assert_eq(b.commits[1], idx(&w, &w.e1));
	cr_assert_eq(b.commits[2], idx(&w, &w.m2));
	cr_assert_eq(b.prev, GIT_HISTORY_NONE);

	git_history_marks_add(&built, idx(&w, &w.e1));
	git_history_built_commits(&b, w.h, idx(&w, &w.r1), &built);
	cr_assert_eq(b.status, GIT_HISTORY_BUILD_FOUND);
	cr_assert_eq(b.n, 1);
	cr_assert_eq(b.prev, idx(&w, &w.e1));

	git_history_built_commits(&b, w.h, idx(&w, &w.c3), NULL);
	cr_assert_eq(b.status, GIT_HISTORY_NO_PREVIOUS_BUILD);
	cr_assert_eq(b.n, 4);
	cr_assert_eq(b.commits[3], idx(&w, &w.c0));

	git_history_built_commits(&b, w.h, idx(&w, &w.m2), &built);
	cr_assert_eq(b.status, GIT_HISTORY_MERGE_FOUND);
	cr_assert_eq(b.n, 1);

	git_history_marks_add(&built, idx(&w, &w.c0));
	git_history_built_commits(&b, w.h, idx(&w, &w.c2), &built);
	cr_assert_eq(b.status, GIT_HISTORY_BUILD_FOUND);
	cr_assert_eq(b.n, 2);
	cr_assert_eq(b.prev, idx(&w, &w.c0));
	cr_assert_str_eq(git_history_prev_status_name(b.status), "build_found");
	git_history_built_release(&b);
	git_history_marks_release(&built);
	free_world(&w);
}

Test(history, sums_diffs_over_built_commits)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	uint32_t cs[] = { idx(&w, &w.c1), idx(&w, &w.c2), idx(&w, &w.c3) };
	struct git_history_diffsum d = GIT_HISTORY_DIFFSUM_INIT;
	git_history_diff_sum(&d, v, cs, 3, 0);
	cr_assert_eq(d.commits, 3);
	cr_assert_eq(d.files_touched, 5);
	cr_assert_eq(d.npaths, 5); /* src/app.py is both modified and a rename source */
	cr_assert_eq(d.files_added, 1);
	cr_assert_eq(d.files_deleted, 1);
	cr_assert_eq(d.files_modified, 2);
	cr_assert_eq(d.files_renamed, 1);
	cr_assert_eq(d.src_files, 3);
	cr_assert_eq(d.test_files, 1);
	cr_assert_eq(d.other_files, 1);
	cr_assert_eq(d.binary_files, 1);
	cr_assert_eq(d.lines_added, 7);
	cr_assert_eq(d.lines_deleted, 1);
	cr_assert_eq(d.src_churn, 5);
	cr_assert_eq(d.test_churn, 3);
	cr_assert_eq(d.tests_added, 1);
	cr_assert_eq(d.tests_deleted, 0);
	double expect = -(2 * 0.375 * log2(0.375) + 0.25 * log2(0.25));
	cr_assert_float_eq(d.entropy, expect, 1e-9, "entropy %f", d.entropy);

	/* a language filter turns other languages' files into "other" */
	uint32_t root = idx(&w, &w.c0);
	git_history_diff_sum(&d, v, &root, 1, 1ull << GIT_LANG_JAVA);
	cr_assert_eq(d.src_files, 0);
	cr_assert_eq(d.other_files, 4);
	cr_assert_eq(d.doc_files, 1);
	cr_assert_eq(d.ci_files, 1);
	cr_assert_eq(d.tools, GIT_TOOL_GITHUB_ACTIONS);
	git_history_diffsum_release(&d);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, views_see_only_ancestors)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	git_history_view_set(v, idx(&w, &w.r1));
	cr_assert_eq(git_history_view_size(v), 9);
	cr_assert_not(git_history_view_contains(v, idx(&w, &w.p1)));
	git_history_view_set(v, idx(&w, &w.m1));
	cr_assert_eq(git_history_view_size(v), 5);
	cr_assert_not(git_history_view_contains(v, idx(&w, &w.f1)));
	git_history_view_free(v);
	free_world(&w);
}

Test(history, moving_a_view_gives_the_same_history_as_a_fresh_one)
{
	struct world w;
	build_world(&w);
	uint32_t n = git_history_count(w.h);
	struct git_history_view *moving = git_history_view_new(w.h), *fresh = git_history_view_new(w.h);
	for (uint32_t a = 0; a < n; a++) {
		for (uint32_t b = 0; b < n; b++) {
			git_history_view_set(moving, a);
			git_history_view_set(moving, b);
			git_history_view_set(fresh, GIT_HISTORY_NONE);
			git_history_view_set(fresh, b);
			cr_assert_eq(git_history_view_size(moving), git_history_view_size(fresh), "%u then %u", a, b);
			for (uint32_t c = 0; c < n; c++)
				cr_assert_eq(git_history_view_contains(moving, c), git_history_view_contains(fresh, c),
					     "%u then %u: commit %u", a, b, c);
		}
	}
	git_history_view_free(moving);
	git_history_view_free(fresh);
	free_world(&w);
}

Test(history, counts_commits_on_touched_files_in_a_window)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	uint32_t util = pid(&w, "src/util.py"), tests = pid(&w, "tests/test_app.py"), app = pid(&w, "src/app.py");
	git_history_view_set(v, idx(&w, &w.r1));
	cr_assert_eq(git_history_file_commits(v, &util, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	uint32_t m2 = idx(&w, &w.m2);
	cr_assert_eq(git_history_file_commits(v, &util, 1, (T0 + 3 * DAY + DAY / 2) * US, (T0 + 10 * DAY) * US, &m2, 1,
					      GIT_HISTORY_NONE, NULL),
		     1);
	uint32_t alice_id = git_history_ident_find(w.h, "alice@x.org"), mine = 99;
	cr_assert_eq(git_history_file_commits(v, &tests, 1, INT64_MIN, INT64_MAX, NULL, 0, alice_id, &mine), 2);
	cr_assert_eq(mine, 2);
	cr_assert_eq(git_history_file_commits(v, &app, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	uint32_t both[] = { util, tests };
	cr_assert_eq(git_history_file_commits(v, both, 2, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 5,
		     "C3, F1, M2 on util plus C0, C2 on the tests");
	uint32_t readme = pid(&w, "README.md");
	uint32_t overlap[] = { readme, tests };
	cr_assert_eq(git_history_file_commits(v, overlap, 2, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3,
		     "C0 touches both files and counts once, plus M1 and C2");
	/* a commit on another branch is not history of M1, nor the PR's commit of R1 */
	git_history_view_set(v, idx(&w, &w.m1));
	cr_assert_eq(git_history_file_commits(v, &util, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 1);
	git_history_view_set(v, idx(&w, &w.p1));
	cr_assert_eq(git_history_file_commits(v, &tests, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, counts_distinct_authors_and_committers_in_a_window)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	git_history_view_set(v, idx(&w, &w.r1));
	cr_assert_eq(git_history_idents_in_window(v, (T0 + 4 * DAY) * US, (T0 + 10 * DAY) * US, GIT_HISTORY_AUTHORS, NULL), 3);
	int64_t from = (T0 + 5 * DAY) * US, to = (T0 + 8 * DAY) * US;
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_AUTHORS, NULL), 2);
	uint32_t *ids = NULL;
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_COMMITTERS, &ids), 2);
	cr_assert_str_eq(git_history_ident(w.h, ids[0])->email, "alice@x.org");
	cr_assert_str_eq(git_history_ident(w.h, ids[1])->email, "mallory@x.org");
	free(ids);
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_EITHER, NULL), 3);
	git_history_view_set(v, idx(&w, &w.p1));
	cr_assert_eq(git_history_idents_in_window(v, (T0 + 7 * DAY + 1) * US, INT64_MAX, GIT_HISTORY_AUTHORS, NULL), 1);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, finds_author_first_commit_only_in_history_up_to_the_commit)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	uint32_t bob_id = git_history_ident_find(w.h, "bob@x.org"), dave_id = git_history_ident_find(w.h, "dave@fork.org");
	git_history_view_set(v, idx(&w, &w.c0));
	cr_assert_eq(git_history_author_first_time(v, bob_id), INT64_MIN);
	git_history_view_set(v, idx(&w, &w.c1));
	cr_assert_eq(git_history_author_first_time(v, bob_id), (T0 + DAY) * US);
	git_history_view_set(v, idx(&w, &w.r1));
	cr_assert_eq(git_history_author_first_time(v, dave_id), INT64_MIN);
	cr_assert_eq(git_history_author_commits(v, bob_id, INT64_MIN, INT64_MAX), 3);
	cr_assert_eq(git_history_author_commits(v, bob_id, (T0 + 2 * DAY) * US, INT64_MAX), 2);
	git_history_view_set(v, idx(&w, &w.p1));
	cr_assert_eq(git_history_author_first_time(v, dave_id), (T0 + 8 * DAY) * US);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, keeps_repository_totals_per_commit)
{
	struct world w;
	build_world(&w);
	struct git_history_totals t;
	git_history_totals_at(&t, w.h, idx(&w, &w.c0), 0);
	cr_assert_eq(t.sum.src_files, 2);
	cr_assert_eq(t.sum.src_sloc, 23);
	cr_assert_eq(t.sum.test_files, 1);
	cr_assert_eq(t.sum.test_sloc, 4);
	cr_assert_eq(t.sum.test_cases, 2);
	cr_assert_eq(t.sum.test_asserts, 2);
	cr_assert_eq(t.doc_files, 1);
	cr_assert_eq(t.ci_files, 1);
	cr_assert_eq(t.other_files, 1);
	git_history_totals_at(&t, w.h, idx(&w, &w.c3), 0);
	cr_assert_eq(t.sum.src_files, 3);
	cr_assert_eq(t.sum.src_sloc, 26);
	cr_assert_eq(t.sum.test_sloc, 6);
	cr_assert_eq(t.sum.test_cases, 3);
	cr_assert_eq(t.other_files, 0);
	git_history_totals_at(&t, w.h, idx(&w, &w.r1), 0);
	cr_assert_eq(t.sum.src_sloc, 26);
	cr_assert_eq(t.sum.src_files, 3);
	git_history_totals_at(&t, w.h, idx(&w, &w.p1), 0);
	cr_assert_eq(t.sum.test_cases, 4);
	cr_assert_eq(t.sum.test_asserts, 4);
	cr_assert_eq(t.sum.test_sloc, 8);
	git_history_totals_at(&t, w.h, idx(&w, &w.p1), 1ull << GIT_LANG_GO);
	cr_assert_eq(t.sum.src_sloc, 0);
	cr_assert_eq(git_history_main_language(w.h, idx(&w, &w.r1)), GIT_LANG_PYTHON);
	const struct git_history_commit *r1 = git_history_commit(w.h, idx(&w, &w.r1));
	cr_assert_eq(r1->first_time, T0 * US);
	cr_assert_eq(r1->commit_time - r1->first_time, 9 * DAY * US);
	free_world(&w);
}

Test(history, update_appends_only_new_commits)
{
	struct world w;
	build_world(&w);
	struct err e = ERR_INIT;
	struct git_history_update_stats st;
	cr_assert_eq(git_history_update(w.h, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 0);
	struct rb_file f[] = { { "src/util.py", "def f():\n    return 1\n\n", 0 } };
	git_oid n1 = rb_commit(w.repo, "refs/heads/main", &w.r1, f, 1, carol, T0 + 10 * DAY);
	cr_assert_eq(git_history_update(w.h, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 1);
	uint32_t c = idx(&w, &n1);
	cr_assert_eq(c, 10);
	const struct git_history_change *ch = change_of(&w, &n1, "src/util.py");
	cr_assert_eq(ch->added, 2);
	cr_assert_eq(ch->deleted, 1);
	struct git_history_view *v = git_history_view_new(w.h);
	git_history_view_set(v, c);
	cr_assert_eq(git_history_view_size(v), 10);
	uint32_t util = pid(&w, "src/util.py");
	cr_assert_eq(git_history_file_commits(v, &util, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 4);
	git_history_view_free(v);
	free_world(&w);
}
