/*
 * Writers of a frame's rows to the dataset file formats (DESIGN.md §8):
 * Parquet (written here: no packaged C library exists), CSV and pickle.
 *
 * Every writer takes the rows rows[0..n) of a checked frame (rows == NULL: all
 * rows in order) and writes the output columns in frame order: FEATURE and
 * LABEL columns always, META columns when opts->include_metadata, KEY columns
 * never. A file appears complete or not at all: it is written to a temporary
 * name in the same folder, fsynced (unless opts->fsync is 0) and renamed. Its
 * sha256 and size are computed while writing and returned in *info.
 *
 * Types in each format:
 *   frame       Parquet (physical / logical)          CSV                    pickle (pandas dtype)
 *   int64       INT64                                  decimal                int64; float64 with NaN
 *                                                                            when the column has a null
 *   float64     DOUBLE                                 shortest round-trip    float64 (null = NaN)
 *   bool        BOOLEAN                                true / false           bool; object (True/False/None)
 *                                                                            when the column has a null
 *   string      BYTE_ARRAY / STRING (UTF8)             RFC 4180 quoting       object (str, None)
 *   timestamp   INT64 / TIMESTAMP(MICROS, UTC)         ISO-8601 "...Z"        datetime64[ns, UTC] (NaT)
 * Nullability is decided on the whole frame, not on the rows written, so that
 * train, val and test files of one dataset always have the same schema/dtypes.
 * Parquet columns are all OPTIONAL (definition levels, RLE/bit-packed hybrid).
 */
#ifndef DATASET_WRITE_H
#define DATASET_WRITE_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/hash.h"
#include "dataset/frame.h"

/* Indices of dataset_formats[] (the registration table below); DATASET_FMT_COUNT last. */
enum dataset_format { DATASET_FMT_PARQUET = 0, DATASET_FMT_CSV, DATASET_FMT_PICKLE, DATASET_FMT_COUNT };
enum dataset_codec { DATASET_CODEC_SNAPPY = 0, DATASET_CODEC_ZSTD, DATASET_CODEC_NONE };

struct dataset_write_opts {
	enum dataset_codec codec;   /* Parquet page compression; default snappy */
	int zstd_level;             /* default 3 */
	int include_metadata;       /* write META columns; default 1 */
	int dictionary;             /* Parquet: allow dictionary encoding (strings always try it); default 1 */
	size_t row_group_bytes;     /* Parquet: uncompressed bytes per row group; default 128 MiB */
	size_t page_bytes;          /* Parquet: uncompressed bytes per data page; default 1 MiB */
	int fsync;                  /* fsync before the rename; default 1 */
};
#define DATASET_WRITE_OPTS_INIT { DATASET_CODEC_SNAPPY, 3, 1, 1, (size_t)128 << 20, (size_t)1 << 20, 1 }

struct dataset_file_info {
	char sha256[SHA256_HEX_LEN];
	uint64_t bytes;
	size_t rows;
	size_t columns;
};

/* A format's writer: rows rows[0..n) of f to path (see above). */
typedef int (*dataset_writer)(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
			      const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e);
/*
 * The registration table of output formats (write.c), indexed by enum
 * dataset_format, in the order messages, the scenario schema and docs list
 * them. Adding a format: its write_<name>.c, one line of dataset_formats[],
 * and its enum constant + writer prototype here (docs/architecture.md).
 */
struct dataset_format_def {
	const char *name;      /* as written in output_config.formats */
	const char *ext;       /* file extension: train.<ext> */
	dataset_writer write;
	const char *doc;       /* one line for the scenario schema's docs */
};
extern const struct dataset_format_def dataset_formats[DATASET_FMT_COUNT];
/* "parquet, csv or pickle" (last_sep " or ") from the table; caller frees. */
char *dataset_formats_join(const char *sep, const char *last_sep);

/* "parquet", "csv", "pickle" (or an extension) <-> enum; ERR_INPUT names an unknown format. */
int dataset_format_parse(enum dataset_format *out, const char *name, struct err *e);
const char *dataset_format_name(enum dataset_format f);
/* File extension: "parquet", "csv", "pkl". */
const char *dataset_format_ext(enum dataset_format f);
const char *dataset_codec_name(enum dataset_codec c);

/* One entry point for the three writers below. */
int dataset_write(enum dataset_format fmt, const char *path, const struct dataset_frame *f, const uint32_t *rows,
		  size_t n, const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e);
int dataset_write_parquet(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
			  const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e);
int dataset_write_csv(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
		      const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e);
int dataset_write_pickle(const char *path, const struct dataset_frame *f, const uint32_t *rows, size_t n,
			 const struct dataset_write_opts *opts, struct dataset_file_info *info, struct err *e);

/* Indices of the output columns of f under opts (see above); returns how many, *out is caller-freed. */
size_t dataset_output_columns(size_t **out, const struct dataset_frame *f, const struct dataset_write_opts *opts);

#endif
