/* Progress bars and progress lines (see progress.h). */
#include "cli/progress.h"
#include "core/utc.h"
#include <stdio.h>
#include <unistd.h>

/* "1:05:07", "4:07" or "7 s". */
static void fmt_duration(char *out, size_t n, double sec)
{
	long s = sec < 0 ? 0 : (long)(sec + 0.5);
	if (s >= 3600)
		snprintf(out, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else if (s >= 60)
		snprintf(out, n, "%ld:%02ld", s / 60, s % 60);
	else
		snprintf(out, n, "%ld s", s);
}

/* "450/1000 45% 12.3/s, 0:45 left" (or "450 done, 12 s" when the total is unknown). */
static void describe(const struct progress *p, char *out, size_t n, int64_t now)
{
	double el = (now - p->start_usec) / 1e6, rate = el > 0 ? p->done / el : 0;
	char took[32], left[32];
	fmt_duration(took, sizeof(took), el);
	if (p->total <= 0) {
		if (p->done > 0)
			snprintf(out, n, "%lld done, %s", (long long)p->done, took);
		else
			snprintf(out, n, "running, %s", took);
		return;
	}
	int pct = (int)(p->done * 100 / p->total);
	if (rate > 0 && p->done < p->total) {
		fmt_duration(left, sizeof(left), (p->total - p->done) / rate);
		snprintf(out, n, "%3d%% %lld/%lld, %.1f/s, %s left", pct, (long long)p->done, (long long)p->total, rate,
			 left);
	} else {
		snprintf(out, n, "%3d%% %lld/%lld, %s", pct, (long long)p->done, (long long)p->total, took);
	}
}

static void draw(struct progress *p, int64_t now)
{
	int width = 24, fill = p->total > 0 ? (int)(p->done * width / p->total) : 0;
	if (fill > width)
		fill = width;
	char bar[64], text[160];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	describe(p, text, sizeof(text), now);
	if (p->total > 0)
		fprintf(stderr, "\r%-11s [%s] %s\033[K", p->label, bar, text);
	else
		fprintf(stderr, "\r%-11s %s\033[K", p->label, text);
	fflush(stderr);
	p->drawn = 1;
}

static void line(struct progress *p, int64_t now)
{
	char text[160];
	describe(p, text, sizeof(text), now);
	fprintf(stderr, "%s: %s\n", p->label, text);
	fflush(stderr);
	p->last_line_usec = now;
}

void progress_start(struct progress *p, const char *label, int64_t total, int enabled)
{
	*p = (struct progress){ .label = label, .total = total };
	p->mode = !enabled ? PROGRESS_OFF : isatty(STDERR_FILENO) ? PROGRESS_TERMINAL : PROGRESS_LINES;
	p->start_usec = p->last_line_usec = mono_now();
	if (p->mode == PROGRESS_TERMINAL)
		draw(p, p->start_usec);
}

void progress_update(struct progress *p, int64_t done, int64_t total)
{
	p->done = done;
	p->total = total;
	int64_t now = mono_now();
	if (p->mode == PROGRESS_TERMINAL && now - p->last_draw_usec >= 100000) {
		p->last_draw_usec = now;
		draw(p, now);
	} else if (p->mode == PROGRESS_LINES) {
		int decile = total > 0 ? (int)(done * 10 / total) : 0;
		if ((decile > p->last_decile && done < total) || now - p->last_line_usec >= 10000000) {
			p->last_decile = decile;
			line(p, now);
		}
	}
}

void progress_note(struct progress *p, const char *msg)
{
	if (p->mode == PROGRESS_OFF)
		return;
	if (p->mode == PROGRESS_TERMINAL && p->drawn)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "%s: %s\n", p->label, msg);
	p->drawn = 0;
	if (p->mode == PROGRESS_TERMINAL)
		draw(p, mono_now());
	fflush(stderr);
}

void progress_finish(struct progress *p)
{
	int64_t now = mono_now();
	if (p->mode == PROGRESS_TERMINAL) {
		draw(p, now);
		fputc('\n', stderr);
	} else if (p->mode == PROGRESS_LINES) {
		char took[32];
		fmt_duration(took, sizeof(took), (now - p->start_usec) / 1e6);
		if (p->total > 0)
			fprintf(stderr, "%s: done %lld/%lld in %s\n", p->label, (long long)p->done, (long long)p->total, took);
		else
			fprintf(stderr, "%s: done in %s\n", p->label, took);
	}
	fflush(stderr);
}
