/*
 * Benchmark of the git history index (issue 6, "Performance").
 *
 *   bench_git gen DIR [commits] [authors] [files]   writes a bare repository
 *   bench_git index DIR [builds]                     indexes it, then runs the
 *                                                    per-build query mix
 *
 * gen writes objects straight into an in-memory object database (libgit2's
 * mempack) and dumps it as a pack every few thousand commits, so a 20,000
 * commit history takes seconds instead of a loose-object crawl. History shape:
 * about 2,000 files in 40 modules (Python sources, tests, docs, CI files), 50
 * authors with skewed activity, commits touching 1-4 files (popular files more
 * often), occasional adds, deletes and renames, pull-request branches merged
 * with a merge commit (refs/pull/N/head kept) and some never merged.
 *
 * bench/git_index.sh runs both and prints the index time next to
 * `git log --numstat --no-renames` over the same history.
 */
#include "bench.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "git/history.h"
#include <git2.h>
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define NMOD 40
#define MAXF 4096

struct file {
	char path[96];
	char **lines;
	int n;
	int live;
	int dir; /* index into dirs */
	git_oid oid;
};

struct gen {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *mempack;
	uint64_t rng;
	struct file files[MAXF];
	int nfiles;
	int64_t t;
	int nauthors;
	git_oid head;
	int have_head;
	char **refs;
	git_oid *ref_oids;
	size_t nrefs, refs_cap, ref_oids_cap;
	size_t since_dump;
	/* folder trees of the previous commit, rebuilt only when a file below changed */
	struct dirtree {
		char *prefix;
		git_oid oid;
		int dirty;
	} dirs[256];
	int ndirs;
	int *sorted; /* live files by path, rebuilt when files come or go */
	int nsorted, sorted_valid;
};

static uint64_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

static int below(struct gen *g, int n)
{
	return (int)(rnd(g) % (uint64_t)n);
}

static void die(const char *what)
{
	const git_error *e = git_error_last();
	fprintf(stderr, "bench_git: %s: %s\n", what, e ? e->message : "?");
	exit(1);
}

static struct dirtree *dir_of(struct gen *g, const char *prefix, size_t len)
{
	for (int i = 0; i < g->ndirs; i++)
		if (strlen(g->dirs[i].prefix) == len && strncmp(g->dirs[i].prefix, prefix, len) == 0)
			return &g->dirs[i];
	if (g->ndirs == 256)
		die("too many folders");
	struct dirtree *d = &g->dirs[g->ndirs++];
	d->prefix = xstrndup(prefix, len);
	d->dirty = 1;
	return d;
}

/* A file below changed: its folders' trees must be written again. */
static void touch_path(struct gen *g, const char *path)
{
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
		dir_of(g, path, (size_t)(s - path + 1))->dirty = 1;
}

static char *random_line(struct gen *g)
{
	static const char *const kinds[] = { "    x%d = compute(%d, %d)\n", "    # note %d about %d %d\n",
					     "def f%d(a, b=%d):\n", "\n", "    return a + %d * %d\n",
					     "    assert value_%d == %d, %d\n" };
	int k = below(g, 6);
	return xasprintf(kinds[k], below(g, 1000), below(g, 1000), below(g, 1000));
}

static void add_file(struct gen *g, const char *path, int nlines)
{
	struct file *f = &g->files[g->nfiles++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->n = nlines;
	f->lines = xcalloc((size_t)nlines + 64, sizeof(char *));
	for (int i = 0; i < nlines; i++)
		f->lines[i] = random_line(g);
	f->live = 1;
	g->sorted_valid = 0;
	touch_path(g, path);
	if (strncmp(path, "tests/", 6) == 0 && nlines > 0) {
		free(f->lines[0]);
		f->lines[0] = xasprintf("def test_case_%d():\n", below(g, 100000));
	}
}

static void write_blob(struct gen *g, struct file *f)
{
	size_t len = 0;
	for (int i = 0; i < f->n; i++)
		len += strlen(f->lines[i]);
	char *buf = xmalloc(len + 1), *p = buf;
	for (int i = 0; i < f->n; i++) {
		size_t l = strlen(f->lines[i]);
		memcpy(p, f->lines[i], l);
		p += l;
	}
	if (git_odb_write(&f->oid, g->odb, buf, len, GIT_OBJECT_BLOB) < 0)
		die("blob");
	touch_path(g, f->path);
	free(buf);
}

/* Builds the tree of every live file (recursively by path prefix). */
static void build_tree(struct gen *g, git_oid *out, const char *prefix, int *idx, int n)
{
	git_treebuilder *tb = NULL;
	if (git_treebuilder_new(&tb, g->repo, NULL) < 0)
		die("treebuilder");
	size_t pl = strlen(prefix);
	int i = 0;
	while (i < n) {
		struct file *f = &g->files[idx[i]];
		const char *rest = f->path + pl;
		const char *slash = strchr(rest, '/');
		if (!slash) {
			git_treebuilder_insert(NULL, tb, rest, &f->oid, GIT_FILEMODE_BLOB);
			i++;
			continue;
		}
		size_t dl = (size_t)(slash - rest);
		int j = i;
		while (j < n && strncmp(g->files[idx[j]].path + pl, rest, dl + 1) == 0)
			j++;
		char *sub = xasprintf("%.*s", (int)(pl + dl + 1), f->path);
		struct dirtree *d = dir_of(g, sub, strlen(sub));
		if (d->dirty) {
			build_tree(g, &d->oid, sub, idx + i, j - i);
			d->dirty = 0;
		}
		git_oid st = d->oid;
		char *name = xstrndup(rest, dl);
		git_treebuilder_insert(NULL, tb, name, &st, GIT_FILEMODE_TREE);
		free(name);
		free(sub);
		i = j;
	}
	if (git_treebuilder_write(out, tb) < 0)
		die("tree");
	git_treebuilder_free(tb);
}

static int by_path(const void *a, const void *b, void *ctx)
{
	const struct gen *g = ctx;
	return strcmp(g->files[*(const int *)a].path, g->files[*(const int *)b].path);
}

static void root_tree(struct gen *g, git_oid *out)
{
	if (!g->sorted_valid) {
		g->sorted = xrealloc(g->sorted, sizeof(int) * (size_t)g->nfiles);
		g->nsorted = 0;
		for (int i = 0; i < g->nfiles; i++)
			if (g->files[i].live)
				g->sorted[g->nsorted++] = i;
		qsort_r(g->sorted, (size_t)g->nsorted, sizeof(int), by_path, g);
		g->sorted_valid = 1;
	}
	build_tree(g, out, "", g->sorted, g->nsorted);
}

static void set_ref(struct gen *g, const char *name, const git_oid *oid)
{
	for (size_t i = 0; i < g->nrefs; i++)
		if (strcmp(g->refs[i], name) == 0) {
			g->ref_oids[i] = *oid;
			return;
		}
	xgrow((void **)&g->refs, &g->refs_cap, g->nrefs + 1, sizeof(char *));
	xgrow((void **)&g->ref_oids, &g->ref_oids_cap, g->nrefs + 1, sizeof(git_oid));
	g->refs[g->nrefs] = xstrdup(name);
	g->ref_oids[g->nrefs++] = *oid;
}

/* Writes the mempack out as a pack and empties it. */
static void dump(struct gen *g)
{
	git_buf pack = { 0 };
	if (git_mempack_dump(&pack, g->repo, g->mempack) < 0)
		die("mempack dump");
	char *dir = xasprintf("%sobjects/pack", git_repository_path(g->repo));
	git_indexer *ix = NULL;
	git_indexer_progress prog;
	if (git_indexer_new(&ix, dir, 0, NULL, NULL) < 0 || git_indexer_append(ix, pack.ptr, pack.size, &prog) < 0 ||
	    git_indexer_commit(ix, &prog) < 0)
		die("indexing pack");
	git_indexer_free(ix);
	git_buf_dispose(&pack);
	free(dir);
	git_mempack_reset(g->mempack);
	git_odb_refresh(g->odb);
	g->since_dump = 0;
}

static git_oid commit(struct gen *g, const git_oid *parents, size_t np, int author)
{
	git_oid tree, out;
	root_tree(g, &tree);
	char name[32], email[48];
	snprintf(name, sizeof(name), "Dev %d", author);
	snprintf(email, sizeof(email), "dev%d@example.org", author);
	git_signature *sig = NULL;
	git_signature_new(&sig, name, email, (git_time_t)(g->t / USEC_PER_SEC), 0);
	const git_oid *ps[2] = { np > 0 ? &parents[0] : NULL, np > 1 ? &parents[1] : NULL };
	if (git_commit_create_from_ids(&out, g->repo, NULL, sig, sig, NULL, "change", &tree, np, ps) < 0)
		die("commit");
	git_signature_free(sig);
	g->t += (int64_t)(600 + below(g, 6600)) * USEC_PER_SEC;
	if (++g->since_dump >= 2000)
		dump(g);
	return out;
}

/* Popular files change more often: pick the smaller of two uniform draws. */
static struct file *pick_file(struct gen *g)
{
	for (;;) {
		int a = below(g, g->nfiles), b = below(g, g->nfiles);
		struct file *f = &g->files[a < b ? a : b];
		if (f->live)
			return f;
	}
}

static void edit(struct gen *g)
{
	int nf = 1 + below(g, 4);
	for (int k = 0; k < nf; k++) {
		struct file *f = pick_file(g);
		int ops = 1 + below(g, 6);
		for (int o = 0; o < ops; o++) {
			int at = f->n ? below(g, f->n) : 0;
			int what = below(g, 3);
			if (what == 0 || f->n < 5) { /* insert */
				f->lines = xrealloc(f->lines, sizeof(char *) * ((size_t)f->n + 2));
				memmove(f->lines + at + 1, f->lines + at, sizeof(char *) * (size_t)(f->n - at));
				f->lines[at] = random_line(g);
				f->n++;
			} else if (what == 1) { /* delete */
				free(f->lines[at]);
				memmove(f->lines + at, f->lines + at + 1, sizeof(char *) * (size_t)(f->n - at - 1));
				f->n--;
			} else { /* replace */
				free(f->lines[at]);
				f->lines[at] = random_line(g);
			}
		}
		write_blob(g, f);
	}
	int r = below(g, 1000);
	if (r < 15 && g->nfiles < MAXF) { /* add a file */
		char path[96];
		snprintf(path, sizeof(path), "src/mod%02d/new_%d.py", below(g, NMOD), g->nfiles);
		add_file(g, path, 20 + below(g, 80));
		write_blob(g, &g->files[g->nfiles - 1]);
	} else if (r < 22) { /* delete a file */
		struct file *f = pick_file(g);
		f->live = 0;
		g->sorted_valid = 0;
		touch_path(g, f->path);
	} else if (r < 27 && g->nfiles < MAXF) { /* rename a file */
		struct file *f = pick_file(g);
		char path[96];
		snprintf(path, sizeof(path), "src/mod%02d/moved_%d.py", below(g, NMOD), g->nfiles);
		add_file(g, path, 0);
		struct file *nf = &g->files[g->nfiles - 1];
		free(nf->lines);
		nf->lines = f->lines;
		nf->n = f->n;
		nf->oid = f->oid;
		f->lines = xcalloc(1, sizeof(char *));
		f->n = 0;
		f->live = 0;
		touch_path(g, f->path);
	}
}

static int gen_main(const char *dir, int ncommits, int nauthors, int nfiles)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	g->rng = 0x9e3779b97f4a7c15ull;
	g->nauthors = nauthors;
	utc_parse(&g->t, "2019-01-01T00:00:00Z", NULL);
	if (git_repository_init(&g->repo, dir, 1) < 0 || git_repository_odb(&g->odb, g->repo) < 0 ||
	    git_mempack_new(&g->mempack) < 0 || git_odb_add_backend(g->odb, g->mempack, 999) < 0)
		die("init");
	int per_mod = (nfiles - 60) / NMOD;
	for (int m = 0; m < NMOD; m++)
		for (int i = 0; i < per_mod; i++) {
			char path[96];
			if (i < per_mod / 5)
				snprintf(path, sizeof(path), "tests/mod%02d/test_f%02d.py", m, i);
			else
				snprintf(path, sizeof(path), "src/mod%02d/f%02d.py", m, i);
			add_file(g, path, 30 + below(g, 120));
		}
	for (int i = 0; i < 55; i++) {
		char path[96];
		snprintf(path, sizeof(path), "docs/page%02d.md", i);
		add_file(g, path, 10 + below(g, 60));
	}
	add_file(g, ".github/workflows/ci.yml", 30);
	add_file(g, "Dockerfile", 12);
	add_file(g, "Makefile", 25);
	add_file(g, "README.md", 40);
	add_file(g, "setup.py", 30);
	for (int i = 0; i < g->nfiles; i++)
		write_blob(g, &g->files[i]);
	int made = 0, pr = 0;
	/* author activity is skewed: a few core developers make most commits */
	while (made < ncommits) {
		int author = below(g, 1 + below(g, nauthors));
		int roll = below(g, 100);
		if (g->have_head && roll < 12 && ncommits - made > 8) {
			int len = 1 + below(g, 4);
			git_oid tip = g->head, base = g->head;
			for (int k = 0; k < len; k++) {
				edit(g);
				tip = commit(g, &tip, 1, author);
				made++;
			}
			char ref[64];
			snprintf(ref, sizeof(ref), "refs/pull/%d/head", ++pr);
			set_ref(g, ref, &tip);
			if (below(g, 10) == 0)
				continue; /* never merged: the content goes on from base */
			git_oid ps[2] = { base, tip };
			g->head = commit(g, ps, 2, below(g, 3)); /* merged by a maintainer */
			made++;
		} else {
			edit(g);
			g->head = commit(g, g->have_head ? &g->head : NULL, g->have_head ? 1 : 0, author);
			g->have_head = 1;
			made++;
		}
	}
	dump(g);
	set_ref(g, "refs/heads/main", &g->head);
	for (size_t i = 0; i < g->nrefs; i++) {
		git_reference *r = NULL;
		if (git_reference_create(&r, g->repo, g->refs[i], &g->ref_oids[i], 1, NULL) < 0)
			die("ref");
		git_reference_free(r);
	}
	git_reference *h = NULL;
	git_reference_symbolic_create(&h, g->repo, "HEAD", "refs/heads/main", 1, NULL);
	git_reference_free(h);
	int live = 0;
	for (int i = 0; i < g->nfiles; i++)
		live += g->files[i].live;
	printf("generated %d commits, %d authors, %d files at the tip (%d paths ever), %d pull-request refs\n", made,
	       nauthors, live, g->nfiles, pr);
	return 0;
}

/* ---- the index and the query mix ---- */

static double secs(int64_t usec)
{
	return (double)usec / 1e6;
}

static int index_main(const char *dir, int nbuilds)
{
	git_repository *repo = NULL;
	if (git_repository_open_bare(&repo, dir) < 0)
		die("open");
	struct git_history *h = NULL;
	struct err e = ERR_INIT;
	struct git_history_update_stats st;
	double cpu0 = bench_cpu_seconds();
	if (git_history_new(&h, repo, &e) < 0 || git_history_update(h, &st, &e) < 0) {
		fprintf(stderr, "bench_git: %s\n", e.msg);
		return 1;
	}
	double cpu = bench_cpu_seconds() - cpu0;
	uint32_t n = git_history_count(h);
	printf("index: %u commits, %u paths, %u identities in %.2f s (%.0f commits/s; %u blobs counted, %u blob diffs, %u renames)\n",
	       n, git_history_path_count(h), git_history_ident_count(h), secs(st.usec), n / secs(st.usec), st.blobs_counted,
	       st.blob_diffs, st.renames);
	printf("index tables: %.1f MiB\n", git_history_memory(h) / 1048576.0);
	{ /* the cache file a restarted worker loads instead of re-indexing */
		char *cache = xasprintf("%s/ciminer-history.idx", dir);
		int64_t a = mono_now();
		struct git_history *again = NULL;
		int loaded = 0;
		if (git_history_save(h, cache, &e) < 0 || git_history_new(&again, repo, &e) < 0) {
			fprintf(stderr, "bench_git: %s\n", e.msg);
			return 1;
		}
		int64_t b = mono_now();
		if (git_history_load(again, cache, &loaded, &e) < 0 || !loaded) {
			fprintf(stderr, "bench_git: cache not loaded %s\n", e.msg);
			return 1;
		}
		int64_t c = mono_now();
		printf("cache file: saved in %.3f s, loaded in %.3f s\n", secs(b - a), secs(c - b));
		git_history_free(again);
		free(cache);
	}
	printf("index_seconds=%.3f\n", secs(st.usec));
	printf("index_cpu_seconds=%.3f\n", cpu);

	/* Build points: nbuilds commits spread over history, processed oldest first. */
	struct git_history_view *v = git_history_view_new(h);
	struct git_history_marks built = GIT_HISTORY_MARKS_INIT;
	struct git_history_built b = GIT_HISTORY_BUILT_INIT;
	struct git_history_diffsum d = GIT_HISTORY_DIFFSUM_INIT, dt = GIT_HISTORY_DIFFSUM_INIT;
	int64_t tq[5] = { 0 };
	uint64_t checksum = 0;
	const int64_t lookback = 90 * USEC_PER_DAY;
	int64_t t0 = mono_now();
	for (int i = 0; i < nbuilds; i++) {
		uint32_t c = (uint32_t)(((uint64_t)i * n) / (uint64_t)nbuilds + (uint64_t)(n / nbuilds / 2));
		const struct git_history_commit *cm = git_history_commit(h, c);
		int64_t start = cm->commit_time + 600 * USEC_PER_SEC; /* the build starts after the push */
		int64_t a = mono_now();
		git_history_view_set(v, c);
		int64_t bq = mono_now();
		git_history_built_commits(&b, h, c, &built);
		int64_t cq = mono_now();
		git_history_diff_sum(&d, v, b.commits, b.n, 0);
		int64_t dq = mono_now();
		uint32_t density = git_history_file_commits(v, d.paths, d.npaths, start - lookback, start, b.commits, b.n,
							    GIT_HISTORY_NONE, NULL);
		uint32_t team = git_history_idents_in_window(v, start - lookback, start, GIT_HISTORY_EITHER, NULL);
		int64_t first = git_history_author_first_time(v, cm->author);
		struct git_history_totals tot;
		git_history_totals_at(&tot, h, c, 0);
		int64_t eq = mono_now();
		/* the same diff sum with TravisTorrent's classes (naming: travistorrent) */
		git_history_diff_sum_tt(&dt, v, b.commits, b.n, GIT_LANG_PYTHON);
		tq[4] += mono_now() - eq;
		tq[0] += bq - a;
		tq[1] += cq - bq;
		tq[2] += dq - cq;
		tq[3] += eq - dq;
		checksum += b.n + d.src_churn + dt.src_churn + density + team + (uint64_t)(first / USEC_PER_SEC) + tot.sum.src_sloc +
			    git_history_view_size(v);
		git_history_marks_add(&built, c);
	}
	int64_t total = mono_now() - t0;
	printf("queries: %d builds in %.3f s = %.0f builds/s (view %.1f us, built commits %.1f us, diff sum %.1f us, "
	       "travistorrent diff sum %.1f us, windows+totals %.1f us per build; checksum %llu)\n",
	       nbuilds, secs(total), nbuilds / secs(total), (double)tq[0] / nbuilds, (double)tq[1] / nbuilds,
	       (double)tq[2] / nbuilds, (double)tq[4] / nbuilds, (double)tq[3] / nbuilds, (unsigned long long)checksum);
	printf("builds_per_second=%.0f\n", nbuilds / secs(total));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory: %.1f MiB\n", ru.ru_maxrss / 1024.0);
	printf("peak_rss_mib=%.1f\n", ru.ru_maxrss / 1024.0);
	git_history_diffsum_release(&d);
	git_history_diffsum_release(&dt);
	git_history_built_release(&b);
	git_history_marks_release(&built);
	git_history_view_free(v);
	git_history_free(h);
	git_repository_free(repo);
	return 0;
}

int main(int argc, char **argv)
{
	git_libgit2_init();
	if (argc >= 3 && strcmp(argv[1], "gen") == 0)
		return gen_main(argv[2], argc > 3 ? atoi(argv[3]) : 20000, argc > 4 ? atoi(argv[4]) : 50,
				argc > 5 ? atoi(argv[5]) : 2000);
	if (argc >= 3 && strcmp(argv[1], "index") == 0)
		return index_main(argv[2], argc > 3 ? atoi(argv[3]) : 5000);
	fprintf(stderr, "usage: bench_git gen DIR [commits] [authors] [files] | bench_git index DIR [builds]\n");
	return 2;
}
