/*
 * The dispatcher: decides which parsers see a line, in one pass over the
 * line for all of them.
 *
 * Why not run every parser's patterns on every line: a log is mostly compiler
 * output, downloads and stack traces; summaries are a handful of lines. Each
 * parser lists literal needles that any line it cares about must contain
 * ("Tests run:", " passed", "--- FAIL"). The dispatcher hashes every 4-byte
 * window of the line into a 64 Ki-bit filter built from the needles' first
 * four bytes; only on a filter hit does it compare the needles of that bucket.
 * That is a few instructions per byte whatever the number of parsers, which
 * is what lets parsing keep up with grep (docs/benchmarks.md).
 */
#include "logs/internal.h"
#include "core/xalloc.h"
#include <string.h>

#define BLOOM_BITS 16
#define TABLE_BITS 10

struct needle {
	uint32_t key;    /* first four bytes */
	uint16_t parser; /* index in logs_parser_defs */
	uint8_t bit;     /* index in the parser's needles */
	const char *s;
	size_t len;
	int32_t next;    /* next needle in the same table bucket, -1 ends */
};

struct logs_dispatch {
	struct needle *needles;
	size_t n_needles;
	uint64_t bloom[(1u << BLOOM_BITS) / 64];
	int32_t head[1u << TABLE_BITS];
	void **states;
	void **shared;
	unsigned *hits;        /* per parser, bits of needles seen in the current line */
	unsigned char *want_all;
	size_t n_want_all;
	struct logs_acc *acc;
};

static inline uint32_t load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint32_t mix(uint32_t k)
{
	return k * 2654435761u;
}

struct logs_dispatch *logs_dispatch_new(void)
{
	struct logs_dispatch *d = xcalloc(1, sizeof(*d));
	size_t np = logs_parser_defs_n, cap = 0;
	for (size_t i = 0; i < np; i++)
		for (const char *const *n = logs_parser_defs[i]->needles; n && *n; n++)
			cap++;
	d->needles = xcalloc(cap ? cap : 1, sizeof(*d->needles));
	for (size_t i = 0; i < (1u << TABLE_BITS); i++)
		d->head[i] = -1;
	for (size_t i = 0; i < np; i++) {
		const char *const *n = logs_parser_defs[i]->needles;
		for (unsigned b = 0; n && n[b]; b++) {
			struct needle *x = &d->needles[d->n_needles];
			x->s = n[b];
			x->len = strlen(n[b]);
			if (x->len < 4 || b >= LOGS_NEEDLES_MAX)
				continue; /* a programming error caught by test_logs_dispatch */
			x->key = load32(n[b]);
			x->parser = (uint16_t)i;
			x->bit = (uint8_t)b;
			uint32_t h = mix(x->key);
			d->bloom[(h >> (32 - BLOOM_BITS)) / 64] |= 1ull << ((h >> (32 - BLOOM_BITS)) % 64);
			uint32_t t = h >> (32 - TABLE_BITS);
			x->next = d->head[t];
			d->head[t] = (int32_t)d->n_needles;
			d->n_needles++;
		}
	}
	d->states = xcalloc(np, sizeof(void *));
	d->shared = xcalloc(np, sizeof(void *));
	d->hits = xcalloc(np, sizeof(unsigned));
	d->want_all = xcalloc(np, 1);
	for (size_t i = 0; i < np; i++) {
		const struct logs_parser_def *def = logs_parser_defs[i];
		d->states[i] = xcalloc(1, def->state_size ? def->state_size : 1);
		if (def->compile)
			d->shared[i] = def->compile();
	}
	return d;
}

void logs_dispatch_free(struct logs_dispatch *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < logs_parser_defs_n; i++) {
		free(d->states[i]);
		if (logs_parser_defs[i]->release)
			logs_parser_defs[i]->release(d->shared[i]);
	}
	free(d->states);
	free(d->shared);
	free(d->hits);
	free(d->want_all);
	free(d->needles);
	free(d);
}

void logs_dispatch_begin(struct logs_dispatch *d, struct logs_acc *a)
{
	d->acc = a;
	for (size_t i = 0; i < logs_parser_defs_n; i++) {
		const struct logs_parser_def *def = logs_parser_defs[i];
		memset(d->states[i], 0, def->state_size ? def->state_size : 1);
		d->want_all[i] = 0;
	}
	d->n_want_all = 0;
}

/* Marks the parsers whose needles occur in s. Returns 1 when any did. */
static int scan(struct logs_dispatch *d, const char *s, size_t len)
{
	int any = 0;
	if (len < 4)
		return 0;
	const uint64_t *bloom = d->bloom;
	for (size_t i = 0; i + 4 <= len; i++) {
		uint32_t k = load32(s + i);
		uint32_t h = mix(k);
		uint32_t b = h >> (32 - BLOOM_BITS);
		if (!(bloom[b / 64] & (1ull << (b % 64))))
			continue;
		for (int32_t j = d->head[h >> (32 - TABLE_BITS)]; j >= 0; j = d->needles[j].next) {
			const struct needle *x = &d->needles[j];
			if (x->key != k || len - i < x->len || memcmp(s + i + 4, x->s + 4, x->len - 4) != 0)
				continue;
			d->hits[x->parser] |= 1u << x->bit;
			any = 1;
		}
	}
	return any;
}

void logs_dispatch_line(struct logs_dispatch *d, const struct logs_line *ln)
{
	int any = scan(d, ln->s, ln->len);
	if (!any && d->n_want_all == 0)
		return;
	for (size_t i = 0; i < logs_parser_defs_n; i++) {
		unsigned hits = d->hits[i];
		if (!hits && !d->want_all[i])
			continue;
		d->hits[i] = 0;
		const struct logs_parser_def *def = logs_parser_defs[i];
		if (ln->in_fold && !def->sees_folds)
			continue;
		int want = def->line(d->states[i], d->shared[i], d->acc, ln, hits) ? 1 : 0;
		if (want != d->want_all[i]) {
			d->want_all[i] = (unsigned char)want;
			if (want)
				d->n_want_all++;
			else
				d->n_want_all--;
		}
	}
}

void logs_dispatch_end(struct logs_dispatch *d)
{
	for (size_t i = 0; i < logs_parser_defs_n; i++)
		if (logs_parser_defs[i]->finish)
			logs_parser_defs[i]->finish(d->states[i], d->shared[i], d->acc);
}
