/* UTF-8 checking and repair (utf8.h). */
#include "core/utf8.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <string.h>

/* Continuation bytes a lead byte needs, and the range of the first one; -1 when c cannot start a character. */
static int lead_info(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c < 0x80)
		return 0;
	if (c >= 0xC2 && c <= 0xDF)
		return 1;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0; /* overlong */
		else if (c == 0xED)
			*hi = 0x9F; /* surrogates */
		return 2;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90; /* overlong */
		else if (c == 0xF4)
			*hi = 0x8F; /* past U+10FFFF */
		return 3;
	}
	return -1;
}

int utf8_scan_block(struct utf8_scan *s, const unsigned char *p, size_t n, int64_t offset)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (s->need) {
			if (c < s->lo || c > s->hi)
				return -1;
			s->need--;
			s->lo = 0x80;
			s->hi = 0xBF;
			continue;
		}
		if (c == '\n' && !s->prev_cr)
			s->line++;
		else if (c == '\r')
			s->line++;
		s->prev_cr = c == '\r';
		if (c < 0x80)
			continue;
		s->lead = c;
		s->lead_at = offset + (int64_t)i;
		int need = lead_info(c, &s->lo, &s->hi);
		if (need < 0)
			return -1;
		s->need = need;
	}
	return 0;
}

int utf8_scan_unfinished(const struct utf8_scan *s)
{
	return s->need != 0;
}

/* Length of the valid character at p (1..4), or 0 when p does not start one. */
static size_t char_len(const unsigned char *p)
{
	unsigned char lo, hi;
	int need = lead_info(p[0], &lo, &hi);
	if (need < 0)
		return 0;
	for (int k = 1; k <= need; k++) {
		if (p[k] < lo || p[k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return (size_t)need + 1;
}

int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = char_len(p);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

char *utf8_repair(const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = char_len(p);
		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_add(&b, "\xEF\xBF\xBD", 3);
			p++;
		}
	}
	return b.len ? buf_detach(&b, NULL) : xstrdup("");
}
