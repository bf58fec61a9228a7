/*
 * The history index's life cycle, its look-ups, the set of previously built
 * commits and the built-commits walk. The indexing pass is history_build.c;
 * views and window queries are history_query.c.
 */
#include "git/history_internal.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int git_history_new(struct git_history **out, git_repository *repo, struct err *e)
{
	struct git_history *h = xcalloc(1, sizeof(*h));
	int rc = git_classify_ctx_new(&h->cls, e);
	if (rc < 0) {
		free(h);
		return rc;
	}
	git_libgit2_init();
	/* libgit2 re-hashes every object it reads unless told otherwise; git
	 * itself trusts its object database on reads (fsck is for checking), and
	 * the re-hashing costs a quarter of the indexing pass. Packs received by a
	 * fetch are still verified by libgit2's indexer. This is a process-wide
	 * libgit2 option, set to the same value by every index. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	h->repo = repo;
	*out = h;
	return 0;
}

void git_history_release_tables(struct git_history *h)
{
	for (size_t i = 0; i < h->npaths; i++) {
		free(h->paths[i].path);
		free(h->paths[i].commits);
	}
	for (size_t i = 0; i < h->nidents; i++) {
		free(h->idents[i].name);
		free(h->idents[i].email);
		free(h->idents[i].commits);
	}
	free(h->paths);
	free(h->idents);
	strmap_clear(&h->path_ids, NULL);
	strmap_clear(&h->ident_ids, NULL);
	free(h->commits);
	free(h->parents);
	free(h->changes);
	free(h->totals);
	free(h->by_time);
	free(h->has_child);
	free(h->blobs);
	git_oidtab_release(&h->commit_ids);
	git_oidtab_release(&h->blob_ids);
}

void git_history_free(struct git_history *h)
{
	if (!h)
		return;
	git_history_release_tables(h);
	git_classify_ctx_free(h->cls);
	free(h);
	git_libgit2_shutdown();
}

uint32_t git_history_intern_path(struct git_history *h, const char *path)
{
	void *v = strmap_get(&h->path_ids, path);
	if (v)
		return (uint32_t)((uintptr_t)v - 1);
	xgrow((void **)&h->paths, &h->paths_cap, h->npaths + 1, sizeof(*h->paths));
	struct git_history_path *p = &h->paths[h->npaths];
	memset(p, 0, sizeof(*p));
	p->path = xstrdup(path);
	git_classify_path(&p->cls, path);
	uint32_t id = (uint32_t)h->npaths++;
	strmap_put(&h->path_ids, path, (void *)(uintptr_t)(id + 1));
	return id;
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

uint32_t git_history_intern_ident(struct git_history *h, const char *name, const char *email)
{
	const char *key_src = email && *email ? email : (name ? name : "");
	char *key = lower_dup(key_src);
	void *v = strmap_get(&h->ident_ids, key);
	if (v) {
		free(key);
		return (uint32_t)((uintptr_t)v - 1);
	}
	xgrow((void **)&h->idents, &h->idents_cap, h->nidents + 1, sizeof(*h->idents));
	struct git_history_ident *id = &h->idents[h->nidents];
	memset(id, 0, sizeof(*id));
	id->name = xstrdup(name ? name : "");
	id->email = xstrdup(email ? email : "");
	uint32_t n = (uint32_t)h->nidents++;
	strmap_put(&h->ident_ids, key, (void *)(uintptr_t)(n + 1));
	free(key);
	return n;
}

void git_history_sorted_insert(const struct git_history *h, uint32_t **list, uint32_t *n, uint32_t *cap,
			       uint32_t c, int by_author)
{
	if (*n + 1 > *cap) {
		size_t ncap = *cap;
		xgrow((void **)list, &ncap, (size_t)*n + 1, sizeof(uint32_t));
		*cap = (uint32_t)ncap;
	}
	int64_t key = by_author ? h->commits[c].author_time : h->commits[c].commit_time;
	uint32_t i = *n;
	/* History arrives mostly in time order, so this rarely moves anything. */
	while (i > 0) {
		const struct git_history_commit *prev = &h->commits[(*list)[i - 1]];
		int64_t pk = by_author ? prev->author_time : prev->commit_time;
		if (pk <= key)
			break;
		(*list)[i] = (*list)[i - 1];
		i--;
	}
	(*list)[i] = c;
	(*n)++;
}

void git_history_link_commit(struct git_history *h, uint32_t c)
{
	const struct git_history_commit *cm = &h->commits[c];
	git_oidtab_put(&h->commit_ids, &cm->oid, c);
	if (c + 1 > h->has_child_cap) {
		size_t old = h->has_child_cap;
		xgrow((void **)&h->has_child, &h->has_child_cap, (size_t)c + 1, 1);
		memset(h->has_child + old, 0, h->has_child_cap - old);
	}
	h->has_child[c] = 0;
	for (uint32_t k = 0; k < cm->nparents; k++)
		h->has_child[h->parents[cm->parents_off + k]] = 1;
	for (uint32_t i = 0; i < cm->nchanges; i++) {
		const struct git_history_change *ch = &h->changes[cm->changes_off + i];
		struct git_history_path *pp = &h->paths[ch->path];
		git_history_sorted_insert(h, &pp->commits, &pp->ncommits, &pp->cap, c, 0);
		if (ch->old_path != GIT_HISTORY_NONE) {
			pp = &h->paths[ch->old_path];
			git_history_sorted_insert(h, &pp->commits, &pp->ncommits, &pp->cap, c, 0);
		}
	}
	struct git_history_ident *id = &h->idents[cm->author];
	git_history_sorted_insert(h, &id->commits, &id->ncommits, &id->cap, c, 1);
	git_history_sorted_insert(h, &h->by_time, &h->nby_time, &h->by_time_cap, c, 0);
}

uint32_t git_history_count(const struct git_history *h)
{
	return (uint32_t)h->ncommits;
}

size_t git_history_memory(const struct git_history *h)
{
	size_t n = sizeof(*h);
	n += h->commits_cap * sizeof(*h->commits) + h->parents_cap * sizeof(uint32_t);
	n += h->changes_cap * sizeof(*h->changes) + h->totals_cap * sizeof(*h->totals);
	n += (size_t)h->by_time_cap * sizeof(uint32_t) + h->has_child_cap;
	n += h->commit_ids.cap * sizeof(struct git_oidtab_slot) + h->blob_ids.cap * sizeof(struct git_oidtab_slot);
	n += h->blobs_cap * sizeof(*h->blobs);
	n += h->paths_cap * sizeof(*h->paths) + h->path_ids.cap * sizeof(struct strmap_entry);
	for (size_t i = 0; i < h->npaths; i++)
		n += 2 * (strlen(h->paths[i].path) + 1) + h->paths[i].cap * sizeof(uint32_t);
	n += h->idents_cap * sizeof(*h->idents) + h->ident_ids.cap * sizeof(struct strmap_entry);
	for (size_t i = 0; i < h->nidents; i++)
		n += strlen(h->idents[i].name) + 2 * strlen(h->idents[i].email) + 3 + h->idents[i].cap * sizeof(uint32_t);
	return n;
}

uint32_t git_history_find(const struct git_history *h, const git_oid *oid)
{
	uint32_t v;
	return git_oidtab_get(&h->commit_ids, oid, &v) ? v : GIT_HISTORY_NONE;
}

uint32_t git_history_find_hex(const struct git_history *h, const char *hex)
{
	git_oid oid;
	if (!hex || strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, hex) < 0)
		return GIT_HISTORY_NONE;
	return git_history_find(h, &oid);
}

const struct git_history_commit *git_history_commit(const struct git_history *h, uint32_t c)
{
	return c < h->ncommits ? &h->commits[c] : NULL;
}

const uint32_t *git_history_parents(const struct git_history *h, uint32_t c, uint32_t *n)
{
	*n = h->commits[c].nparents;
	return h->parents + h->commits[c].parents_off;
}

const struct git_history_change *git_history_changes(const struct git_history *h, uint32_t c, uint32_t *n)
{
	*n = h->commits[c].nchanges;
	return h->changes + h->commits[c].changes_off;
}

uint32_t git_history_path_count(const struct git_history *h)
{
	return (uint32_t)h->npaths;
}

const struct git_history_path *git_history_path(const struct git_history *h, uint32_t id)
{
	return id < h->npaths ? &h->paths[id] : NULL;
}

uint32_t git_history_path_find(const struct git_history *h, const char *path)
{
	void *v = strmap_get(&h->path_ids, path);
	return v ? (uint32_t)((uintptr_t)v - 1) : GIT_HISTORY_NONE;
}

uint32_t git_history_ident_count(const struct git_history *h)
{
	return (uint32_t)h->nidents;
}

const struct git_history_ident *git_history_ident(const struct git_history *h, uint32_t id)
{
	return id < h->nidents ? &h->idents[id] : NULL;
}

uint32_t git_history_ident_find(const struct git_history *h, const char *email)
{
	char *key = lower_dup(email);
	void *v = strmap_get(&h->ident_ids, key);
	free(key);
	return v ? (uint32_t)((uintptr_t)v - 1) : GIT_HISTORY_NONE;
}

void git_history_marks_add(struct git_history_marks *m, uint32_t c)
{
	size_t need = (size_t)c / 8 + 1;
	if (need > m->nbytes) {
		size_t ncap = need * 2;
		m->bits = xrealloc(m->bits, ncap);
		memset(m->bits + m->nbytes, 0, ncap - m->nbytes);
		m->nbytes = ncap;
	}
	m->bits[c / 8] |= (uint8_t)(1u << (c % 8));
}

int git_history_marks_has(const struct git_history_marks *m, uint32_t c)
{
	return m && (size_t)c / 8 < m->nbytes && (m->bits[c / 8] >> (c % 8)) & 1;
}

void git_history_marks_release(struct git_history_marks *m)
{
	free(m->bits);
	m->bits = NULL;
	m->nbytes = 0;
}

static void built_push(struct git_history_built *b, uint32_t c)
{
	xgrow((void **)&b->commits, &b->cap, b->n + 1, sizeof(uint32_t));
	b->commits[b->n++] = c;
}

void git_history_built_commits(struct git_history_built *out, const struct git_history *h, uint32_t trigger,
			       const struct git_history_marks *built)
{
	out->n = 0;
	out->prev = GIT_HISTORY_NONE;
	built_push(out, trigger);
	uint32_t c = trigger;
	for (;;) {
		const struct git_history_commit *cm = &h->commits[c];
		if (cm->nparents > 1) {
			out->status = GIT_HISTORY_MERGE_FOUND;
			return;
		}
		if (cm->nparents == 0) {
			out->status = GIT_HISTORY_NO_PREVIOUS_BUILD;
			return;
		}
		uint32_t p = h->parents[cm->parents_off];
		if (git_history_marks_has(built, p)) {
			out->status = GIT_HISTORY_BUILD_FOUND;
			out->prev = p;
			return;
		}
		built_push(out, p);
		c = p;
	}
}

void git_history_built_release(struct git_history_built *b)
{
	free(b->commits);
	b->commits = NULL;
	b->n = b->cap = 0;
}

const char *git_history_prev_status_name(int status)
{
	switch (status) {
	case GIT_HISTORY_BUILD_FOUND: return "build_found";
	case GIT_HISTORY_MERGE_FOUND: return "merge_found";
	case GIT_HISTORY_NO_PREVIOUS_BUILD: return "no_previous_build";
	default: return "";
	}
}
