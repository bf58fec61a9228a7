/*
 * UTF-8 checking (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), streaming so that a file can be checked block by block, and a
 * lossy repair for text that must be shown whatever it holds.
 *
 * Why: bytes that are not UTF-8 (a Latin-1 CSV, a provider's odd payload)
 * cannot go into JSON; jansson refuses them and a key silently disappears.
 * Inputs are refused naming the line and byte offset; outputs are repaired
 * with U+FFFD so that nothing becomes invisible.
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H
#include <stddef.h>
#include <stdint.h>

struct utf8_scan {
	int need;             /* continuation bytes still expected */
	unsigned char lo, hi; /* range of the next continuation byte */
	int64_t line;         /* physical line (LF, CRLF or a lone CR), 1-based once started */
	int prev_cr;
	unsigned char lead;   /* first byte of the character being read, and its offset: what to report */
	int64_t lead_at;
};
#define UTF8_SCAN_INIT { 0, 0x80, 0xBF, 1, 0, 0, 0 }

/* Checks the next n bytes, which start at file offset offset; -1 at the first bad character (s->lead, s->lead_at, s->line say where). */
int utf8_scan_block(struct utf8_scan *s, const unsigned char *p, size_t n, int64_t offset);
/* 1 when the scan stopped inside a character (the input ended mid-sequence). */
int utf8_scan_unfinished(const struct utf8_scan *s);
/* 1 when s (NUL-terminated) is valid UTF-8. */
int utf8_valid(const char *s);
/* A copy of s with every byte that is not part of a valid character replaced by U+FFFD; the caller frees. */
char *utf8_repair(const char *s);

#endif
