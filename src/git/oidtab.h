/*
 * A hash table from git object ids to 32-bit values (commit indexes, blob
 * statistics slots). Open addressing with linear probing; object ids are
 * already uniformly distributed, so their first bytes are the hash.
 * Keys are copied into the table; the table owns its memory.
 */
#ifndef GIT_OIDTAB_H
#define GIT_OIDTAB_H
#include <stddef.h>
#include <stdint.h>
#include <git2.h>

struct git_oidtab_slot {
	git_oid oid;
	uint32_t val;
	uint32_t used;
};

struct git_oidtab {
	struct git_oidtab_slot *slots;
	size_t n, cap; /* cap is 0 or a power of two */
};
#define GIT_OIDTAB_INIT { NULL, 0, 0 }

void git_oidtab_release(struct git_oidtab *t);
/* Sets oid -> val (replacing any previous value). */
void git_oidtab_put(struct git_oidtab *t, const git_oid *oid, uint32_t val);
/* 1 and *val when present, 0 otherwise. */
int git_oidtab_get(const struct git_oidtab *t, const git_oid *oid, uint32_t *val);

#endif
