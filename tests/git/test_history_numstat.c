/*
 * The index's per-file line counts agree with git's own: a random history
 * (edits, adds, deletes, a binary file, merges of side branches) is built with
 * libgit2, and every (commit, path, added, deleted) of the index is compared
 * with `git log --all --numstat --no-renames --diff-merges=first-parent`.
 * The history never deletes and adds files in one commit, so that there are
 * no renames for --no-renames to split.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/xalloc.h"
#include "git/history.h"
#include "testsupport.h"
#include "repo_builder.h"

#define NFILES 24
#define MAXLINES 200

struct sim {
	char *lines[NFILES][MAXLINES];
	int n[NFILES];
	int live[NFILES];
	uint64_t rng;
};

static uint64_t rnd(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static char *content(struct sim *s, int f)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < s->n[f]; i++)
		buf_addstr(&b, s->lines[f][i]);
	return buf_detach(&b, NULL);
}

static void edit_file(struct sim *s, int f)
{
	int ops = 1 + (int)(rnd(s) % 5);
	for (int o = 0; o < ops; o++) {
		int at = s->n[f] ? (int)(rnd(s) % (uint64_t)s->n[f]) : 0;
		int what = (int)(rnd(s) % 3);
		if ((what == 0 || s->n[f] < 3) && s->n[f] < MAXLINES) {
			memmove(&s->lines[f][at + 1], &s->lines[f][at], sizeof(char *) * (size_t)(s->n[f] - at));
			s->lines[f][at] = xasprintf("line %llu\n", (unsigned long long)(rnd(s) % 50));
			s->n[f]++;
		} else if (what == 1 && s->n[f] > 0) {
			free(s->lines[f][at]);
			memmove(&s->lines[f][at], &s->lines[f][at + 1], sizeof(char *) * (size_t)(s->n[f] - at - 1));
			s->n[f]--;
		} else if (s->n[f] > 0) {
			free(s->lines[f][at]);
			s->lines[f][at] = xasprintf("changed %llu\n", (unsigned long long)(rnd(s) % 50));
		}
	}
}

static char fname[NFILES][32];

/* One commit's file edits: 1-3 files edited, sometimes one added or deleted. */
static size_t step(struct sim *s, struct rb_file *out, char **owned)
{
	size_t n = 0;
	int k = 1 + (int)(rnd(s) % 3);
	for (int i = 0; i < k; i++) {
		int f = (int)(rnd(s) % NFILES);
		if (!s->live[f])
			continue;
		edit_file(s, f);
		int dup = 0;
		for (size_t j = 0; j < n; j++)
			dup |= strcmp(out[j].path, fname[f]) == 0;
		if (dup)
			continue;
		owned[n] = content(s, f);
		out[n].path = fname[f];
		out[n].content = owned[n];
		out[n].len = strlen(owned[n]);
		if (out[n].len == 0) {
			free(owned[n]);
			continue; /* an empty content would read as "delete" to the builder */
		}
		n++;
	}
	int r = (int)(rnd(s) % 20), f = (int)(rnd(s) % NFILES);
	if (r == 0 && s->live[f] && n == 0) { /* delete (never in a commit that adds) */
		s->live[f] = 0;
		owned[n] = NULL;
		out[n].path = fname[f];
		out[n].content = NULL;
		out[n++].len = 0;
	}
	return n;
}

Test(history_numstat, agrees_with_git_log_numstat)
{
	if (ts_run(NULL, "git --version >/dev/null 2>&1") != 0)
		cr_skip_test("the git command is not installed; it is this test's reference");
	char *dir = ts_tempdir("numstat");
	git_repository *repo = rb_init(dir, 1);
	struct sim s;
	memset(&s, 0, sizeof(s));
	s.rng = 88172645463325252ull;
	struct rb_person who = { "Dev", "dev@x.org" };
	struct rb_file files[NFILES + 2];
	char *owned[NFILES + 2];
	size_t n = 0;
	for (int f = 0; f < NFILES; f++) {
		if (f % 3)
			snprintf(fname[f], sizeof(fname[f]), "src/m%d/f%d.py", f % 4, f);
		else
			snprintf(fname[f], sizeof(fname[f]), "f%d.txt", f);
		s.n[f] = 5 + (int)(rnd(&s) % 30);
		for (int i = 0; i < s.n[f]; i++)
			s.lines[f][i] = xasprintf("line %d\n", i);
		s.live[f] = 1;
		owned[n] = content(&s, f);
		files[n].path = fname[f];
		files[n].content = owned[n];
		files[n].len = strlen(owned[n]);
		n++;
	}
	static const char bin[] = "GIF89a\0\0\1\2binary";
	files[n].path = "logo.gif";
	files[n].content = bin;
	files[n++].len = sizeof(bin) - 1;
	git_oid head = rb_commit(repo, "refs/heads/main", NULL, files, n, who, 1600000000);
	for (size_t i = 0; i < n; i++)
		if (files[i].content != bin)
			free(owned[i]);
	int64_t t = 1600000000;
	for (int c = 0; c < 150; c++) {
		t += 3600;
		if (c % 25 == 24) { /* a side branch of two commits merged back */
			git_oid side = head;
			for (int k = 0; k < 2; k++) {
				n = step(&s, files, owned);
				side = rb_commit(repo, NULL, &side, files, n, who, t + k);
				for (size_t i = 0; i < n; i++)
					free(owned[i]);
			}
			git_oid ps[2] = { head, side };
			head = rb_commit_by(repo, "refs/heads/main", ps, 2, NULL, 0, who, NULL, t + 10, "merge");
			/* the merge's tree is its first parent's: the side edits stay in the
			 * simulation and show up in the next commit of main */
			continue;
		}
		n = step(&s, files, owned);
		if (c == 70) {
			static const char bin2[] = "GIF89a\0\0\3\4other";
			files[n].path = "logo.gif";
			files[n].content = bin2;
			files[n++].len = sizeof(bin2) - 1;
			owned[n - 1] = NULL;
		}
		head = rb_commit(repo, "refs/heads/main", &head, files, n, who, t);
		for (size_t i = 0; i < n; i++)
			free(owned[i]);
	}

	struct err e = ERR_INIT;
	struct git_history *h = NULL;
	cr_assert_eq(git_history_open(&h, repo, NULL, NULL, &e), 0, "%s", e.msg);
	/* our side: "sha path added deleted" lines, binary as "- -" */
	struct buf ours = BUF_INIT;
	size_t changes = 0;
	for (uint32_t c = 0; c < git_history_count(h); c++) {
		char hex[41];
		rb_hex(hex, &git_history_commit(h, c)->oid);
		uint32_t nc;
		const struct git_history_change *ch = git_history_changes(h, c, &nc);
		for (uint32_t i = 0; i < nc; i++, changes++) {
			cr_assert_neq(ch[i].status, GIT_HISTORY_RENAMED, "no renames expected");
			const char *p = git_history_path(h, ch[i].path)->path;
			if (ch[i].flags & GIT_HISTORY_F_BINARY)
				buf_addf(&ours, "%s %s - -\n", hex, p);
			else
				buf_addf(&ours, "%s %s %u %u\n", hex, p, ch[i].added, ch[i].deleted);
		}
	}
	cr_assert_gt(changes, 300);
	char *path = xasprintf("%s/ours.txt", dir);
	FILE *f = fopen(path, "w");
	fputs(buf_cstr(&ours), f);
	fclose(f);
	char *out = NULL;
	int rc = ts_run(&out,
			"cd %s && git log --all --numstat --no-renames --diff-merges=first-parent --format='C %%H' | "
			"awk '$1 == \"C\" { c = $2; next } NF == 3 { print c, $3, $1, $2 }' | sort > theirs.txt && "
			"sort ours.txt > ours.sorted && diff ours.sorted theirs.txt",
			dir);
	cr_assert_eq(rc, 0, "the index and git log --numstat differ:\n%s", out ? out : "");
	free(out);
	free(path);
	buf_release(&ours);
	git_history_free(h);
	git_repository_free(repo);
	for (int i = 0; i < NFILES; i++)
		for (int j = 0; j < s.n[i]; j++)
			free(s.lines[i][j]);
	free(dir);
}
