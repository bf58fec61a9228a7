/*
 * UTC timestamps. Everywhere inside ciminer a point in time is an int64 count
 * of microseconds since 1970-01-01T00:00:00Z ("usec"); the database stores
 * that integer, so comparisons and indexes are exact on both drivers.
 *
 * utc_parse() accepts ISO-8601 / RFC 3339: "2022-06-06T06:52:18Z",
 * "2022-06-06T06:52:18.9945789Z" (fraction truncated to microseconds),
 * "2022-06-06 06:52:18+02:00", "2022-06-06T06:52:18" (taken as UTC), and a
 * bare date "2022-06-06" (midnight UTC). utc_format() writes
 * "2022-06-06T06:52:18Z", or with ".ffffff" when the microseconds are not 0.
 */
#ifndef CORE_UTC_H
#define CORE_UTC_H
#include <stdint.h>
#include "core/err.h"

#define UTC_FMT_MAX 40
#define USEC_PER_SEC 1000000LL
#define USEC_PER_DAY (86400LL * USEC_PER_SEC)

int utc_parse(int64_t *out, const char *s, struct err *e);
/* Writes into out (at least UTC_FMT_MAX bytes); returns out. */
char *utc_format(int64_t usec, char *out);
/* "2022-06-06" */
char *utc_format_date(int64_t usec, char *out);
int64_t utc_now(void);
/* Monotonic clock in microseconds, for durations. */
int64_t mono_now(void);
/* Days from civil date (proleptic Gregorian) to 1970-01-01. */
int64_t utc_days_from_civil(int64_t y, unsigned m, unsigned d);
/* 0 = Monday ... 6 = Sunday */
int utc_weekday(int64_t usec);
int utc_hour(int64_t usec);

#endif
