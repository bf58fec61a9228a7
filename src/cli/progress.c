/* Terminal progress bars (see progress.h). */
#include "cli/progress.h"
#include "core/utc.h"
#include <stdio.h>
#include <unistd.h>

static void draw(struct progress *p)
{
	int width = 30, fill = p->total > 0 ? (int)(p->done * width / p->total) : 0;
	if (fill > width)
		fill = width;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	int pct = p->total > 0 ? (int)(p->done * 100 / p->total) : 0;
	fprintf(stderr, "\r%-12s [%s] %3d%% %lld/%lld", p->label, bar, pct, (long long)p->done, (long long)p->total);
	fflush(stderr);
}

void progress_start(struct progress *p, const char *label, int64_t total, int enabled)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->enabled = enabled && isatty(STDERR_FILENO);
	p->last_draw_usec = 0;
	if (p->enabled)
		draw(p);
}

void progress_update(struct progress *p, int64_t done, int64_t total)
{
	p->done = done;
	p->total = total;
	if (!p->enabled)
		return;
	int64_t now = mono_now();
	if (now - p->last_draw_usec < 100000)
		return;
	p->last_draw_usec = now;
	draw(p);
}

void progress_finish(struct progress *p)
{
	if (!p->enabled)
		return;
	draw(p);
	fputc('\n', stderr);
}
