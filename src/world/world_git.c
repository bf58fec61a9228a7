/*
 * A generated repository's commits: the files a change touched are rendered
 * from the code model and written through git/writer.h (a bare repository
 * whose objects stay in memory until git_writer_close() packs them).
 */
#include "world/world_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>

static void sig_of(struct git_writer_sig *out, const struct wperson *p, int64_t usec)
{
	out->name = p->name;
	out->email = p->email;
	out->usec = usec;
	out->tz_min = p->tz_min;
}

int world_git_commit(struct wrepo *r, struct wbranch *b, const uint8_t *dirty, const git_oid *second_parent,
		     const struct wperson *author, int64_t author_time, const struct wperson *committer,
		     int64_t commit_time, const char *message, struct err *e)
{
	struct git_writer_update *ups = xcalloc(r->npaths ? r->npaths : 1, sizeof(*ups));
	struct git_writer_sig as, cs;
	struct buf text = BUF_INIT;
	const git_oid *parents[2];
	size_t nup = 0, np = 0;
	int rc = 0;
	for (size_t i = 0; i < r->npaths && !rc; i++) {
		if (!dirty[i])
			continue;
		ups[nup].path = r->paths[i].path;
		if (i >= b->m.n || !b->m.f[i].exists) {
			ups[nup++].remove = 1;
			continue;
		}
		buf_reset(&text);
		world_code_render(r, &b->m, i, &text);
		rc = git_writer_blob(&ups[nup].blob, r->git, text.data, text.len, e);
		nup++;
	}
	if (!rc)
		rc = git_writer_tree(&b->tree, r->git, b->has_tip ? &b->tree : NULL, ups, nup, e);
	sig_of(&as, author, author_time);
	sig_of(&cs, committer, commit_time);
	if (b->has_tip)
		parents[np++] = &b->tip;
	if (second_parent)
		parents[np++] = second_parent;
	if (!rc)
		rc = git_writer_commit(&b->tip, r->git, &b->tree, parents, np, &as, &cs, message, e);
	if (!rc)
		b->has_tip = 1;
	buf_release(&text);
	free(ups);
	return rc;
}
