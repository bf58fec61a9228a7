/* Secret redaction (redact.h): one pass over the text, copying into a buffer. */
#include "core/redact.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const param_names[] = { "password=", "passwd=", "token=", "secret=", "access_token=",
					    "private_token=" };

/* Length of the URL password starting at p (just after "user:"), or 0 when p is not in a URL's user info. */
static size_t url_password_len(const char *start, const char *p)
{
	/* p follows "scheme://user:"; find the scheme separator on this word. */
	const char *q = p - 1; /* the ':' */
	while (q > start && q[-1] != '/' && !isspace((unsigned char)q[-1]) && q[-1] != '@')
		q--;
	if (q - start < 2 || q[-1] != '/' || q[-2] != '/' || q == p - 1)
		return 0;
	size_t n = 0;
	while (p[n] && p[n] != '@' && p[n] != '/' && !isspace((unsigned char)p[n]))
		n++;
	return p[n] == '@' && n > 0 ? n : 0;
}

/* Length of a parameter's value starting at p. */
static size_t param_value_len(const char *p)
{
	size_t n = 0;
	if (*p == '\'') { /* libpq quoting: password='a b' */
		n = 1;
		while (p[n] && p[n] != '\'')
			n += p[n] == '\\' && p[n + 1] ? 2 : 1;
		return p[n] ? n + 1 : n;
	}
	while (p[n] && p[n] != '&' && p[n] != ' ' && p[n] != '\t' && p[n] != '\n' && p[n] != '"' && p[n] != ',' &&
	       p[n] != ')' && p[n] != '\'')
		n++;
	return n;
}

char *redact_secrets(const char *s)
{
	if (!s)
		return NULL;
	struct buf b = BUF_INIT;
	const char *p = s;
	while (*p) {
		if (*p == ':' && p > s) {
			size_t n = url_password_len(s, p + 1);
			if (n) {
				buf_add(&b, ":***", 4);
				p += 1 + n;
				continue;
			}
		}
		int done = 0;
		if (p == s || !isalnum((unsigned char)p[-1])) {
			for (size_t i = 0; i < sizeof(param_names) / sizeof(param_names[0]); i++) {
				size_t k = strlen(param_names[i]);
				if (strncasecmp(p, param_names[i], k) == 0 && param_value_len(p + k) > 0) {
					buf_add(&b, p, k);
					buf_add(&b, "***", 3);
					p += k + param_value_len(p + k);
					done = 1;
					break;
				}
			}
		}
		if (!done)
			buf_addch(&b, *p++);
	}
	return b.len ? buf_detach(&b, NULL) : xstrdup("");
}

void redact_secrets_in(char *s, size_t cap)
{
	if (!s || cap == 0 || (!strchr(s, '@') && !strchr(s, '=')))
		return; /* the common case: nothing that could hold a secret */
	char *r = redact_secrets(s);
	size_t n = strlen(r);
	if (n >= cap)
		n = cap - 1;
	memcpy(s, r, n);
	s[n] = '\0';
	free(r);
}
