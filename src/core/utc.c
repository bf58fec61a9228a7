/* ISO-8601 parsing and formatting in UTC, without the locale-dependent libc. */
#include "core/utc.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t utc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil: exact for the proleptic calendar. */
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

int utc_parse(int64_t *out, const char *s, struct err *e)
{
	const char *p = s;
	int Y, M, D, h = 0, mi = 0, sec = 0;
	int64_t frac = 0;
	if (!s)
		return err_set(e, ERR_INPUT, "missing timestamp");
	while (*p == ' ')
		p++;
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' || digits(&p, 2, &D))
		goto bad;
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1])
		goto bad;
	if (M == 2 && D == 29 && !((Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				goto bad;
		}
		if (h > 23 || mi > 59 || sec > 60)
			goto bad;
		if (*p == '.' || *p == ',') {
			p++;
			int nd = 0;
			if (!isdigit((unsigned char)*p))
				goto bad;
			while (isdigit((unsigned char)*p)) {
				if (nd < 6) {
					frac = frac * 10 + (*p - '0');
					nd++;
				}
				p++;
			}
			while (nd++ < 6)
				frac *= 10;
		}
	}
	int64_t offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if (digits(&p, 2, &oh))
			goto bad;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &om))
			goto bad;
		offset = sign * (oh * 3600 + om * 60);
	}
	while (*p == ' ')
		p++;
	if (*p)
		goto bad;
	int64_t days = utc_days_from_civil(Y, (unsigned)M, (unsigned)D);
	*out = ((days * 86400 + h * 3600 + mi * 60 + sec) - offset) * USEC_PER_SEC + frac;
	return 0;
bad:
	return err_set(e, ERR_INPUT, "'%s' is not an ISO-8601 timestamp; write it as 2024-01-31 or 2024-01-31T12:00:00Z", s);
}

char *utc_format(int64_t usec, char *out)
{
	int64_t secs = usec / USEC_PER_SEC, us = usec % USEC_PER_SEC;
	if (us < 0) {
		us += USEC_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (us)
		snprintf(out, UTC_FMT_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lldZ", (long long)y, m, d,
			 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (long long)us);
	else
		snprintf(out, UTC_FMT_MAX, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
			 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return out;
}

char *utc_format_date(int64_t usec, char *out)
{
	utc_format(usec, out);
	out[10] = '\0';
	return out;
}

int64_t utc_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

int64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

int utc_weekday(int64_t usec)
{
	int64_t days = usec / USEC_PER_DAY;
	if (usec % USEC_PER_DAY < 0)
		days--;
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int utc_hour(int64_t usec)
{
	int64_t rem = usec % USEC_PER_DAY;
	if (rem < 0)
		rem += USEC_PER_DAY;
	return (int)(rem / (3600 * USEC_PER_SEC));
}
