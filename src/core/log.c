/* stderr logger with a process-wide level (see log.h for why it is global). */
#include "core/log.h"
#include "core/redact.h"
#include "core/utc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>

static _Atomic int current_level = LOG_WARN;

void log_set_level(enum log_level lvl)
{
	atomic_store(&current_level, (int)lvl);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&current_level);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	if ((int)lvl > atomic_load(&current_level))
		return;
	char line[2048], ts[40];
	utc_format(utc_now(), ts);
	int n = snprintf(line, sizeof(line), "%s %s: ", ts, names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	redact_secrets_in(line, sizeof(line) - 1);
	size_t len = 0;
	while (line[len])
		len++;
	line[len] = '\n';
	line[len + 1] = '\0';
	fputs(line, stderr);
}
