/*
 * Small bounded text helpers for the parsers: literal search, numbers,
 * "<number> <word>" pairs (so that summaries are read whatever the order of
 * their parts: "5 failed, 124 passed" and "124 passed, 5 failed"), and the
 * duration formats test tools print.
 */
#include "logs/logs_internal.h"
#include <string.h>

const char *logs_find(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle));
}

int logs_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

const char *logs_skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

long long logs_read_int(const char **p, const char *end)
{
	const char *s = *p;
	long long v = 0;
	if (s >= end || !is_digit(*s))
		return -1;
	/* Cap at 10^15: no log counts more tests, and it keeps sums far from overflow. */
	while (s < end && is_digit(*s)) {
		if (v < 1000000000000000LL)
			v = v * 10 + (*s - '0');
		s++;
	}
	*p = s;
	return v;
}

double logs_read_num(const char **p, const char *end)
{
	const char *s = *p;
	double v = 0;
	int any = 0;
	while (s < end && is_digit(*s)) {
		if (v < 1e15)
			v = v * 10 + (*s - '0');
		s++;
		any = 1;
	}
	if (s + 1 < end && *s == '.' && is_digit(s[1])) {
		double f = 0.1;
		s++;
		while (s < end && is_digit(*s)) {
			v += f * (*s - '0');
			f /= 10;
			s++;
		}
		any = 1;
	}
	if (!any)
		return -1;
	*p = s;
	return v;
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

int logs_pairs(const char *s, size_t len, void (*fn)(void *ctx, long long n, const char *w, size_t wl),
	       void *ctx)
{
	const char *p = s, *end = s + len;
	int n = 0;
	while (p < end) {
		if (!is_digit(*p) || (p > s && (is_digit(p[-1]) || is_word(p[-1]) || p[-1] == '.'))) {
			p++;
			continue;
		}
		long long v = logs_read_int(&p, end);
		if (p < end && *p == '.') /* a decimal: not a count */
			continue;
		if (p >= end || *p != ' ')
			continue;
		const char *w = p + 1, *we = w;
		while (we < end && is_word(*we))
			we++;
		if (we == w)
			continue;
		fn(ctx, v, w, (size_t)(we - w));
		n++;
		p = we;
	}
	return n;
}

int logs_word_is(const char *w, size_t wl, const char *lit)
{
	return strlen(lit) == wl && memcmp(w, lit, wl) == 0;
}

long long logs_value_after(const char *s, size_t len, const char *key)
{
	const char *end = s + len;
	const char *k = logs_find(s, len, key);
	while (k) {
		const char *p = k + strlen(key);
		if (p < end && (*p == '=' || *p == ':'))
			p++;
		p = logs_skip_ws(p, end);
		long long v = logs_read_int(&p, end);
		if (v >= 0)
			return v;
		size_t off = (size_t)(k + 1 - s);
		k = off < len ? logs_find(k + 1, len - off, key) : NULL;
	}
	return -1;
}

/* One "<num><unit>" term; returns seconds or -1. */
static double unit_seconds(const char *u, size_t ul, double v)
{
	if (ul == 0)
		return -1;
	if ((ul == 2 && memcmp(u, "ms", 2) == 0) || (ul >= 4 && memcmp(u, "msec", 4) == 0) ||
	    (ul >= 6 && memcmp(u, "millis", 6) == 0))
		return v / 1000;
	if (u[0] == 's')
		return v;
	if (u[0] == 'm')
		return v * 60;
	if (u[0] == 'h')
		return v * 3600;
	return -1;
}

double logs_parse_duration(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	double total = -1;
	p = logs_skip_ws(p, end);
	while (p < end) {
		const char *start = p;
		double v = logs_read_num(&p, end);
		if (v < 0)
			break;
		if (p < end && *p == ':') { /* 1:02 min, 0:01:02 */
			double parts[3] = { v, 0, 0 };
			int np = 1;
			while (np < 3 && p < end && *p == ':') {
				p++;
				double w = logs_read_num(&p, end);
				if (w < 0)
					break;
				parts[np++] = w;
			}
			const char *q = logs_skip_ws(p, end);
			if (np == 2 && end - q >= 3 && memcmp(q, "min", 3) == 0)
				return parts[0] * 60 + parts[1];
			if (np == 2)
				return parts[0] * 60 + parts[1];
			return parts[0] * 3600 + parts[1] * 60 + parts[2];
		}
		p = logs_skip_ws(p, end);
		const char *u = p;
		while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		double sec = unit_seconds(u, (size_t)(p - u), v);
		if (sec < 0) {
			if (total < 0 && start == s)
				return -1;
			break;
		}
		total = (total < 0 ? 0 : total) + sec;
		while (p < end && (*p == ' ' || *p == ','))
			p++;
	}
	return total;
}
