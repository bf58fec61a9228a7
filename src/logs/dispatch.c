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
#include "logs/logs_internal.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOOM_BITS 16
#define TABLE_BITS 10

struct needle {
	uint32_t key;    /* the four bytes at offset off */
	uint32_t head, tail; /* the needle's first and last four bytes, for a quick reject */
	uint16_t parser; /* index in logs_parser_defs */
	uint8_t bit;     /* index in the parser's needles */
	uint8_t off;
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
	uint64_t touched;      /* parsers with hits in the current line (bit i = parser i) */
	uint64_t wanting;      /* parsers that asked for every line */
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

/* How rare a byte is in a build log (higher: rarer), to pick each needle's window. */
static int rarity(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1;
	if (c == ' ')
		return 1;
	if (c >= 'A' && c <= 'Z')
		return 3;
	if (c >= '0' && c <= '9')
		return 2;
	return c >= 0x80 ? 6 : 5;
}

static void add_key(struct logs_dispatch *d, const char *s, size_t len, size_t off, size_t parser, unsigned bit)
{
	struct needle *x = &d->needles[d->n_needles];
	x->s = s;
	x->len = len;
	x->off = (uint8_t)off;
	x->key = load32(s + off);
	x->head = load32(s);
	x->tail = load32(s + len - 4);
	x->parser = (uint16_t)parser;
	x->bit = (uint8_t)bit;
	uint32_t h = mix(x->key);
	d->bloom[(h >> (32 - BLOOM_BITS)) / 64] |= 1ull << ((h >> (32 - BLOOM_BITS)) % 64);
	uint32_t t = h >> (32 - TABLE_BITS);
	x->next = d->head[t];
	d->head[t] = (int32_t)d->n_needles;
	d->n_needles++;
}

struct logs_dispatch *logs_dispatch_new(void)
{
	struct logs_dispatch *d = xcalloc(1, sizeof(*d));
	size_t np = logs_parser_defs_n, cap = 0;
	if (np > 64) { /* the touched/wanting sets are 64-bit masks */
		fprintf(stderr, "logs: %zu parsers, at most 64 supported\n", np);
		abort();
	}
	for (size_t i = 0; i < np; i++)
		for (const char *const *n = logs_parser_defs[i]->needles; n && *n; n++)
			cap += 2;
	d->needles = xcalloc(cap ? cap : 1, sizeof(*d->needles));
	for (size_t i = 0; i < (1u << TABLE_BITS); i++)
		d->head[i] = -1;
	for (size_t i = 0; i < np; i++) {
		const char *const *n = logs_parser_defs[i]->needles;
		for (unsigned b = 0; n && n[b]; b++) {
			size_t len = strlen(n[b]);
			if (len < 5 || len > 255 || b >= LOGS_NEEDLES_MAX)
				continue; /* a programming error caught by test_dispatch */
			/* the rarest window that has a successor window inside the needle */
			size_t best = 0;
			int best_score = -1;
			for (size_t o = 0; o + 5 <= len; o++) {
				int sc = 0; /* both windows of the pair are hashed, so both count */
				for (size_t k = 0; k < 4; k++)
					sc += rarity((unsigned char)n[b][o + k]) + rarity((unsigned char)n[b][o + 1 + k]);
				if (sc >= best_score) {
					best_score = sc;
					best = o;
				}
			}
			add_key(d, n[b], len, best, i, b);
			add_key(d, n[b], len, best + 1, i, b);
		}
	}
	d->states = xcalloc(np, sizeof(void *));
	d->shared = xcalloc(np, sizeof(void *));
	d->hits = xcalloc(np, sizeof(unsigned));
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
	free(d->needles);
	free(d);
}

void logs_dispatch_begin(struct logs_dispatch *d, struct logs_acc *a)
{
	d->acc = a;
	for (size_t i = 0; i < logs_parser_defs_n; i++) {
		const struct logs_parser_def *def = logs_parser_defs[i];
		memset(d->states[i], 0, def->state_size ? def->state_size : 1);
		d->hits[i] = 0;
	}
	d->touched = d->wanting = 0;
}

/*
 * Marks the parsers whose needles occur in s. Windows are hashed at even
 * offsets only: a needle occurring at offset p has its window (at p + off) or
 * the next one (at p + off + 1) at an even offset, and both are registered.
 * Returns 1 when any needle occurred.
 */
static int probe(struct logs_dispatch *d, const char *s, size_t len, size_t i, uint32_t k)
{
	int any = 0;
	for (int32_t j = d->head[mix(k) >> (32 - TABLE_BITS)]; j >= 0; j = d->needles[j].next) {
		const struct needle *x = &d->needles[j];
		if (x->key != k || i < x->off)
			continue;
		size_t st = i - x->off;
		if (len - st < x->len || load32(s + st) != x->head || load32(s + st + x->len - 4) != x->tail)
			continue;
		if (x->len > 8 && memcmp(s + st + 4, x->s + 4, x->len - 8) != 0)
			continue;
		d->hits[x->parser] |= 1u << x->bit;
		d->touched |= 1ull << x->parser;
		any = 1;
	}
	return any;
}

static inline int bloom_has(const uint64_t *bloom, uint32_t k)
{
	uint32_t b = mix(k) >> (32 - BLOOM_BITS);
	return (bloom[b / 64] >> (b % 64)) & 1;
}

static int scan(struct logs_dispatch *d, const char *s, size_t len)
{
	int any = 0;
	if (len < 5)
		return 0;
	const uint64_t *bloom = d->bloom;
	size_t i = 0;
	/* two windows per step: independent work the CPU overlaps */
	for (; i + 6 <= len; i += 4) {
		uint32_t k0 = load32(s + i), k1 = load32(s + i + 2);
		int h0 = bloom_has(bloom, k0), h1 = bloom_has(bloom, k1);
		if (__builtin_expect(!(h0 | h1), 1))
			continue;
		if (h0)
			any |= probe(d, s, len, i, k0);
		if (h1)
			any |= probe(d, s, len, i + 2, k1);
	}
	for (; i + 4 <= len; i += 2) {
		uint32_t k = load32(s + i);
		if (bloom_has(bloom, k))
			any |= probe(d, s, len, i, k);
	}
	return any;
}

/*
 * docker compose prefixes each service's output with "name_1  | "; parallel
 * services interleave their lines, and the prefix would hide a summary's start.
 * Returns the prefix length or 0.
 */
static int name_char(unsigned char c)
{
	static const uint64_t lo = 0x03ff600000000000ull;  /* '-', '.', '0'-'9' */
	static const uint64_t hi = 0x07fffffe87fffffeull;  /* 'A'-'Z', '_', 'a'-'z' */
	return c < 64 ? (int)((lo >> c) & 1) : c < 128 ? (int)((hi >> (c - 64)) & 1) : 0;
}

static size_t compose_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && i < 64 && name_char((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= len || s[i] != ' ')
		return 0;
	size_t j = i;
	while (j < len && s[j] == ' ')
		j++;
	if (j >= len || s[j] != '|' || (j + 1 < len && s[j + 1] != ' '))
		return 0;
	return j + 1 < len ? j + 2 : j + 1;
}

void logs_dispatch_line(struct logs_dispatch *d, const struct logs_line *line)
{
	int any = scan(d, line->s, line->len);
	if (!any && !d->wanting)
		return;
	/* cut here rather than in the normaliser: only lines that reach a parser pay for it */
	struct logs_line cut = *line;
	size_t cp = compose_prefix(cut.s, cut.len);
	cut.s += cp;
	cut.len -= cp;
	const struct logs_line *ln = &cut;
	uint64_t todo = d->touched | d->wanting;
	d->touched = 0;
	while (todo) {
		size_t i = (size_t)__builtin_ctzll(todo);
		todo &= todo - 1;
		unsigned hits = d->hits[i];
		d->hits[i] = 0;
		const struct logs_parser_def *def = logs_parser_defs[i];
		if (ln->in_fold && !def->sees_folds)
			continue;
		int want = def->line(d->states[i], d->shared[i], d->acc, ln, hits) ? 1 : 0;
		if (want)
			d->wanting |= 1ull << i;
		else
			d->wanting &= ~(1ull << i);
	}
}

void logs_dispatch_end(struct logs_dispatch *d)
{
	for (size_t i = 0; i < logs_parser_defs_n; i++)
		if (logs_parser_defs[i]->finish)
			logs_parser_defs[i]->finish(d->states[i], d->shared[i], d->acc);
}
