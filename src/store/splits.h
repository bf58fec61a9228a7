/*
 * Dataset splits: one row per written file (fold, split, format, path, size,
 * rows, features, class and group distribution, sha256). The only place that
 * names training_dataset_splits.
 */
#ifndef STORE_SPLITS_H
#define STORE_SPLITS_H
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

struct splits_row {
	int64_t scenario_id;
	const char *fold, *split_type, *file_format, *file_path;
	int64_t file_size_bytes, record_count, feature_count;
	const char *class_distribution, *group_distribution, *sha256; /* JSON texts, hex */
	int64_t generated_at, duration_ms;
};
int splits_insert(struct store *s, const struct splits_row *r, struct err *e);
int splits_delete_scenario(struct store *s, int64_t scenario_id, struct err *e);
/*
 * The scenario's files by fold, split (train, val, test) and format. Columns:
 * fold, split_type, file_format, record_count, feature_count,
 * file_size_bytes, class_distribution, group_distribution, sha256, file_path,
 * generated_at, duration_ms.
 */
int splits_list(struct store *s, struct store_cursor **out, int64_t scenario_id, struct err *e);

#endif
