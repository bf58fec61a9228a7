/*
 * The container kit (docs/architecture.md, Conventions: containers): a growable byte buffer with an optional
 * size cap, a string vector, and a string-keyed hash map.
 *
 * struct buf: data is always NUL-terminated (data[len] == 0) once anything
 * has been added; before that data may be NULL — use buf_cstr(). A buffer with
 * max > 0 refuses to grow past max bytes: buf_add* return ERR_TOOBIG and leave
 * the contents unchanged. buf_detach() hands the bytes to the caller (who
 * frees them) and resets the buffer.
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

struct buf {
	char *data;
	size_t len, cap;
	size_t max; /* 0: unlimited */
};
#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps memory */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON/CSV-safe quoted string is the caller's job; this is raw. */
const char *buf_cstr(const struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_truncate(struct buf *b, size_t len);

/* A vector of owned strings. */
struct strvec {
	char **v;
	size_t n, cap;
};
#define STRVEC_INIT { NULL, 0, 0 }
void strvec_push(struct strvec *sv, const char *s);
void strvec_pushf(struct strvec *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strvec_clear(struct strvec *sv);
/* Index of s in sv, or -1. */
long strvec_find(const struct strvec *sv, const char *s);
/* Splits s on sep, skipping empty pieces and trimming spaces. */
void strvec_split(struct strvec *sv, const char *s, char sep);
char *strvec_join(const struct strvec *sv, const char *sep);
/* As strvec_join, with last_sep before the last item: "a, b or c". */
char *strvec_join_last(const struct strvec *sv, const char *sep, const char *last_sep);
/*
 * The names of a registration table joined as strvec_join_last: rows[0..n),
 * each stride bytes, whose first member is the row's name (a const char *).
 * Messages, help and docs list a table's names with it, never by hand.
 */
char *str_join_names(const void *rows, size_t n, size_t stride, const char *sep, const char *last_sep);
/* 1 when w is one of the space-separated words of list ("a b c"). */
int str_has_word(const char *list, const char *w);

/* String -> pointer hash map (open addressing); keys are copied and owned. */
struct strmap_entry {
	char *key;
	void *val;
};
struct strmap {
	struct strmap_entry *slots;
	size_t n, cap;
};
#define STRMAP_INIT { NULL, 0, 0 }
/* Returns the previous value (or NULL). */
void *strmap_put(struct strmap *m, const char *key, void *val);
void *strmap_get(const struct strmap *m, const char *key);
int strmap_has(const struct strmap *m, const char *key);
/* Frees keys; calls free_val on each value when non-NULL. */
void strmap_clear(struct strmap *m, void (*free_val)(void *));
/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].key) ... */

uint64_t hash_fnv1a(const void *p, size_t n);

#endif
