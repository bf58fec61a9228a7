/*
 * The one error model (docs/architecture.md, "Error model and exit
 * status"). A function that can fail returns 0 or a
 * negative ERR_* code and fills the caller's struct err with a message a user
 * can act on: what happened, the offending value, what to do. Callers add
 * context on the way up with err_prefix() ("source 3: row 17: ...").
 *
 * Codes are grouped so that the command line can map them to exit status:
 * ERR_USAGE and ERR_INPUT are the user's to fix (exit 2); every other code
 * means the operation ran and failed (exit 1).
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H
#include <stdarg.h>

enum err_code {
	ERR_OK = 0,
	ERR_USAGE = -1,       /* bad command-line usage */
	ERR_INPUT = -2,       /* bad input file or value */
	ERR_IO = -3,          /* file system */
	ERR_DB = -4,          /* database error */
	ERR_NOT_FOUND = -5,   /* the named thing does not exist */
	ERR_CONFLICT = -6,    /* refused state transition, duplicate, busy */
	ERR_TOOBIG = -7,      /* a size cap was reached */
	ERR_NETWORK = -8,     /* transport failure; retryable */
	ERR_PERMANENT = -9,   /* failure that retrying cannot fix */
	ERR_INTERNAL = -10,   /* a bug */
	ERR_TIMEOUT = -11,
	ERR_RATE_LIMITED = -12,
	ERR_CANCELLED = -13,
};

#define ERR_MSG_MAX 1024

#define ERR_FIELD_MAX 128

struct err {
	int code;
	char msg[ERR_MSG_MAX];
	/* The input field the error is about ("--status", "splitting_config.ratios"),
	 * or "" when none: `--json` reports it as {"error": {..., "field"}}. */
	char field[ERR_FIELD_MAX];
};
#define ERR_INIT { 0, { 0 }, { 0 } }

/* Sets code and message (and clears the field); returns code so callers can `return err_set(...)`. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int err_vset(struct err *e, int code, const char *fmt, va_list ap);
/* Prepends "context: " to the message; returns the current code. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
/* Names the input field the error is about (after err_set); returns the current code. */
int err_field(struct err *e, const char *field);
/* Copies src into dst (dst may be NULL); returns the code. */
int err_copy(struct err *dst, const struct err *src);
/* A short stable name for a code ("not_found"). */
const char *err_code_name(int code);
/* Exit status the command line uses for a code: 0, 1 or 2. */
int err_exit_status(int code);

#endif
