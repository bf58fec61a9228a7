/*
 * Checked allocation. Every allocation in ciminer goes through these: on
 * out-of-memory they print one line and abort, so callers never test for NULL
 * (the policy of tmux's xmalloc.c). Memory filled from the network or from a
 * log is additionally capped by the container that holds it (core/buf.h).
 */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (holding *cap elements of elsize) so it holds at least need. */
void  xgrow(void **p, size_t *cap, size_t need, size_t elsize);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a freshly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

#endif
