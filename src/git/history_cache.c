/*
 * The history index saved to a file (by default inside the mirror), so that
 * a worker that restarts does not re-read a repository's whole history: it
 * loads the file and indexes only the commits fetched since.
 *
 * Format (native byte order; the file never leaves the machine that wrote
 * it): a header with a magic, the format version, the sizes of the stored
 * records and the classification rules' fingerprint, then the commit, parent,
 * change, totals and blob tables as raw arrays, the blob ids, the paths and
 * the identities as length-prefixed strings. Everything derived (path and
 * author commit lists, time order, id tables, path classes) is rebuilt on
 * load. A file with another version, record layout or rules, or one that
 * fails any bounds check, is ignored (the index is then built from scratch):
 * a cache can cost time but never change a value.
 */
#include "git/history_internal.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/xalloc.h"
#include <string.h>

#define CACHE_MAGIC "CIMHIST\n"
#define CACHE_VERSION 1

struct cache_header {
	char magic[8];
	uint32_t version;
	uint32_t commit_size, change_size, totals_size, blob_size, oid_size;
	uint64_t rules;
	uint64_t ncommits, nparents, nchanges, ntotals, nblobs, npaths, nidents;
};

static void put_str(struct buf *b, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	buf_add(b, &n, sizeof(n));
	buf_add(b, s, n);
}

int git_history_save(const struct git_history *h, const char *path, struct err *e)
{
	struct cache_header hd;
	memset(&hd, 0, sizeof(hd));
	memcpy(hd.magic, CACHE_MAGIC, 8);
	hd.version = CACHE_VERSION;
	hd.commit_size = sizeof(struct git_history_commit);
	hd.change_size = sizeof(struct git_history_change);
	hd.totals_size = sizeof(struct git_history_langtotals);
	hd.blob_size = sizeof(struct git_history_blob);
	hd.oid_size = sizeof(git_oid);
	hd.rules = git_classify_fingerprint();
	hd.ncommits = h->ncommits;
	hd.nparents = h->nparents;
	hd.nchanges = h->nchanges;
	hd.ntotals = h->ntotals;
	hd.nblobs = h->nblobs;
	hd.npaths = h->npaths;
	hd.nidents = h->nidents;
	struct buf b = BUF_INIT;
	buf_add(&b, &hd, sizeof(hd));
	buf_add(&b, h->commits, h->ncommits * sizeof(*h->commits));
	buf_add(&b, h->parents, h->nparents * sizeof(uint32_t));
	buf_add(&b, h->changes, h->nchanges * sizeof(*h->changes));
	buf_add(&b, h->totals, h->ntotals * sizeof(*h->totals));
	buf_add(&b, h->blobs, h->nblobs * sizeof(*h->blobs));
	/* blob ids in slot order */
	git_oid *ids = xcalloc(h->nblobs ? h->nblobs : 1, sizeof(git_oid));
	for (size_t i = 0; i < h->blob_ids.cap; i++)
		if (h->blob_ids.slots[i].used && h->blob_ids.slots[i].val < h->nblobs)
			ids[h->blob_ids.slots[i].val] = h->blob_ids.slots[i].oid;
	buf_add(&b, ids, h->nblobs * sizeof(git_oid));
	free(ids);
	for (size_t i = 0; i < h->npaths; i++)
		put_str(&b, h->paths[i].path);
	for (size_t i = 0; i < h->nidents; i++) {
		put_str(&b, h->idents[i].name);
		put_str(&b, h->idents[i].email);
	}
	int rc = fs_write_atomic(path, b.data, b.len, e);
	buf_release(&b);
	return rc;
}

struct cursor {
	const char *p, *end;
};

static const void *take(struct cursor *c, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return NULL;
	const void *r = c->p;
	c->p += n;
	return r;
}

static char *take_str(struct cursor *c)
{
	const uint32_t *n = take(c, sizeof(uint32_t));
	uint32_t len;
	if (!n)
		return NULL;
	memcpy(&len, n, sizeof(len));
	const char *s = take(c, len);
	return s ? xstrndup(s, len) : NULL;
}

/* Copies n records of size sz into a fresh array (cap = n). */
static void *take_array(struct cursor *c, size_t n, size_t sz, size_t *cap)
{
	if (n && sz > SIZE_MAX / n)
		return NULL;
	const void *src = take(c, n * sz);
	if (!src)
		return NULL;
	void *dst = xmalloc(n ? n * sz : 1);
	memcpy(dst, src, n * sz);
	*cap = n;
	return dst;
}

/* Every index in the tables points inside them. */
static int consistent(const struct git_history *h)
{
	for (size_t c = 0; c < h->ncommits; c++) {
		const struct git_history_commit *cm = &h->commits[c];
		if ((uint64_t)cm->parents_off + cm->nparents > h->nparents ||
		    (uint64_t)cm->changes_off + cm->nchanges > h->nchanges ||
		    (uint64_t)cm->totals_off + cm->ntotals > h->ntotals || cm->author >= h->nidents ||
		    cm->committer >= h->nidents)
			return 0;
		for (uint32_t k = 0; k < cm->nparents; k++)
			if (h->parents[cm->parents_off + k] >= c)
				return 0;
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			const struct git_history_change *ch = &h->changes[cm->changes_off + k];
			if (ch->path >= h->npaths || (ch->old_path != GIT_HISTORY_NONE && ch->old_path >= h->npaths))
				return 0;
		}
		for (uint32_t k = 0; k < cm->ntotals; k++)
			if (h->totals[cm->totals_off + k].lang >= GIT_LANG_COUNT)
				return 0;
	}
	return 1;
}

static int parse(struct git_history *h, struct cursor *c)
{
	const struct cache_header *hp = take(c, sizeof(*hp));
	struct cache_header hd;
	if (!hp)
		return 0;
	memcpy(&hd, hp, sizeof(hd));
	if (memcmp(hd.magic, CACHE_MAGIC, 8) != 0 || hd.version != CACHE_VERSION ||
	    hd.commit_size != sizeof(struct git_history_commit) || hd.change_size != sizeof(struct git_history_change) ||
	    hd.totals_size != sizeof(struct git_history_langtotals) || hd.blob_size != sizeof(struct git_history_blob) ||
	    hd.oid_size != sizeof(git_oid) || hd.rules != git_classify_fingerprint() || hd.ncommits > UINT32_MAX ||
	    hd.npaths > UINT32_MAX || hd.nidents > UINT32_MAX || hd.nblobs > UINT32_MAX)
		return 0;
	if (!(h->commits = take_array(c, hd.ncommits, sizeof(*h->commits), &h->commits_cap)) ||
	    !(h->parents = take_array(c, hd.nparents, sizeof(uint32_t), &h->parents_cap)) ||
	    !(h->changes = take_array(c, hd.nchanges, sizeof(*h->changes), &h->changes_cap)) ||
	    !(h->totals = take_array(c, hd.ntotals, sizeof(*h->totals), &h->totals_cap)) ||
	    !(h->blobs = take_array(c, hd.nblobs, sizeof(*h->blobs), &h->blobs_cap)))
		return 0;
	h->nparents = hd.nparents;
	h->nchanges = hd.nchanges;
	h->ntotals = hd.ntotals;
	h->nblobs = hd.nblobs;
	const git_oid *ids = take(c, hd.nblobs * sizeof(git_oid));
	if (!ids)
		return 0;
	for (size_t i = 0; i < hd.nblobs; i++) {
		git_oid oid;
		memcpy(&oid, &ids[i], sizeof(oid));
		git_oidtab_put(&h->blob_ids, &oid, (uint32_t)i);
	}
	for (size_t i = 0; i < hd.npaths; i++) {
		char *p = take_str(c);
		if (!p)
			return 0;
		uint32_t id = git_history_intern_path(h, p);
		free(p);
		if (id != i)
			return 0; /* a duplicate path */
	}
	for (size_t i = 0; i < hd.nidents; i++) {
		char *name = take_str(c), *email = name ? take_str(c) : NULL;
		uint32_t id = email ? git_history_intern_ident(h, name, email) : GIT_HISTORY_NONE;
		free(name);
		free(email);
		if (id != i)
			return 0;
	}
	if (c->p != c->end)
		return 0;
	h->ncommits = hd.ncommits; /* now the tables are there: check, then link */
	if (!consistent(h)) {
		h->ncommits = 0;
		return 0;
	}
	for (uint32_t i = 0; i < h->ncommits; i++)
		git_history_link_commit(h, i);
	return 1;
}

/* Empties a partly filled index back to its state after git_history_new(). */
static void reset(struct git_history *h)
{
	git_repository *repo = h->repo;
	struct git_classify_ctx *cls = h->cls;
	git_history_release_tables(h);
	memset(h, 0, sizeof(*h));
	h->repo = repo;
	h->cls = cls;
}

int git_history_load(struct git_history *h, const char *path, int *loaded, struct err *e)
{
	*loaded = 0;
	if (h->ncommits)
		return err_set(e, ERR_INTERNAL, "git_history_load: the index is not empty");
	struct buf b = BUF_INIT;
	struct err re = ERR_INIT;
	int rc = fs_read_file(path, &b, 0, &re);
	if (rc == ERR_NOT_FOUND) {
		buf_release(&b);
		return 0;
	}
	if (rc < 0) {
		buf_release(&b);
		return err_copy(e, &re);
	}
	struct cursor c = { b.data, b.data + b.len };
	if (parse(h, &c)) {
		*loaded = 1;
	} else {
		log_warn("history cache %s is stale or damaged; indexing from scratch", path);
		reset(h);
	}
	buf_release(&b);
	return 0;
}

int git_history_open(struct git_history **out, git_repository *repo, const char *cache_path,
		     struct git_history_update_stats *stats, struct err *e)
{
	struct git_history *h = NULL;
	struct git_history_update_stats local;
	struct git_history_update_stats *st = stats ? stats : &local;
	int loaded = 0;
	int rc = git_history_new(&h, repo, e);
	if (rc < 0)
		return rc;
	if (cache_path && (rc = git_history_load(h, cache_path, &loaded, e)) < 0)
		goto fail;
	rc = git_history_update(h, st, e);
	if (rc < 0 && loaded) {
		/* the cache names commits this repository cannot walk: start over */
		log_warn("history cache %s does not match the repository (%s); indexing from scratch", cache_path,
			 e ? e->msg : "");
		reset(h);
		loaded = 0;
		rc = git_history_update(h, st, e);
	}
	if (rc < 0)
		goto fail;
	if (cache_path && (st->commits_added > 0 || !loaded) && (rc = git_history_save(h, cache_path, e)) < 0)
		goto fail;
	*out = h;
	return 0;
fail:
	git_history_free(h);
	return rc;
}
