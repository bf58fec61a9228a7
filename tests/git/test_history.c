/*
 * The history index on the repository of history_world.h (C0 .. R1, R1 with
 * no extra files), built here with fixed authors and times. Every expected
 * value is computed by hand from the commits listed there.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include "git/history.h"
#include "testsupport.h"
#include "history_world.h"

#define T0 HW_T0
#define DAY HW_DAY
#define US 1000000LL

struct world {
	struct hw_repo g;
	struct git_history *h;
	struct git_history_update_stats st;
};

static void build_world(struct world *w)
{
	hw_build(&w->g, "history", NULL, 0);
	struct err e = ERR_INIT;
	cr_assert_eq(git_history_new(&w->h, w->g.repo, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_update(w->h, &w->st, &e), 0, "%s", e.msg);
}

static void free_world(struct world *w)
{
	git_history_free(w->h);
	git_repository_free(w->g.repo);
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
	git_history_parents(w.h, idx(&w, &w.g.m2), &n);
	cr_assert_eq(n, 2);
	/* the fork commit is only reachable through refs/pull/1/head */
	cr_assert_neq(git_history_find(w.h, &w.g.p1), GIT_HISTORY_NONE);
	cr_assert_eq(git_history_find_hex(w.h, "not-a-sha"), GIT_HISTORY_NONE);
	char hex[GIT_OID_HEXSZ + 1];
	rb_hex(hex, &w.g.c2);
	cr_assert_eq(git_history_find_hex(w.h, hex), idx(&w, &w.g.c2));
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
	const struct git_history_commit *m2 = git_history_commit(w.h, idx(&w, &w.g.m2));
	const struct git_history_ident *a = git_history_ident(w.h, m2->author);
	const struct git_history_ident *m = git_history_ident(w.h, m2->committer);
	cr_assert_str_eq(a->email, "carol@x.org");
	cr_assert_str_eq(m->name, "Mallory");
	cr_assert_eq(m2->author_time, (T0 + 6 * DAY) * US);
	cr_assert_eq(git_history_ident_find(w.h, "ALICE@X.ORG"), git_history_commit(w.h, idx(&w, &w.g.c0))->author);
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
	git_history_changes(w.h, idx(&w, &w.g.c0), &n);
	cr_assert_eq(n, 6);
	const struct git_history_change *ch = change_of(&w, &w.g.c0, "src/big.py");
	cr_assert_eq(ch->status, GIT_HISTORY_ADDED);
	cr_assert_eq(ch->added, 20);
	ch = change_of(&w, &w.g.c0, "tests/test_app.py");
	cr_assert_eq(ch->tests_added, 2);
	ch = change_of(&w, &w.g.c1, "src/app.py");
	cr_assert_eq(ch->status, GIT_HISTORY_MODIFIED);
	cr_assert_eq(ch->added, 2);
	cr_assert_eq(ch->deleted, 1);
	ch = change_of(&w, &w.g.c2, "tests/test_app.py");
	cr_assert_eq(ch->added, 3);
	cr_assert_eq(ch->deleted, 0);
	cr_assert_eq(ch->tests_added, 1);
	/* a merge is diffed against its first parent only */
	git_history_changes(w.h, idx(&w, &w.g.m2), &n);
	cr_assert_eq(n, 1);
	ch = change_of(&w, &w.g.m2, "src/util.py");
	cr_assert_eq(ch->added, 1);
	cr_assert_eq(ch->deleted, 1);
	free_world(&w);
}

Test(history, counts_renamed_file_once)
{
	struct world w;
	build_world(&w);
	uint32_t n;
	git_history_changes(w.h, idx(&w, &w.g.c2), &n);
	cr_assert_eq(n, 2, "rename + test change, got %u", n);
	const struct git_history_change *ch = change_of(&w, &w.g.c2, "src/main.py");
	cr_assert_eq(ch->status, GIT_HISTORY_RENAMED);
	cr_assert_str_eq(git_history_path(w.h, ch->old_path)->path, "src/app.py");
	cr_assert_eq(ch->added + ch->deleted, 0);
	/* a rename with an edit is found by similarity and diffed */
	git_history_changes(w.h, idx(&w, &w.g.r1), &n);
	cr_assert_eq(n, 1);
	ch = change_of(&w, &w.g.r1, "lib/big.py");
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
	const struct git_history_change *ch = change_of(&w, &w.g.c0, "logo.png");
	cr_assert(ch->flags & GIT_HISTORY_F_BINARY);
	cr_assert_eq(ch->added, 0);
	ch = change_of(&w, &w.g.c3, "logo.png");
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
	git_history_changes(w.h, idx(&w, &w.g.e1), &n);
	cr_assert_eq(n, 0);
	struct git_history_totals a, b;
	git_history_totals_at(&a, w.h, idx(&w, &w.g.e1), 0);
	git_history_totals_at(&b, w.h, idx(&w, &w.g.m2), 0);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
	free_world(&w);
}

Test(history, walks_built_commits_to_merge_build_or_root)
{
	struct world w;
	build_world(&w);
	struct git_history_built b = GIT_HISTORY_BUILT_INIT;
	struct git_history_marks built = GIT_HISTORY_MARKS_INIT;
	git_history_built_commits(&b, w.h, idx(&w, &w.g.r1), &built);
	cr_assert_eq(b.status, GIT_HISTORY_MERGE_FOUND);
	cr_assert_eq(b.n, 3);
	cr_assert_eq(b.commits[0], idx(&w, &w.g.r1));
	cr_assert_eq(b.commits[1], idx(&w, &w.g.e1));
	cr_assert_eq(b.commits[2], idx(&w, &w.g.m2));
	cr_assert_eq(b.prev, GIT_HISTORY_NONE);

	git_history_marks_add(&built, idx(&w, &w.g.e1));
	git_history_built_commits(&b, w.h, idx(&w, &w.g.r1), &built);
	cr_assert_eq(b.status, GIT_HISTORY_BUILD_FOUND);
	cr_assert_eq(b.n, 1);
	cr_assert_eq(b.prev, idx(&w, &w.g.e1));

	git_history_built_commits(&b, w.h, idx(&w, &w.g.c3), NULL);
	cr_assert_eq(b.status, GIT_HISTORY_NO_PREVIOUS_BUILD);
	cr_assert_eq(b.n, 4);
	cr_assert_eq(b.commits[3], idx(&w, &w.g.c0));

	git_history_built_commits(&b, w.h, idx(&w, &w.g.m2), &built);
	cr_assert_eq(b.status, GIT_HISTORY_MERGE_FOUND);
	cr_assert_eq(b.n, 1);

	git_history_marks_add(&built, idx(&w, &w.g.c0));
	git_history_built_commits(&b, w.h, idx(&w, &w.g.c2), &built);
	cr_assert_eq(b.status, GIT_HISTORY_BUILD_FOUND);
	cr_assert_eq(b.n, 2);
	cr_assert_eq(b.prev, idx(&w, &w.g.c0));
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
	uint32_t cs[] = { idx(&w, &w.g.c1), idx(&w, &w.g.c2), idx(&w, &w.g.c3) };
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
	uint32_t root = idx(&w, &w.g.c0);
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
	git_history_view_set(v, idx(&w, &w.g.r1));
	cr_assert_eq(git_history_view_size(v), 9);
	cr_assert_not(git_history_view_contains(v, idx(&w, &w.g.p1)));
	git_history_view_set(v, idx(&w, &w.g.m1));
	cr_assert_eq(git_history_view_size(v), 5);
	cr_assert_not(git_history_view_contains(v, idx(&w, &w.g.f1)));
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
	git_history_view_set(v, idx(&w, &w.g.r1));
	cr_assert_eq(git_history_file_commits(v, &util, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	uint32_t m2 = idx(&w, &w.g.m2);
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
	git_history_view_set(v, idx(&w, &w.g.m1));
	cr_assert_eq(git_history_file_commits(v, &util, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 1);
	git_history_view_set(v, idx(&w, &w.g.p1));
	cr_assert_eq(git_history_file_commits(v, &tests, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, counts_distinct_authors_and_committers_in_a_window)
{
	struct world w;
	build_world(&w);
	struct git_history_view *v = git_history_view_new(w.h);
	git_history_view_set(v, idx(&w, &w.g.r1));
	cr_assert_eq(git_history_idents_in_window(v, (T0 + 4 * DAY) * US, (T0 + 10 * DAY) * US, GIT_HISTORY_AUTHORS, NULL), 3);
	int64_t from = (T0 + 5 * DAY) * US, to = (T0 + 8 * DAY) * US;
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_AUTHORS, NULL), 2);
	uint32_t *ids = NULL;
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_COMMITTERS, &ids), 2);
	cr_assert_str_eq(git_history_ident(w.h, ids[0])->email, "alice@x.org");
	cr_assert_str_eq(git_history_ident(w.h, ids[1])->email, "mallory@x.org");
	free(ids);
	cr_assert_eq(git_history_idents_in_window(v, from, to, GIT_HISTORY_EITHER, NULL), 3);
	git_history_view_set(v, idx(&w, &w.g.p1));
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
	git_history_view_set(v, idx(&w, &w.g.c0));
	cr_assert_eq(git_history_author_first_time(v, bob_id), INT64_MIN);
	git_history_view_set(v, idx(&w, &w.g.c1));
	cr_assert_eq(git_history_author_first_time(v, bob_id), (T0 + DAY) * US);
	git_history_view_set(v, idx(&w, &w.g.r1));
	cr_assert_eq(git_history_author_first_time(v, dave_id), INT64_MIN);
	cr_assert_eq(git_history_author_commits(v, bob_id, INT64_MIN, INT64_MAX), 3);
	cr_assert_eq(git_history_author_commits(v, bob_id, (T0 + 2 * DAY) * US, INT64_MAX), 2);
	git_history_view_set(v, idx(&w, &w.g.p1));
	cr_assert_eq(git_history_author_first_time(v, dave_id), (T0 + 8 * DAY) * US);
	git_history_view_free(v);
	free_world(&w);
}

Test(history, keeps_repository_totals_per_commit)
{
	struct world w;
	build_world(&w);
	struct git_history_totals t;
	git_history_totals_at(&t, w.h, idx(&w, &w.g.c0), 0);
	cr_assert_eq(t.sum.src_files, 2);
	cr_assert_eq(t.sum.src_sloc, 23);
	cr_assert_eq(t.sum.test_files, 1);
	cr_assert_eq(t.sum.test_sloc, 4);
	cr_assert_eq(t.sum.test_cases, 2);
	cr_assert_eq(t.sum.test_asserts, 2);
	cr_assert_eq(t.doc_files, 1);
	cr_assert_eq(t.ci_files, 1);
	cr_assert_eq(t.other_files, 1);
	git_history_totals_at(&t, w.h, idx(&w, &w.g.c3), 0);
	cr_assert_eq(t.sum.src_files, 3);
	cr_assert_eq(t.sum.src_sloc, 26);
	cr_assert_eq(t.sum.test_sloc, 6);
	cr_assert_eq(t.sum.test_cases, 3);
	cr_assert_eq(t.other_files, 0);
	git_history_totals_at(&t, w.h, idx(&w, &w.g.r1), 0);
	cr_assert_eq(t.sum.src_sloc, 26);
	cr_assert_eq(t.sum.src_files, 3);
	git_history_totals_at(&t, w.h, idx(&w, &w.g.p1), 0);
	cr_assert_eq(t.sum.test_cases, 4);
	cr_assert_eq(t.sum.test_asserts, 4);
	cr_assert_eq(t.sum.test_sloc, 8);
	git_history_totals_at(&t, w.h, idx(&w, &w.g.p1), 1ull << GIT_LANG_GO);
	cr_assert_eq(t.sum.src_sloc, 0);
	cr_assert_eq(git_history_main_language(w.h, idx(&w, &w.g.r1)), GIT_LANG_PYTHON);
	const struct git_history_commit *r1 = git_history_commit(w.h, idx(&w, &w.g.r1));
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
	git_oid n1 = rb_commit(w.g.repo, "refs/heads/main", &w.g.r1, f, 1, hw_carol, T0 + 10 * DAY);
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
