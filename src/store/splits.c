/* Dataset split rows (splits.h). */
#include "store/splits.h"

int splits_insert(struct store *s, const struct splits_row *r, struct err *e)
{
	struct store_val q[] = { sv_int(r->scenario_id), sv_text(r->fold), sv_text(r->split_type),
				 sv_text(r->file_format), sv_text(r->file_path), sv_int(r->file_size_bytes),
				 sv_int(r->record_count), sv_int(r->feature_count), sv_text(r->class_distribution),
				 sv_text(r->group_distribution), sv_text(r->sha256), sv_int(r->generated_at),
				 sv_int(r->duration_ms) };
	return store_exec(s, e, NULL,
			  "INSERT INTO training_dataset_splits (scenario_id, fold, split_type, file_format, file_path,"
			  " file_size_bytes, record_count, feature_count, class_distribution, group_distribution, sha256,"
			  " generated_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  13, q);
}

int splits_delete_scenario(struct store *s, int64_t scenario_id, struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	return store_exec(s, e, NULL, "DELETE FROM training_dataset_splits WHERE scenario_id = ?", 1, p);
}

int splits_list(struct store *s, struct store_cursor **out, int64_t scenario_id, struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	return store_query(s, out, e,
			   "SELECT fold, split_type, file_format, record_count, feature_count, file_size_bytes,"
			   " class_distribution, group_distribution, sha256, file_path, generated_at, duration_ms"
			   " FROM training_dataset_splits WHERE scenario_id = ? ORDER BY fold,"
			   " CASE split_type WHEN 'train' THEN 0 WHEN 'val' THEN 1 ELSE 2 END, file_format",
			   1, p);
}
