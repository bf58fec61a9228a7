/* CSV import of build sources (see source.h). */
#include "pipeline/source.h"
#include "ci/provider.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/sources.h"
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PREVIEW_ROWS 5
#define FIELD_MAX (64 * 1024)

static const char *const build_id_names[] = { "build_id", "build id", "id", "ci_run_id", "run_id", "tr_build_id",
					      "buildid", NULL };
static const char *const repo_names[] = { "repo", "repository", "repo_name", "full_name", "project",
					  "gh_project_name", "repo name", NULL };
static const char *const provider_names[] = { "ci_provider", "provider", "ci", NULL };

struct importer {
	struct store *s;
	const struct source_import_opts *o;
	struct err *e;
	int rc;
	struct strvec row;     /* fields of the current record */
	struct buf field;      /* scratch */
	struct buf t_build, t_repo, t_prov; /* trimmed values of the current row (reused: no malloc per row) */
	struct strvec header;
	int col_build, col_repo, col_provider;
	int64_t record_no;     /* records seen; 1 = header */
	int64_t line;          /* physical line the parser is on (1-based) */
	int64_t rec_line;      /* line the current record started on: what rows report */
	int after_cr;          /* the last record ended at a CR: an empty record ending at LF is its CRLF */
	int64_t source_id, now;
	json_t *preview;
	struct source_import_result res;
};

static int name_matches(const char *col, const char *const *names)
{
	char low[256];
	size_t n = 0;
	for (const char *p = col; *p && n < sizeof(low) - 1; p++)
		low[n++] = (char)tolower((unsigned char)*p);
	low[n] = '\0';
	char *a = low, *z = low + n;
	while (*a == ' ')
		a++;
	while (z > a && z[-1] == ' ')
		*--z = '\0';
	for (const char *const *q = names; *q; q++)
		if (strcmp(a, *q) == 0)
			return 1;
	return 0;
}

static int find_col(const struct strvec *h, const char *explicit_name, const char *const *names)
{
	for (size_t i = 0; i < h->n; i++) {
		if (explicit_name ? strcmp(h->v[i], explicit_name) == 0 : name_matches(h->v[i], names))
			return (int)i;
	}
	return -1;
}

static int refuse_header(struct importer *im, const char *what, const char *flag)
{
	char *cols = strvec_join(&im->header, ", ");
	err_set(im->e, ERR_INPUT, "%s: no %s column among the columns found (%s); name it with --map %s=COLUMN",
		im->o->path, what, cols[0] ? cols : "none", flag);
	free(cols);
	return ERR_INPUT;
}

static int take_header(struct importer *im)
{
	const struct source_import_opts *o = im->o;
	for (size_t i = 0; i < im->row.n; i++)
		strvec_push(&im->header, im->row.v[i]);
	for (size_t i = 0; i < im->header.n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(im->header.v[i], im->header.v[j]) == 0)
				return err_set(im->e, ERR_INPUT,
					       "%s: column '%s' appears twice in the header (columns %zu and %zu); rename one",
					       o->path, im->header.v[i], j + 1, i + 1);
	im->col_build = find_col(&im->header, o->map_build_id, build_id_names);
	im->col_repo = find_col(&im->header, o->map_repo_name, repo_names);
	im->col_provider = find_col(&im->header, o->map_ci_provider, provider_names);
	if (o->map_build_id && im->col_build < 0)
		return refuse_header(im, "build-id", "build_id");
	if (o->map_repo_name && im->col_repo < 0)
		return refuse_header(im, "repository", "repo_name");
	if (o->map_ci_provider && im->col_provider < 0)
		return refuse_header(im, "provider", "ci_provider");
	if (im->col_build < 0)
		return refuse_header(im, "build-id", "build_id");
	if (im->col_repo < 0)
		return refuse_header(im, "repository", "repo_name");
	if (im->col_build == im->col_repo)
		return err_set(im->e, ERR_INPUT, "%s: the build-id and repository columns are the same column '%s'",
			       o->path, im->header.v[im->col_build]);
	json_t *mapped = json_object();
	json_object_set_new(mapped, "build_id", json_string(im->header.v[im->col_build]));
	json_object_set_new(mapped, "repo_name", json_string(im->header.v[im->col_repo]));
	json_object_set_new(mapped, "ci_provider",
			    im->col_provider >= 0 ? json_string(im->header.v[im->col_provider]) : json_null());
	char *mapped_s = core_json_dumps(mapped);
	json_decref(mapped);
	const char *base = strrchr(o->path, '/');
	base = base ? base + 1 : o->path;
	struct sources_new n = { .name = o->name ? o->name : base, .description = o->description, .file_name = base,
				 .provider = o->provider, .archive_dir = o->archive_dir, .mapped_fields = mapped_s,
				 .now = im->now };
	int rc = sources_insert(im->s, &im->source_id, &n, im->e);
	free(mapped_s);
	return rc;
}

static const char *trimmed(const char *s, struct buf *scratch)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	buf_reset(scratch);
	buf_add(scratch, s, n);
	return buf_cstr(scratch);
}

static int take_row(struct importer *im)
{
	im->res.rows++;
	if (json_array_size(im->preview) < PREVIEW_ROWS) {
		json_t *r = json_array();
		for (size_t i = 0; i < im->row.n; i++)
			json_array_append_new(r, json_string(im->row.v[i]));
		json_array_append_new(im->preview, r);
	}
	const char *build = (size_t)im->col_build < im->row.n ? trimmed(im->row.v[im->col_build], &im->t_build) : "";
	const char *repo = (size_t)im->col_repo < im->row.n ? trimmed(im->row.v[im->col_repo], &im->t_repo) : "";
	const char *prov = im->o->provider;
	if (im->col_provider >= 0) {
		prov = (size_t)im->col_provider < im->row.n ? trimmed(im->row.v[im->col_provider], &im->t_prov) : "";
		for (char *c = im->t_prov.data; c && *c; c++) /* "CircleCI" and "circleci" are the same provider */
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		if (!*prov)
			prov = im->o->provider;
	}
	char reason[300] = "";
	const char *why = NULL;
	if (!*build)
		snprintf(reason, sizeof(reason), "empty build id");
	else if (!ci_kind_valid(prov)) {
		char *kinds = ci_kinds_join(", ", " or ");
		snprintf(reason, sizeof(reason), "unknown provider '%.60s' (use %s)", prov, kinds);
		free(kinds);
	} else if (!ci_repo_name_valid(repo, &why))
		snprintf(reason, sizeof(reason), "repository '%.120s' is not owner/name: %s", repo, why ? why : "");
	else if (!ci_build_id_valid(prov, build))
		snprintf(reason, sizeof(reason), "build id '%.60s' is not a %s id (%s)", build, prov,
			 ci_id_form_doc(ci_kind_find(prov)->id_form));
	int inserted = 0;
	struct source_builds_new n = { .source_id = im->source_id, .line_no = im->rec_line, .provider = prov,
				       .build_id = build, .repo = repo, .reason = reason[0] ? reason : NULL,
				       .now = im->now };
	int rc = source_builds_insert(im->s, &inserted, &n, im->e);
	if (rc == 0) {
		if (reason[0])
			im->res.invalid++;
		else if (!inserted)
			im->res.duplicates++;
		else
			im->res.accepted++;
	}
	return rc;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct importer *im = ctx;
	if (im->rc)
		return;
	const char *d = data ? data : "";
	if (len > FIELD_MAX) {
		im->rc = err_set(im->e, ERR_INPUT, "%s: line %lld has a field of %zu bytes; is this really a CSV file?",
				 im->o->path, (long long)im->line, len);
		return;
	}
	if (im->row.n == 0)
		im->rec_line = im->line;
	for (size_t i = 0; i < len; i++) /* a quoted field spanning lines moves the line count on */
		im->line += d[i] == '\n';
	buf_reset(&im->field);
	buf_add(&im->field, d, len);
	strvec_push(&im->row, buf_cstr(&im->field));
}

static void on_row(int term, void *ctx)
{
	struct importer *im = ctx;
	/* With CSV_REPALL_NL every line feed is reported, blank lines included, so
	 * counting them gives physical line numbers (a CRLF record ends at the CR;
	 * its LF then arrives as an empty row). */
	int blank = im->row.n == 0 || (im->row.n == 1 && im->row.v[0][0] == '\0');
	/* Lines end at LF, CRLF or a lone CR (old Mac files): count each once. */
	if (term == '\r' || (term == '\n' && !(im->after_cr && im->row.n == 0)))
		im->line++;
	im->after_cr = term == '\r';
	if (im->rc) {
		strvec_clear(&im->row);
		return;
	}
	if (!blank) {
		im->record_no++;
		im->rc = im->record_no == 1 ? take_header(im) : take_row(im);
	}
	strvec_clear(&im->row);
}

static int finish(struct importer *im)
{
	json_t *pv = json_object();
	json_t *cols = json_array();
	for (size_t i = 0; i < im->header.n; i++)
		json_array_append_new(cols, json_string(im->header.v[i]));
	json_object_set_new(pv, "columns", cols);
	json_object_set(pv, "rows", im->preview);
	char *preview = core_json_dumps(pv);
	json_decref(pv);
	int rc = sources_finish_import(im->s, im->source_id, im->res.rows, im->res.invalid, im->res.duplicates, preview,
				       im->e);
	free(preview);
	return rc;
}

static int parse_stream(struct importer *im, FILE *f)
{
	/* Checked on the raw bytes: a Latin-1 file would otherwise be stored as is and its names become
	 * invisible in JSON output; the user is told the line and byte offset, and how to convert it. */
	struct utf8_scan u = UTF8_SCAN_INIT;
	struct csv_parser csv;
	if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		return err_set(im->e, ERR_INTERNAL, "cannot initialise the CSV parser");
	char blk[1 << 16];
	size_t n;
	int64_t offset = 0;
	while (!im->rc && (n = fread(blk, 1, sizeof(blk), f)) > 0) {
		const char *p = blk;
		size_t len = n;
		/* A UTF-8 byte-order mark goes before the parser sees it: in front of a
		 * quoted header ("\xEF\xBB\xBF\"build_id\"") strict libcsv would call the
		 * quote stray. */
		if (offset == 0 && n >= 3 && memcmp(blk, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			len -= 3;
		}
		if (offset == 0 && memchr(blk, '\0', n))
			im->rc = err_set(im->e, ERR_INPUT, "%s is a binary file, not CSV", im->o->path);
		else if (utf8_scan_block(&u, (const unsigned char *)blk, n, offset) < 0)
			im->rc = err_set(im->e, ERR_INPUT,
					 "%s: line %lld is not UTF-8 (byte 0x%02X at byte offset %lld); save the file as"
					 " UTF-8, e.g. iconv -f latin1 -t utf-8",
					 im->o->path, (long long)u.line, u.lead, (long long)u.lead_at);
		else if (csv_parse(&csv, p, len, on_field, on_row, im) != len && !im->rc)
			im->rc = err_set(im->e, ERR_INPUT, "%s: not valid CSV at line %lld: %s (check the quotes)",
					 im->o->path, (long long)im->line, csv_strerror(csv_error(&csv)));
		offset += (int64_t)n;
	}
	if (!im->rc && utf8_scan_unfinished(&u))
		im->rc = err_set(im->e, ERR_INPUT, "%s: line %lld is not UTF-8 (the file ends inside a character)",
				 im->o->path, (long long)u.line);
	if (!im->rc && ferror(f))
		im->rc = err_set(im->e, ERR_IO, "error reading %s", im->o->path);
	if (!im->rc && csv_fini(&csv, on_field, on_row, im) != 0 && !im->rc)
		im->rc = err_set(im->e, ERR_INPUT, "%s: not valid CSV at its end: %s (an unclosed quote?)", im->o->path,
				 csv_strerror(csv_error(&csv)));
	csv_free(&csv);
	if (!im->rc && im->record_no == 0)
		im->rc = err_set(im->e, ERR_INPUT, "%s is empty: it needs a header row (build_id,repo_name) and rows",
				 im->o->path);
	else if (!im->rc && im->record_no == 1)
		im->rc = err_set(im->e, ERR_INPUT, "%s has a header but no rows: add one row per build under it",
				 im->o->path);
	return im->rc;
}

int source_import(struct store *s, const struct source_import_opts *o, struct source_import_result *out,
		  struct err *e)
{
	struct source_import_opts opts = *o;
	if (!opts.provider)
		opts.provider = CI_GITHUB;
	if (!ci_kind_valid(opts.provider)) {
		char *kinds = ci_kinds_join(", ", " or ");
		int rc = err_set(e, ERR_USAGE, "--provider '%s' is not %s", opts.provider, kinds);
		free(kinds);
		return rc;
	}
	FILE *f = strcmp(o->path, "-") == 0 ? stdin : fopen(o->path, "rb");
	if (!f)
		return err_set(e, ERR_INPUT, "cannot read %s: %s", o->path, strerror(errno));
	struct importer im = { .s = s, .o = &opts, .e = e, .now = utc_now(), .preview = json_array(), .line = 1 };
	int rc = store_begin(s, e);
	if (rc == 0) {
		rc = parse_stream(&im, f);
		if (rc == 0)
			rc = finish(&im);
		rc = store_tx_end(s, rc, e);
	}
	if (f != stdin)
		fclose(f);
	json_decref(im.preview);
	strvec_clear(&im.row);
	strvec_clear(&im.header);
	buf_release(&im.field);
	buf_release(&im.t_build);
	buf_release(&im.t_repo);
	buf_release(&im.t_prov);
	im.res.source_id = im.source_id;
	if (rc == 0 && out)
		*out = im.res;
	return rc;
}
