/*
 * The normaliser: bytes in any chunking -> clean lines for the dispatcher.
 *
 * Per line: GitHub's "2022-06-06T06:52:18.9945789Z " prefix is cut (its text
 * is kept for durations), the line is split at carriage returns, ANSI escape
 * sequences are dropped, Travis markers (travis_fold,
 * travis_time) are consumed and GitHub markers (##[group], ##[endgroup]) update
 * the group state. NUL bytes and invalid UTF-8 are kept as bytes: every
 * parser works on lengths, never stops at a NUL, and names are made valid
 * UTF-8 only when written as JSON. A lone CR separates lines, as in the reference analyzers
 * (which read logs with universal newlines) and in old Travis logs that use
 * no LF at all; but a CR followed by an erase-line escape (ESC[K, ESC[2K) is
 * a progress frame being redrawn, and the frame before it is dropped.
 * (docker compose's "service_1  | " prefixes are cut by the dispatcher, for
 * the lines that reach a parser.)
 *
 * Memory: one line buffer of LOGS_LINE_MAX + 1 bytes and a carry buffer for a
 * line split across chunks, capped the same way; longer lines are cut.
 */
#include "logs/logs_internal.h"
#include "core/xalloc.h"
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct logs_norm {
	struct logs_dispatch *d;
	struct logs_acc *a;
	char *carry;      /* start of a line not yet ended by LF */
	size_t carry_len;
	int carry_cut;    /* the carried line passed LOGS_LINE_MAX */
	char *line;       /* the current clean line */
	int in_fold, in_group;
	int setup_fold;   /* current Travis fold counts as setup */
	double setup_sec;
	char ts[32];
	uint64_t lineno;  /* of the raw line being read, 1-based */
};

struct logs_norm *logs_norm_new(struct logs_dispatch *d)
{
	struct logs_norm *n = xcalloc(1, sizeof(*n));
	n->d = d;
	n->carry = xmalloc(LOGS_LINE_MAX + 1);
	n->line = xmalloc(LOGS_LINE_MAX + 1);
	return n;
}

void logs_norm_free(struct logs_norm *n)
{
	if (!n)
		return;
	free(n->carry);
	free(n->line);
	free(n);
}

void logs_norm_begin(struct logs_norm *n, struct logs_acc *a)
{
	n->a = a;
	n->carry_len = 0;
	n->carry_cut = 0;
	n->in_fold = n->in_group = n->setup_fold = 0;
	n->setup_sec = -1;
	n->ts[0] = 0;
	n->lineno = 0;
}

static int is_d(char c)
{
	return c >= '0' && c <= '9';
}

/* "2022-06-06T06:52:18.9945789Z " (the fraction may have 1 to 9 digits). Returns its length or 0. */
static size_t gha_stamp(const char *s, size_t len)
{
	if (len < 21 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    !is_d(s[0]) || !is_d(s[3]) || !is_d(s[11]) || !is_d(s[18]))
		return 0;
	size_t i = 19;
	if (s[i] == '.') {
		i++;
		while (i < len && i < 30 && is_d(s[i]))
			i++;
	}
	if (i + 1 < len && s[i] == 'Z' && s[i + 1] == ' ')
		return i + 2;
	if (i + 1 == len && s[i] == 'Z')
		return i + 1;
	return 0;
}

/* Copies s into out without ANSI escapes; returns the new length. */
static size_t clean(char *out, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		/* copy the run up to the next escape in one go */
		const char *e = memchr(s + i, 0x1b, len - i);
		size_t run = e ? (size_t)(e - (s + i)) : len - i;
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= len)
			break;
		/* s[i] is ESC */
		if (i + 1 < len && s[i + 1] == '[') { /* CSI: params, intermediates, final */
			i += 2;
			while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x3f)
				i++;
			/* i now at the final byte (or len), which the loop steps over */
		} else if (i + 1 < len && s[i + 1] == ']') { /* OSC: until BEL or ESC \ */
			i += 2;
			while (i < len && s[i] != 0x07 && !(s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\'))
				i++;
			if (i < len && s[i] == 0x1b)
				i++;
		} else {
			i++; /* two-byte escape */
		}
	}
	out[o] = 0;
	return o;
}

static const char *const setup_folds[] = { "system_info", "git.checkout", "services", "before_install",
					   "before.install", NULL };

static void travis_marker(struct logs_norm *n, const char *s, size_t len)
{
	if (logs_starts(s, len, "travis_fold:start:")) {
		const char *name = s + 18;
		size_t nl = len - 18;
		n->in_fold = 1;
		n->setup_fold = 0;
		for (const char *const *f = setup_folds; *f; f++)
			if (logs_starts(name, nl, *f))
				n->setup_fold = 1;
	} else if (logs_starts(s, len, "travis_fold:end:")) {
		n->in_fold = 0;
		n->setup_fold = 0;
	} else if (logs_starts(s, len, "travis_time:end:") && n->setup_fold) {
		const char *d = logs_find(s, len, "duration=");
		if (d) {
			const char *p = d + 9;
			long long ns = logs_read_int(&p, s + len);
			if (ns >= 0)
				n->setup_sec = (n->setup_sec < 0 ? 0 : n->setup_sec) + (double)ns / 1e9;
		}
	}
	if (n->a->provider == LOGS_PROV_PLAIN)
		n->a->provider = LOGS_PROV_TRAVIS;
}

/* One segment of text (between CRs), already without CR/LF; esc: it may hold ESC. */
static void segment(struct logs_norm *n, const char *s, size_t len, int esc)
{
	size_t l = len;
	const char *t = s;
	if (esc && memchr(s, 0x1b, len)) {
		l = clean(n->line, s, len);
		t = n->line;
	}
	if (l > 0 && t[0] == 't' && logs_starts(t, l, "travis_")) {
		if (logs_starts(t, l, "travis_fold:") || logs_starts(t, l, "travis_time:")) {
			travis_marker(n, t, l);
			/* "travis_fold:start:x<ESC>[0Ktravis_time:start:y<ESC>[0K$ git clone ...": the command
			 * echoed on the marker's line starts a section of the failure chunk */
			const char *cmd = logs_find(t, l, "$ ");
			if (cmd && n->a->fail)
				logs_fail_line(n->a->fail, cmd, (size_t)(t + l - cmd), n->lineno);
			return;
		}
	}
	if (l == 0)
		return;
	if (n->a->fail)
		logs_fail_line(n->a->fail, t, l, n->lineno);
	if (t[0] == '#' && logs_starts(t, l, "##[")) {
		if (logs_starts(t, l, "##[group]"))
			n->in_group = 1;
		else if (logs_starts(t, l, "##[endgroup]"))
			n->in_group = 0;
		if (n->a->provider == LOGS_PROV_PLAIN)
			n->a->provider = LOGS_PROV_GHA;
	}
	struct logs_line ln = { t, l, n->in_fold, n->in_group, n->ts[0] ? n->ts : NULL };
	n->a->res->lines++;
	logs_dispatch_line(n->d, &ln);
}

/* Which of CR (1) and ESC (2) occur in s: one pass instead of two memchr calls per line. */
static unsigned specials(const char *s, size_t len)
{
	unsigned f = 0;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i cr = _mm_set1_epi8('\r'), esc = _mm_set1_epi8(0x1b);
	if (len >= 16) {
		/* whole blocks, then one block ending at the line's end (overlapping the last) */
		for (;; i += 16) {
			if (i + 16 > len)
				i = len - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr)))
				f |= 1;
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, esc)))
				f |= 2;
			if (i + 16 >= len || f == 3)
				return f;
		}
	}
#endif
	for (; i < len; i++) {
		if (s[i] == '\r')
			f |= 1;
		else if (s[i] == 0x1b)
			f |= 2;
	}
	return f;
}

static int erases_line(const char *s, size_t len)
{
	return (len >= 3 && s[0] == 0x1b && s[1] == '[' && s[2] == 'K') ||
	       (len >= 4 && s[0] == 0x1b && s[1] == '[' && (s[2] == '0' || s[2] == '2') && s[3] == 'K');
}

/* A raw line without its LF. */
static void raw_line(struct logs_norm *n, const char *s, size_t len)
{
	n->lineno++;
	while (len > 0 && s[len - 1] == '\r')
		len--;
	size_t st = gha_stamp(s, len);
	if (st) {
		size_t tl = st - 1 < sizeof(n->ts) - 1 ? st - 1 : sizeof(n->ts) - 1;
		if (s[tl - 1] != 'Z')
			tl = st; /* stamp at the very end of the line, no space */
		memcpy(n->ts, s, tl);
		n->ts[tl] = 0;
		if (!n->a->first_ts[0])
			memcpy(n->a->first_ts, n->ts, tl + 1);
		if (n->a->provider == LOGS_PROV_PLAIN)
			n->a->provider = LOGS_PROV_GHA;
		s += st;
		len -= st;
	}
	if (len == 0 && n->a->fail) /* blank lines belong in a failure chunk; nothing else wants them */
		logs_fail_line(n->a->fail, s, 0, n->lineno);
	unsigned f = specials(s, len);
	if (!(f & 1)) {
		segment(n, s, len, (int)(f & 2));
		return;
	}
	const char *end = s + len, *cr;
	while (s < end) {
		cr = memchr(s, '\r', (size_t)(end - s));
		const char *se = cr ? cr : end;
		const char *next = cr ? cr + 1 : end;
		/* A frame redrawn by the next one is dropped, unless it is a marker. */
		const char *m = s;
		while (erases_line(m, (size_t)(se - m)))
			m += m[2] == 'K' ? 3 : 4;
		int redrawn = cr && erases_line(next, (size_t)(end - next)) && !logs_starts(m, (size_t)(se - m), "travis_");
		if (!redrawn)
			segment(n, s, (size_t)(se - s), 1);
		s = next;
	}
}

static void take_line(struct logs_norm *n, const char *s, size_t len)
{
	if (len > LOGS_LINE_MAX) {
		len = LOGS_LINE_MAX;
		n->a->res->lines_truncated++;
	}
	raw_line(n, s, len);
}

void logs_norm_feed(struct logs_norm *n, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	n->a->res->bytes += len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t seg = (size_t)((nl ? nl : end) - p);
		if (n->carry_len || n->carry_cut || !nl) {
			size_t room = LOGS_LINE_MAX - n->carry_len;
			size_t take = seg < room ? seg : room;
			memcpy(n->carry + n->carry_len, p, take);
			n->carry_len += take;
			if (take < seg)
				n->carry_cut = 1;
			if (!nl)
				return;
			if (n->carry_cut)
				n->a->res->lines_truncated++;
			raw_line(n, n->carry, n->carry_len);
			n->carry_len = 0;
			n->carry_cut = 0;
		} else {
			take_line(n, p, seg);
		}
		p = nl + 1;
	}
}

void logs_norm_end(struct logs_norm *n)
{
	if (n->carry_len || n->carry_cut) {
		if (n->carry_cut)
			n->a->res->lines_truncated++;
		raw_line(n, n->carry, n->carry_len);
		n->carry_len = 0;
		n->carry_cut = 0;
	}
	if (n->setup_sec >= 0 && n->a->res->setup_time_sec < 0)
		n->a->res->setup_time_sec = n->setup_sec;
}
