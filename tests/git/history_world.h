/*
 * The repository of the history tests, shared by tests/git/test_history.c
 * (the index) and tests/features/test_git_features.c (the git features over
 * it), so that both work their expected values out from the same commits:
 *
 *   C0 alice  T0      add src/app.py (5 lines, 3 code), src/big.py (20 code),
 *                     tests/test_app.py (5 lines, 4 code, 2 tests, 2 asserts),
 *                     README.md, logo.png (binary), .github/workflows/ci.yml
 *   C1 bob    T0+1d   src/app.py +2 -1 (4 code lines)
 *   C2 alice  T0+2d   src/app.py -> src/main.py (exact rename);
 *                     tests/test_app.py +3 (one more test: 6 code, 3 tests)
 *   C3 carol  T0+3d   delete logo.png; add src/util.py (2 code lines)
 *   F1 bob    T0+4d   (branch feature, from C3) src/util.py +1 -1
 *   M1 alice  T0+5d   (main, from C3) README.md +1
 *   M2 carol  T0+6d   merge M1 + F1 committed by mallory: against M1, util.py +1 -1
 *   E1 alice  T0+7d   empty commit
 *   P1 dave   T0+8d   (refs/pull/1/head only, from E1) tests/test_app.py +3 (4 tests)
 *   R1 bob    T0+9d   (main, from E1) src/big.py -> lib/big.py with one line
 *                     changed (+1 -1), plus the caller's extra files
 *
 * Header-only (static functions), like repo_builder.h.
 */
#ifndef TESTS_GIT_HISTORY_WORLD_H
#define TESTS_GIT_HISTORY_WORLD_H
#include <stdio.h>
#include <stdlib.h>
#include "repo_builder.h"
#include "testsupport.h"

#define HW_T0 1600000000LL /* seconds since the epoch */
#define HW_DAY 86400LL

static const struct rb_person hw_alice = { "Alice", "alice@x.org" };
static const struct rb_person hw_bob = { "Bob", "bob@x.org" };
static const struct rb_person hw_carol = { "Carol", "carol@x.org" };
static const struct rb_person hw_dave = { "Dave", "dave@fork.org" };
static const struct rb_person hw_mallory = { "Mallory", "mallory@x.org" };

/* tests/test_app.py as C0 made it: two tests. */
static const char hw_test_v1[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n";

struct hw_repo {
	git_repository *repo; /* bare, in a fresh temporary folder */
	git_oid c0, c1, c2, c3, f1, m1, m2, e1, p1, r1;
};

/* src/big.py: twenty code lines, line changed_line (0: none) negated. */
static inline void hw_big_py(char *out, int changed_line)
{
	out[0] = '\0';
	for (int i = 1; i <= 20; i++) {
		char line[32];
		snprintf(line, sizeof(line), i == changed_line ? "v%d = -%d\n" : "v%d = %d\n", i, i);
		strcat(out, line);
	}
}

/*
 * Builds C0..R1 above in a temporary folder named after tmp_name; R1 also
 * applies r1_more (n_more <= 4 edits, may be NULL).
 */
static inline void hw_build(struct hw_repo *w, const char *tmp_name, const struct rb_file *r1_more, size_t n_more)
{
	static const char app_v1[] = "import os\n\n# comment\ndef main():\n    return 1\n";
	static const char app_v2[] = "import os\n\n# comment\ndef main():\n    return 2\nx = 3\n";
	static const char test_v2[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n"
				      "\ndef test_three():\n    assert 3\n";
	static const char test_v3[] = "def test_one():\n    assert 1\n\ndef test_two():\n    assert 2\n"
				      "\ndef test_three():\n    assert 3\n\ndef test_four():\n    assert 4\n";
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	char *dir = ts_tempdir(tmp_name);
	w->repo = rb_init(dir, 1);
	free(dir);
	char big1[512], big2[512];
	hw_big_py(big1, 0);
	hw_big_py(big2, 10);
	struct rb_file f0[] = {
		{ "src/app.py", app_v1, 0 },	     { "src/big.py", big1, 0 },
		{ "tests/test_app.py", hw_test_v1, 0 }, { "README.md", "hello\n", 0 },
		{ "logo.png", png, sizeof(png) - 1 }, { ".github/workflows/ci.yml", "on: push\n", 0 },
	};
	w->c0 = rb_commit(w->repo, NULL, NULL, f0, RB_N(f0), hw_alice, HW_T0);
	struct rb_file f1[] = { { "src/app.py", app_v2, 0 } };
	w->c1 = rb_commit(w->repo, NULL, &w->c0, f1, 1, hw_bob, HW_T0 + HW_DAY);
	struct rb_file f2[] = { { "src/app.py", NULL, 0 }, { "src/main.py", app_v2, 0 }, { "tests/test_app.py", test_v2, 0 } };
	w->c2 = rb_commit(w->repo, NULL, &w->c1, f2, RB_N(f2), hw_alice, HW_T0 + 2 * HW_DAY);
	struct rb_file f3[] = { { "logo.png", NULL, 0 }, { "src/util.py", "def f():\n    pass\n", 0 } };
	w->c3 = rb_commit(w->repo, NULL, &w->c2, f3, RB_N(f3), hw_carol, HW_T0 + 3 * HW_DAY);
	struct rb_file ff[] = { { "src/util.py", "def f():\n    return 0\n", 0 } };
	w->f1 = rb_commit(w->repo, "refs/heads/feature", &w->c3, ff, 1, hw_bob, HW_T0 + 4 * HW_DAY);
	struct rb_file fm[] = { { "README.md", "hello\nworld\n", 0 } };
	w->m1 = rb_commit(w->repo, NULL, &w->c3, fm, 1, hw_alice, HW_T0 + 5 * HW_DAY);
	git_oid mp[2] = { w->m1, w->f1 };
	w->m2 = rb_commit_by(w->repo, NULL, mp, 2, ff, 1, hw_carol, &hw_mallory, HW_T0 + 6 * HW_DAY, "Merge feature");
	w->e1 = rb_commit(w->repo, NULL, &w->m2, NULL, 0, hw_alice, HW_T0 + 7 * HW_DAY);
	struct rb_file fp[] = { { "tests/test_app.py", test_v3, 0 } };
	w->p1 = rb_commit(w->repo, "refs/pull/1/head", &w->e1, fp, 1, hw_dave, HW_T0 + 8 * HW_DAY);
	struct rb_file fr[6] = { { "src/big.py", NULL, 0 }, { "lib/big.py", big2, 0 } };
	cr_assert(n_more <= RB_N(fr) - 2, "R1 takes at most %zu extra files", RB_N(fr) - 2);
	for (size_t i = 0; i < n_more; i++)
		fr[2 + i] = r1_more[i];
	w->r1 = rb_commit(w->repo, "refs/heads/main", &w->e1, fr, 2 + n_more, hw_bob, HW_T0 + 9 * HW_DAY);
}

#endif
