/* Error objects: a code and a composable, user-facing message. */
#include "core/err.h"
#include "core/redact.h"
#include <stdio.h>
#include <string.h>

int err_vset(struct err *e, int code, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	e->field[0] = '\0';
	redact_secrets_in(e->msg, sizeof(e->msg)); /* messages reach terminals, CI logs, events and job rows */
	return code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	if (!e)
		return ERR_INTERNAL;
	char joined[2 * ERR_MSG_MAX + 2];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(joined, ERR_MSG_MAX, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n >= ERR_MSG_MAX)
		n = ERR_MSG_MAX - 1;
	memcpy(joined + n, ": ", 2);
	memcpy(joined + n + 2, e->msg, ERR_MSG_MAX);
	joined[n + 2 + ERR_MSG_MAX - 1] = '\0';
	memcpy(e->msg, joined, ERR_MSG_MAX - 1);
	e->msg[ERR_MSG_MAX - 1] = '\0';
	redact_secrets_in(e->msg, sizeof(e->msg));
	return e->code;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = 0;
		e->msg[0] = '\0';
		e->field[0] = '\0';
	}
}

int err_field(struct err *e, const char *field)
{
	if (!e)
		return ERR_INTERNAL;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	return e->code;
}

int err_copy(struct err *dst, const struct err *src)
{
	if (dst && dst != src)
		memcpy(dst, src, sizeof(*dst));
	return src->code;
}

const char *err_code_name(int code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_USAGE: return "usage";
	case ERR_INPUT: return "input";
	case ERR_IO: return "io";
	case ERR_DB: return "database";
	case ERR_NOT_FOUND: return "not_found";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOOBIG: return "too_big";
	case ERR_NETWORK: return "network";
	case ERR_PERMANENT: return "permanent";
	case ERR_TIMEOUT: return "timeout";
	case ERR_RATE_LIMITED: return "rate_limited";
	case ERR_CANCELLED: return "cancelled";
	default: return "internal";
	}
}

int err_exit_status(int code)
{
	if (code == ERR_OK)
		return 0;
	if (code == ERR_USAGE || code == ERR_INPUT)
		return 2;
	return 1;
}
