/*
 * Secret redaction for every text that leaves the process (issue 20): error
 * messages (err.c runs every message through it), log lines (log.c), and the
 * URLs the command line prints. What counts as a secret, in any text:
 *   - the password of a URL's user information:
 *       postgresql://alice:S3cret@host/db  ->  postgresql://alice:***@host/db
 *       https://x-access-token:ghs_..@github.com/o/r.git -> https://x-access-token:***@github.com/o/r.git
 *   - the value of a password=, token=, secret=, access_token= or
 *     private_token= parameter (libpq keyword strings, URL query strings):
 *       host=h password=S3cret  ->  host=h password=***
 * The user name stays, so that a message still says which account failed.
 */
#ifndef CORE_REDACT_H
#define CORE_REDACT_H
#include <stddef.h>

/* A copy of s with its secrets replaced by ***; the caller frees it. NULL gives NULL. */
char *redact_secrets(const char *s);
/* The same, in place in a buffer of cap bytes (truncating when *** is longer than the secret). */
void redact_secrets_in(char *s, size_t cap);

#endif
