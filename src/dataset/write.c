/* The writers' common part: format names, output columns, dispatch (write.h). */
#include "dataset/write.h"
#include "core/xalloc.h"
#include <string.h>

static const char *const fmt_names[] = { "parquet", "csv", "pickle" };
static const char *const fmt_exts[] = { "parquet", "csv", "pkl" };
static const char *const codec_names[] = { "snappy", "zstd", "none" };

int dataset_format_parse(enum dataset_format *out, const char *name, struct err *e)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, fmt_names[i]) == 0 || strcmp(name, fmt_exts[i]) == 0) {
			*out = (enum dataset_format)i;
			return 0;
		}
	return err_set(e, ERR_INPUT, "output format '%s' is unknown; use parquet, csv or pickle", name);
}

const char *dataset_format_name(enum dataset_format f)
{
	return (unsigned)f < 3 ? fmt_names[f] : "?";
}

const char *dataset_format_ext(enum dataset_format f)
{
	return (unsigned)f < 3 ? fmt_exts[f] : "?";
}

const char *dataset_codec_name(enum dataset_codec c)
{
	return (unsigned)c < 3 ? codec_names[c] : "?";
}

size_t dataset_output_columns(size_t **out, const struct dataset_frame *f, const struct dataset_write_opts *opts)
{
	size_t *idx = xmalloc((f->ncols ? f->ncols : 1) * sizeof(size_t));
	size_t n = 0;
	for (size_t i = 0; i < f->ncols; i++) {
		enum dataset_role r = f->cols[i]->role;
		if (r == DATASET_ROLE_FEATURE || r == DATASET_ROLE_LABEL || (r == DATASET_ROLE_META && opts->include_metadata))
			idx[n++] = i;
	}
	*out = idx;
	return n;
}

int dataset_write(enum dataset_format fmt, const char *path, const struct dataset_frame *f, const uint32_t *rows,
		  size_t n, const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e)
{
	switch (fmt) {
	case DATASET_FMT_PARQUET: return dataset_write_parquet(path, f, rows, n, opts, info, e);
	case DATASET_FMT_CSV: return dataset_write_csv(path, f, rows, n, opts, info, e);
	case DATASET_FMT_PICKLE: return dataset_write_pickle(path, f, rows, n, opts, info, e);
	}
	return err_set(e, ERR_INPUT, "output format %d is unknown; use parquet, csv or pickle", (int)fmt);
}
