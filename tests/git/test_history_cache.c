/* The history index cache file: round trip, incremental reuse, and refusal
 * of damaged or foreign files (which must cost time, never change a value). */
#include <criterion/criterion.h>
#include <stdio.h>
#include "core/fs.h"
#include "git/history.h"
#include "testsupport.h"
#include "repo_builder.h"

#define T0 1600000000LL

static const struct rb_person alice = { "Alice", "alice@x.org" };
static const struct rb_person bob = { "Bob", "bob@x.org" };

struct small {
	char *dir, *cache;
	git_repository *repo;
	git_oid c[4];
};

static void make_small_at(struct small *s, const char *tag, int64_t t0)
{
	s->dir = ts_tempdir(tag);
	char *rp = fs_join(s->dir, "r.git");
	s->repo = rb_init(rp, 1);
	free(rp);
	s->cache = fs_join(s->dir, "history.idx");
	struct rb_file f0[] = { { "src/a.py", "def a():\n    return 1\n", 0 }, { "tests/test_a.py", "def test_a():\n    assert a()\n", 0 } };
	s->c[0] = rb_commit(s->repo, "refs/heads/main", NULL, f0, 2, alice, t0);
	struct rb_file f1[] = { { "src/a.py", "def a():\n    return 2\n", 0 } };
	s->c[1] = rb_commit(s->repo, "refs/heads/main", &s->c[0], f1, 1, bob, t0 + 100);
	struct rb_file f2[] = { { "src/a.py", NULL, 0 }, { "src/b.py", "def a():\n    return 2\n", 0 } };
	s->c[2] = rb_commit(s->repo, "refs/heads/main", &s->c[1], f2, 2, alice, t0 + 200);
}

static void make_small(struct small *s, const char *tag)
{
	make_small_at(s, tag, T0);
}

static void free_small(struct small *s)
{
	git_repository_free(s->repo);
	free(s->dir);
	free(s->cache);
}

static void assert_same(const struct git_history *a, const struct git_history *b)
{
	cr_assert_eq(git_history_count(a), git_history_count(b));
	cr_assert_eq(git_history_path_count(a), git_history_path_count(b));
	for (uint32_t c = 0; c < git_history_count(a); c++) {
		cr_assert_eq(memcmp(git_history_commit(a, c), git_history_commit(b, c), sizeof(struct git_history_commit)), 0,
			     "commit %u differs", c);
		uint32_t na, nb;
		const struct git_history_change *ca = git_history_changes(a, c, &na), *cb = git_history_changes(b, c, &nb);
		cr_assert_eq(na, nb);
		cr_assert_eq(memcmp(ca, cb, na * sizeof(*ca)), 0);
		struct git_history_totals ta, tb;
		git_history_totals_at(&ta, a, c, 0);
		git_history_totals_at(&tb, b, c, 0);
		cr_assert_eq(memcmp(&ta, &tb, sizeof(ta)), 0);
	}
	for (uint32_t p = 0; p < git_history_path_count(a); p++) {
		cr_assert_str_eq(git_history_path(a, p)->path, git_history_path(b, p)->path);
		cr_assert_eq(git_history_path(a, p)->ncommits, git_history_path(b, p)->ncommits);
	}
	cr_assert_eq(git_history_ident_find(a, "bob@x.org"), git_history_ident_find(b, "bob@x.org"));
}

Test(history_cache, round_trips_the_index)
{
	struct small s;
	make_small(&s, "hcache");
	struct err e = ERR_INIT;
	struct git_history *a = NULL, *b = NULL;
	cr_assert_eq(git_history_new(&a, s.repo, &e), 0);
	cr_assert_eq(git_history_update(a, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_save(a, s.cache, &e), 0, "%s", e.msg);
	int loaded = 0;
	cr_assert_eq(git_history_new(&b, s.repo, &e), 0);
	cr_assert_eq(git_history_load(b, s.cache, &loaded, &e), 0, "%s", e.msg);
	cr_assert_eq(loaded, 1);
	assert_same(a, b);
	struct git_history_view *v = git_history_view_new(b);
	git_history_view_set(v, 2);
	uint32_t p = git_history_path_find(b, "src/a.py");
	cr_assert_eq(git_history_file_commits(v, &p, 1, INT64_MIN, INT64_MAX, NULL, 0, GIT_HISTORY_NONE, NULL), 3);
	git_history_view_free(v);
	git_history_free(a);
	git_history_free(b);
	free_small(&s);
}

Test(history_cache, reuses_the_file_and_indexes_only_new_commits)
{
	struct small s;
	make_small(&s, "hcache");
	struct err e = ERR_INIT;
	struct git_history *h = NULL;
	struct git_history_update_stats st;
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 3);
	cr_assert(fs_exists(s.cache));
	git_history_free(h);
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 0, "everything came from the file");
	cr_assert_eq(git_history_count(h), 3);
	git_history_free(h);
	struct rb_file f[] = { { "src/b.py", "def a():\n    return 3\n", 0 } };
	s.c[3] = rb_commit(s.repo, "refs/heads/main", &s.c[2], f, 1, bob, T0 + 300);
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 1);
	cr_assert_eq(st.blobs_counted, 1, "blob counts of older commits came from the file");
	struct git_history *fresh = NULL;
	cr_assert_eq(git_history_open(&fresh, s.repo, NULL, NULL, &e), 0, "%s", e.msg);
	assert_same(h, fresh);
	git_history_free(fresh);
	git_history_free(h);
	free_small(&s);
}

Test(history_cache, ignores_damaged_and_foreign_files)
{
	struct small s, other;
	make_small(&s, "hcache");
	make_small_at(&other, "hcache2", T0 + 5000); /* other commit ids */
	struct err e = ERR_INIT;
	struct git_history *h = NULL;
	struct git_history_update_stats st;
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	git_history_free(h);
	/* truncated */
	struct buf b = BUF_INIT;
	cr_assert_eq(fs_read_file(s.cache, &b, 0, &e), 0);
	cr_assert_eq(fs_write_atomic(s.cache, b.data, b.len - 7, &e), 0);
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 3, "rebuilt from scratch");
	git_history_free(h);
	/* garbage */
	cr_assert_eq(fs_write_atomic(s.cache, "CIMHIST\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 44, &e), 0);
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(st.commits_added, 3);
	git_history_free(h);
	/* a cache written for another repository */
	cr_assert_eq(git_history_open(&h, s.repo, s.cache, &st, &e), 0, "%s", e.msg);
	git_history_free(h);
	cr_assert_eq(git_history_open(&h, other.repo, s.cache, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_count(h), 3, "not 3 + 3: the foreign commits were dropped");
	cr_assert(git_history_find(h, &other.c[0]) != GIT_HISTORY_NONE);
	cr_assert(git_history_find(h, &s.c[0]) == GIT_HISTORY_NONE);
	git_history_free(h);
	struct git_history *fresh = NULL;
	cr_assert_eq(git_history_open(&fresh, other.repo, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_open(&h, other.repo, s.cache, &st, &e), 0, "%s", e.msg);
	assert_same(h, fresh);
	git_history_free(h);
	git_history_free(fresh);
	buf_release(&b);
	free_small(&s);
	free_small(&other);
}
