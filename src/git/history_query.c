/*
 * Views (the history up to one commit) and the queries that read the index:
 * diff sums, file commit windows, identities in a window, author timelines,
 * repository totals. Every query is a look-up, a binary search in a
 * time-ordered list, or a sum over a few records; per-query deduplication uses
 * epoch stamps in the view, so nothing is cleared between queries.
 */
#include "git/history_internal.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct git_history_view {
	const struct git_history *h;
	uint32_t commit, size;
	uint8_t *in; /* per commit: 1 when an ancestor of commit (or commit) */
	size_t in_cap;
	uint32_t *cstamp; /* per commit, per-query dedup */
	size_t cstamp_cap;
	uint32_t cepoch;
	uint32_t *pstamp; /* per path */
	size_t pstamp_cap;
	uint32_t pepoch;
	uint32_t *istamp; /* per identity */
	size_t istamp_cap;
	uint32_t iepoch;
	uint64_t *pchurn;   /* per path, diff sums */
	uint8_t *pflags;    /* per path, diff sums: status bits, primary, binary */
	size_t pacc_cap;
};

enum { PF_ADDED = 1, PF_DELETED = 2, PF_MODIFIED = 4, PF_RENAMED = 8, PF_PRIMARY = 16, PF_BINARY = 32 };

struct git_history_view *git_history_view_new(const struct git_history *h)
{
	struct git_history_view *v = xcalloc(1, sizeof(*v));
	v->h = h;
	v->commit = GIT_HISTORY_NONE;
	return v;
}

void git_history_view_free(struct git_history_view *v)
{
	if (!v)
		return;
	free(v->in);
	free(v->cstamp);
	free(v->pstamp);
	free(v->istamp);
	free(v->pchurn);
	free(v->pflags);
	free(v);
}

/* Grows a zero-filled stamp array to n entries (the index may have grown). */
static void grow_zero(void **arr, size_t *cap, size_t n, size_t elsize)
{
	if (n <= *cap)
		return;
	size_t old = *cap;
	xgrow(arr, cap, n, elsize);
	memset((char *)*arr + old * elsize, 0, (*cap - old) * elsize);
}

/* Starts a new dedup epoch; on wrap-around the stamps are cleared. */
static uint32_t next_epoch(uint32_t *epoch, uint32_t *stamps, size_t cap)
{
	if (++*epoch == 0) {
		memset(stamps, 0, cap * sizeof(uint32_t));
		*epoch = 1;
	}
	return *epoch;
}

/*
 * Builds are processed oldest first, so the next trigger commit usually
 * descends from the previous one: then only the commits between them need
 * marking. Sweep down from c marking new ancestors (2 = found, not yet
 * expanded); commits already in the view have all their ancestors in it
 * (a view is closed under parents), so expansion stops there. If the sweep
 * passes the old commit without having reached it, c does not descend from it
 * and the caller recomputes from scratch. Returns 1 when extended.
 */
static int view_extend(struct git_history_view *v, uint32_t c)
{
	const struct git_history *h = v->h;
	uint32_t prev = v->commit, pending = 1, added = 0;
	int reached = 0;
	v->in[c] = 2;
	for (uint32_t i = c + 1; i-- > 0 && (pending || i >= prev);) {
		if (i == prev && !reached)
			return 0;
		if (v->in[i] != 2)
			continue;
		v->in[i] = 1;
		pending--;
		added++;
		const struct git_history_commit *cm = &h->commits[i];
		for (uint32_t k = 0; k < cm->nparents; k++) {
			uint32_t p = h->parents[cm->parents_off + k];
			reached |= p == prev;
			if (!v->in[p]) {
				v->in[p] = 2;
				pending++;
			}
		}
	}
	v->size += added;
	return 1;
}

void git_history_view_set(struct git_history_view *v, uint32_t c)
{
	const struct git_history *h = v->h;
	grow_zero((void **)&v->in, &v->in_cap, h->ncommits, 1);
	if (c < h->ncommits && v->commit != GIT_HISTORY_NONE && v->commit < c && view_extend(v, c)) {
		v->commit = c;
		return;
	}
	if (c < h->ncommits && c == v->commit)
		return;
	memset(v->in, 0, v->in_cap);
	v->commit = c;
	v->size = 0;
	if (c >= h->ncommits)
		return;
	/* Parents have smaller indexes than children, so one downward sweep
	 * over [0, c] reaches every ancestor. */
	v->in[c] = 1;
	for (uint32_t i = c + 1; i-- > 0;) {
		if (!v->in[i])
			continue;
		v->size++;
		const struct git_history_commit *cm = &h->commits[i];
		for (uint32_t k = 0; k < cm->nparents; k++)
			v->in[h->parents[cm->parents_off + k]] = 1;
	}
}

uint32_t git_history_view_commit(const struct git_history_view *v)
{
	return v->commit;
}

uint32_t git_history_view_size(const struct git_history_view *v)
{
	return v->size;
}

int git_history_view_contains(const struct git_history_view *v, uint32_t c)
{
	return v->commit != GIT_HISTORY_NONE && c <= v->commit && c < v->in_cap && v->in[c];
}

/*
 * How a diff sum classifies files: ciminer's classes limited to lang_mask,
 * or (tt) TravisTorrent's: Linguist type for the file counts, the project
 * language's test rule for splitting programming files' churn.
 */
struct sum_mode {
	uint64_t lang_mask;
	int tt;
	int tt_lang;
};

static int effective_class(const struct git_history_path *p, const struct sum_mode *m)
{
	int cls = p->cls.cls;
	if (m->tt) {
		if (p->cls.linguist != GIT_LINGUIST_PROGRAMMING)
			return p->cls.linguist == GIT_LINGUIST_MARKUP ? GIT_CLASS_DOC : GIT_CLASS_OTHER;
		return git_classify_tt_is_test(p->path, &p->cls, m->tt_lang) ? GIT_CLASS_TEST : GIT_CLASS_SOURCE;
	}
	if ((cls == GIT_CLASS_SOURCE || cls == GIT_CLASS_TEST) && m->lang_mask && !(m->lang_mask & (1ull << p->cls.lang)))
		return GIT_CLASS_OTHER;
	return cls;
}

static void touch(struct git_history_view *v, struct git_history_diffsum *out, uint32_t path, uint32_t epoch)
{
	if (v->pstamp[path] == epoch)
		return;
	v->pstamp[path] = epoch;
	v->pchurn[path] = 0;
	v->pflags[path] = 0;
	xgrow((void **)&out->paths, &out->cap, out->npaths + 1, sizeof(uint32_t));
	out->paths[out->npaths++] = path;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void sum_change(struct git_history_view *v, struct git_history_diffsum *out,
		       const struct git_history_change *ch, const struct sum_mode *m, uint32_t epoch)
{
	const struct git_history *h = v->h;
	touch(v, out, ch->path, epoch);
	if (ch->old_path != GIT_HISTORY_NONE)
		touch(v, out, ch->old_path, epoch);
	static const uint8_t status_flag[5] = { 0, PF_ADDED, PF_DELETED, PF_MODIFIED, PF_RENAMED };
	v->pflags[ch->path] |= (uint8_t)(status_flag[ch->status <= 4 ? ch->status : 0] | PF_PRIMARY);
	if (ch->flags & GIT_HISTORY_F_BINARY)
		v->pflags[ch->path] |= PF_BINARY;
	uint64_t churn = (uint64_t)ch->added + ch->deleted;
	v->pchurn[ch->path] += churn;
	out->lines_added += ch->added;
	out->lines_deleted += ch->deleted;
	switch (effective_class(&h->paths[ch->path], m)) {
	case GIT_CLASS_SOURCE: out->src_churn += churn; break;
	case GIT_CLASS_TEST:
		out->test_churn += churn;
		out->tests_added += ch->tests_added;
		out->tests_deleted += ch->tests_deleted;
		break;
	case GIT_CLASS_DOC: out->doc_churn += churn; break;
	case GIT_CLASS_CI: out->ci_churn += churn; break;
	default: out->other_churn += churn; break;
	}
}

static void diff_sum(struct git_history_diffsum *out, struct git_history_view *v, const uint32_t *commits, size_t n,
		     const struct sum_mode *m)
{
	const struct git_history *h = v->h;
	uint32_t *paths = out->paths;
	size_t cap = out->cap;
	memset(out, 0, sizeof(*out));
	out->paths = paths;
	out->cap = cap;
	grow_zero((void **)&v->pstamp, &v->pstamp_cap, h->npaths, sizeof(uint32_t));
	grow_zero((void **)&v->cstamp, &v->cstamp_cap, h->ncommits, sizeof(uint32_t));
	if (v->pacc_cap < v->pstamp_cap) {
		v->pchurn = xrealloc(v->pchurn, v->pstamp_cap * sizeof(uint64_t));
		v->pflags = xrealloc(v->pflags, v->pstamp_cap);
		v->pacc_cap = v->pstamp_cap;
	}
	uint32_t pe = next_epoch(&v->pepoch, v->pstamp, v->pstamp_cap);
	uint32_t ce = next_epoch(&v->cepoch, v->cstamp, v->cstamp_cap);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = commits[i];
		if (c >= h->ncommits || v->cstamp[c] == ce)
			continue;
		v->cstamp[c] = ce;
		out->commits++;
		const struct git_history_commit *cm = &h->commits[c];
		for (uint32_t k = 0; k < cm->nchanges; k++)
			sum_change(v, out, &h->changes[cm->changes_off + k], m, pe);
	}
	uint64_t total = out->lines_added + out->lines_deleted;
	for (size_t i = 0; i < out->npaths; i++) {
		uint32_t p = out->paths[i];
		uint8_t f = v->pflags[p];
		if (!(f & PF_PRIMARY))
			continue; /* only the old name of a rename */
		out->files_touched++;
		out->files_added += (f & PF_ADDED) != 0;
		out->files_deleted += (f & PF_DELETED) != 0;
		out->files_modified += (f & PF_MODIFIED) != 0;
		out->files_renamed += (f & PF_RENAMED) != 0;
		out->binary_files += (f & PF_BINARY) != 0;
		const struct git_history_path *hp = &h->paths[p];
		switch (effective_class(hp, m)) {
		case GIT_CLASS_SOURCE: out->src_files++; break;
		case GIT_CLASS_TEST: out->test_files++; break;
		case GIT_CLASS_DOC: out->doc_files++; break;
		case GIT_CLASS_CI:
			out->ci_files++;
			out->tools |= hp->cls.tools;
			break;
		default:
			/* TravisTorrent counted Linguist's prose files in none of its three columns */
			if (!(m->tt && hp->cls.linguist == GIT_LINGUIST_PROSE))
				out->other_files++;
			break;
		}
		if (total && v->pchurn[p]) {
			double q = (double)v->pchurn[p] / (double)total;
			out->entropy -= q * log2(q);
		}
	}
	if (m->tt) /* TravisTorrent's src files are every programming file, its tests included */
		out->src_files += out->test_files;
	qsort(out->paths, out->npaths, sizeof(uint32_t), cmp_u32);
}

void git_history_diff_sum(struct git_history_diffsum *out, struct git_history_view *v, const uint32_t *commits,
			  size_t n, uint64_t lang_mask)
{
	struct sum_mode m = { lang_mask, 0, GIT_LANG_NONE };
	diff_sum(out, v, commits, n, &m);
}

void git_history_diff_sum_tt(struct git_history_diffsum *out, struct git_history_view *v, const uint32_t *commits,
			     size_t n, int project_lang)
{
	struct sum_mode m = { 0, 1, project_lang };
	diff_sum(out, v, commits, n, &m);
}

void git_history_diffsum_release(struct git_history_diffsum *d)
{
	free(d->paths);
	d->paths = NULL;
	d->npaths = d->cap = 0;
}

/* First position in list (sorted by the commits' time) with time >= t. */
static uint32_t lower_bound(const struct git_history *h, const uint32_t *list, uint32_t n, int64_t t, int by_author)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct git_history_commit *cm = &h->commits[list[mid]];
		int64_t k = by_author ? cm->author_time : cm->commit_time;
		if (k < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t git_history_file_commits(struct git_history_view *v, const uint32_t *paths, size_t npaths, int64_t from,
				  int64_t to, const uint32_t *exclude, size_t nexclude, uint32_t author,
				  uint32_t *by_author)
{
	const struct git_history *h = v->h;
	grow_zero((void **)&v->cstamp, &v->cstamp_cap, h->ncommits, sizeof(uint32_t));
	uint32_t ce = next_epoch(&v->cepoch, v->cstamp, v->cstamp_cap);
	for (size_t i = 0; i < nexclude; i++)
		if (exclude[i] < h->ncommits)
			v->cstamp[exclude[i]] = ce;
	uint32_t count = 0, mine = 0;
	for (size_t i = 0; i < npaths; i++) {
		if (paths[i] >= h->npaths)
			continue;
		const struct git_history_path *p = &h->paths[paths[i]];
		for (uint32_t k = lower_bound(h, p->commits, p->ncommits, from, 0); k < p->ncommits; k++) {
			uint32_t c = p->commits[k];
			if (h->commits[c].commit_time >= to)
				break;
			if (v->cstamp[c] == ce || !git_history_view_contains(v, c))
				continue;
			v->cstamp[c] = ce;
			count++;
			mine += h->commits[c].author == author;
		}
	}
	if (by_author)
		*by_author = author == GIT_HISTORY_NONE ? 0 : mine;
	return count;
}

uint32_t git_history_idents_in_window(struct git_history_view *v, int64_t from, int64_t to, int role, uint32_t **ids)
{
	const struct git_history *h = v->h;
	grow_zero((void **)&v->istamp, &v->istamp_cap, h->nidents, sizeof(uint32_t));
	uint32_t ie = next_epoch(&v->iepoch, v->istamp, v->istamp_cap);
	uint32_t *list = NULL;
	size_t n = 0, cap = 0;
	for (uint32_t k = lower_bound(h, h->by_time, h->nby_time, from, 0); k < h->nby_time; k++) {
		uint32_t c = h->by_time[k];
		const struct git_history_commit *cm = &h->commits[c];
		if (cm->commit_time >= to)
			break;
		if (!git_history_view_contains(v, c))
			continue;
		uint32_t who[2] = { (role & GIT_HISTORY_AUTHORS) ? cm->author : GIT_HISTORY_NONE,
				    (role & GIT_HISTORY_COMMITTERS) ? cm->committer : GIT_HISTORY_NONE };
		for (int w = 0; w < 2; w++) {
			if (who[w] == GIT_HISTORY_NONE || v->istamp[who[w]] == ie)
				continue;
			v->istamp[who[w]] = ie;
			xgrow((void **)&list, &cap, n + 1, sizeof(uint32_t));
			list[n++] = who[w];
		}
	}
	if (ids) {
		qsort(list, n, sizeof(uint32_t), cmp_u32);
		*ids = list;
	} else {
		free(list);
	}
	return (uint32_t)n;
}

int64_t git_history_author_first_time(const struct git_history_view *v, uint32_t ident)
{
	const struct git_history *h = v->h;
	if (ident >= h->nidents)
		return INT64_MIN;
	const struct git_history_ident *id = &h->idents[ident];
	for (uint32_t k = 0; k < id->ncommits; k++)
		if (git_history_view_contains(v, id->commits[k]))
			return h->commits[id->commits[k]].author_time;
	return INT64_MIN;
}

uint32_t git_history_author_commits(const struct git_history_view *v, uint32_t ident, int64_t from, int64_t to)
{
	const struct git_history *h = v->h;
	if (ident >= h->nidents)
		return 0;
	const struct git_history_ident *id = &h->idents[ident];
	uint32_t n = 0;
	for (uint32_t k = lower_bound(h, id->commits, id->ncommits, from, 1); k < id->ncommits; k++) {
		uint32_t c = id->commits[k];
		if (h->commits[c].author_time >= to)
			break;
		n += git_history_view_contains(v, c) != 0;
	}
	return n;
}

const struct git_history_langtotals *git_history_lang_totals(const struct git_history *h, uint32_t c, uint32_t *n)
{
	*n = h->commits[c].ntotals;
	return h->totals + h->commits[c].totals_off;
}

void git_history_totals_at(struct git_history_totals *out, const struct git_history *h, uint32_t c, uint64_t lang_mask)
{
	memset(out, 0, sizeof(*out));
	if (c >= h->ncommits)
		return;
	const struct git_history_commit *cm = &h->commits[c];
	for (uint32_t i = 0; i < cm->ntotals; i++) {
		const struct git_history_langtotals *lt = &h->totals[cm->totals_off + i];
		if (lang_mask && !(lang_mask & (1ull << lt->lang)))
			continue;
		out->sum.src_files += lt->src_files;
		out->sum.src_sloc += lt->src_sloc;
		out->sum.test_files += lt->test_files;
		out->sum.test_sloc += lt->test_sloc;
		out->sum.test_cases += lt->test_cases;
		out->sum.test_asserts += lt->test_asserts;
	}
	out->doc_files = cm->doc_files;
	out->ci_files = cm->ci_files;
	out->other_files = cm->other_files;
}

int git_history_main_language(const struct git_history *h, uint32_t c)
{
	if (c >= h->ncommits)
		return GIT_LANG_NONE;
	const struct git_history_commit *cm = &h->commits[c];
	int best = GIT_LANG_NONE;
	uint32_t best_sloc = 0;
	for (uint32_t i = 0; i < cm->ntotals; i++) {
		const struct git_history_langtotals *lt = &h->totals[cm->totals_off + i];
		if (lt->src_sloc > best_sloc) {
			best_sloc = lt->src_sloc;
			best = lt->lang;
		}
	}
	return best;
}
