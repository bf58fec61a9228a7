/* Object id -> uint32 hash table (see oidtab.h). */
#include "git/oidtab.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static size_t slot_of(const git_oid *oid, size_t cap)
{
	uint64_t h;
	memcpy(&h, oid->id, sizeof(h));
	return (size_t)(h & (cap - 1));
}

static void rehash(struct git_oidtab *t, size_t ncap)
{
	struct git_oidtab_slot *old = t->slots;
	size_t ocap = t->cap;
	t->slots = xcalloc(ncap, sizeof(*t->slots));
	t->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].used)
			continue;
		size_t j = slot_of(&old[i].oid, ncap);
		while (t->slots[j].used)
			j = (j + 1) & (ncap - 1);
		t->slots[j] = old[i];
	}
	free(old);
}

void git_oidtab_release(struct git_oidtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->n = t->cap = 0;
}

void git_oidtab_put(struct git_oidtab *t, const git_oid *oid, uint32_t val)
{
	if ((t->n + 1) * 4 >= t->cap * 3)
		rehash(t, t->cap ? t->cap * 2 : 64);
	size_t j = slot_of(oid, t->cap);
	while (t->slots[j].used) {
		if (git_oid_equal(&t->slots[j].oid, oid)) {
			t->slots[j].val = val;
			return;
		}
		j = (j + 1) & (t->cap - 1);
	}
	git_oid_cpy(&t->slots[j].oid, oid);
	t->slots[j].val = val;
	t->slots[j].used = 1;
	t->n++;
}

int git_oidtab_get(const struct git_oidtab *t, const git_oid *oid, uint32_t *val)
{
	if (!t->cap)
		return 0;
	size_t j = slot_of(oid, t->cap);
	while (t->slots[j].used) {
		if (git_oid_equal(&t->slots[j].oid, oid)) {
			*val = t->slots[j].val;
			return 1;
		}
		j = (j + 1) & (t->cap - 1);
	}
	return 0;
}
