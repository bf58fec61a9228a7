/*
 * Logging to stderr with levels. The level is process-wide (set once by the
 * command line from -v / --verbose and CIMINER_LOG); this is the one piece of
 * global state ciminer keeps, because every layer logs and threading a logger
 * through every call would add nothing a test needs. Lines are written with
 * one fputs per line so concurrent workers do not interleave mid-line.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
