/* The writers' common part: format names, output columns, dispatch (write.h). */
#include "dataset/write.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* The registration table (write.h): one line per output format, indexed by enum dataset_format. */
const struct dataset_format_def dataset_formats[DATASET_FMT_COUNT] = {
	[DATASET_FMT_PARQUET] = { "parquet", "parquet", dataset_write_parquet,
				  "Apache Parquet, snappy-compressed, with column statistics" },
	[DATASET_FMT_CSV] = { "csv", "csv", dataset_write_csv, "RFC 4180 CSV with a header line" },
	[DATASET_FMT_PICKLE] = { "pickle", "pkl", dataset_write_pickle,
				 "a Python pickle that unpickles to a pandas DataFrame" },
};
static const char *const codec_names[] = { "snappy", "zstd", "none" };

char *dataset_formats_join(const char *sep, const char *last_sep)
{
	return str_join_names(dataset_formats, DATASET_FMT_COUNT, sizeof(dataset_formats[0]), sep, last_sep);
}

int dataset_format_parse(enum dataset_format *out, const char *name, struct err *e)
{
	for (int i = 0; i < DATASET_FMT_COUNT; i++)
		if (strcmp(name, dataset_formats[i].name) == 0 || strcmp(name, dataset_formats[i].ext) == 0) {
			*out = (enum dataset_format)i;
			return 0;
		}
	char *names = dataset_formats_join(", ", " or ");
	int rc = err_set(e, ERR_INPUT, "output format '%s' is unknown; use %s", name, names);
	free(names);
	return rc;
}

const char *dataset_format_name(enum dataset_format f)
{
	return (unsigned)f < DATASET_FMT_COUNT ? dataset_formats[f].name : "?";
}

const char *dataset_format_ext(enum dataset_format f)
{
	return (unsigned)f < DATASET_FMT_COUNT ? dataset_formats[f].ext : "?";
}

const char *dataset_codec_name(enum dataset_codec c)
{
	return (unsigned)c < sizeof(codec_names) / sizeof(codec_names[0]) ? codec_names[c] : "?";
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
	if ((unsigned)fmt < DATASET_FMT_COUNT)
		return dataset_formats[fmt].write(path, f, rows, n, opts, info, e);
	return err_set(e, ERR_INPUT, "output format %d is unknown", (int)fmt);
}
