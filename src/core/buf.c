/* Buffers, string vectors and the string map of the container kit. */
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_reserve(struct buf *b, size_t extra)
{
	if (b->max && b->len + extra > b->max)
		return ERR_TOOBIG;
	if (b->len + extra + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->len + extra + 1)
			ncap *= 2;
		b->data = xrealloc(b->data, ncap);
		b->cap = ncap;
	}
	return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return ERR_TOOBIG;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return ERR_INTERNAL;
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if (buf_reserve(b, (size_t)n) < 0)
		return ERR_TOOBIG;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data ? b->data : xstrdup("");
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void strvec_push(struct strvec *sv, const char *s)
{
	xgrow((void **)&sv->v, &sv->cap, sv->n + 2, sizeof(char *));
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	xgrow((void **)&sv->v, &sv->cap, sv->n + 2, sizeof(char *));
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strvec_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

long strvec_find(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

void strvec_split(struct strvec *sv, const char *s, char sep)
{
	while (s && *s) {
		const char *end = strchr(s, sep);
		size_t n = end ? (size_t)(end - s) : strlen(s);
		const char *a = s, *z = s + n;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if (z > a) {
			char *piece = xstrndup(a, (size_t)(z - a));
			strvec_push(sv, piece);
			free(piece);
		}
		s = end ? end + 1 : NULL;
	}
}

char *strvec_join(const struct strvec *sv, const char *sep)
{
	return strvec_join_last(sv, sep, sep);
}

char *strvec_join_last(const struct strvec *sv, const char *sep, const char *last_sep)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			buf_addstr(&b, i + 1 == sv->n ? last_sep : sep);
		buf_addstr(&b, sv->v[i]);
	}
	return buf_detach(&b, NULL);
}

char *str_join_names(const void *rows, size_t n, size_t stride, const char *sep, const char *last_sep)
{
	struct strvec v = STRVEC_INIT;
	for (size_t i = 0; i < n; i++)
		strvec_push(&v, *(const char *const *)((const char *)rows + i * stride));
	char *s = strvec_join_last(&v, sep, last_sep);
	strvec_clear(&v);
	return s;
}

int str_has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; n && (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

uint64_t hash_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Keys can be long (the SQLite driver caches statements by their SQL text), so
 * the map hashes eight bytes at a time rather than byte by byte.
 */
static uint64_t hash_words(const char *key, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	uint64_t tail = 0;
	memcpy(&tail, key + i, n - i);
	h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

static size_t strmap_slot(const struct strmap *m, const char *key)
{
	size_t i = (size_t)hash_words(key, strlen(key)) & (m->cap - 1);
	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void strmap_rehash(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			m->slots[strmap_slot(m, old.slots[i].key)] = old.slots[i];
	free(old.slots);
}

void *strmap_put(struct strmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 4 >= m->cap * 3)
		strmap_rehash(m);
	size_t i = strmap_slot(m, key);
	if (m->slots[i].key) {
		void *prev = m->slots[i].val;
		m->slots[i].val = val;
		return prev;
	}
	m->slots[i].key = xstrdup(key);
	m->slots[i].val = val;
	m->n++;
	return NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = strmap_slot(m, key);
	return m->slots[i].key ? m->slots[i].val : NULL;
}

int strmap_has(const struct strmap *m, const char *key)
{
	return m->cap && m->slots[strmap_slot(m, key)].key != NULL;
}

void strmap_clear(struct strmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key) {
			free(m->slots[i].key);
			if (free_val)
				free_val(m->slots[i].val);
		}
	}
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}
