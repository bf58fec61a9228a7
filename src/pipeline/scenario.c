/* Deleting a scenario with its dataset folder, and the wizard's preview (see scenario.h). */
#include "pipeline/scenario.h"
#include "store/scenarios.h"
#include "store/warehouse.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/status.h"
#include <stdio.h>
#include <string.h>

int scenario_delete(struct store *s, const char *data_dir, int64_t id, struct err *e)
{
	int rc = scenarios_delete(s, id, e);
	if (rc == 0) {
		char *dir = xasprintf("%s/datasets/%lld", data_dir, (long long)id);
		rc = fs_remove_tree(dir, e);
		free(dir);
	}
	return rc;
}

json_t *scenario_preview(struct store *s, const json_t *config, struct err *e)
{
	const json_t *ds = json_object_get(config, "data_source_config");
	struct store_cursor *c;
	json_t *out = NULL;
	if (warehouse_filter_counts(s, &c, ds, e) == 0) {
		json_t *per = json_array();
		int64_t total = 0, ok = 0, fail = 0, lo = INT64_MAX, hi = INT64_MIN;
		int rc;
		while ((rc = store_next(c, e)) == 1) {
			int64_t t = store_col_int(c, 1);
			total += t;
			ok += store_col_int(c, 2);
			fail += store_col_int(c, 3);
			if (!store_col_isnull(c, 4) && store_col_int(c, 4) < lo)
				lo = store_col_int(c, 4);
			if (!store_col_isnull(c, 5) && store_col_int(c, 5) > hi)
				hi = store_col_int(c, 5);
			json_array_append_new(per, json_pack("{s:s, s:s, s:I, s:I, s:I}", "repo_name", store_col_text(c, 0),
							     "ci_provider", store_col_text(c, 6), "builds", (json_int_t)t,
							     "success", (json_int_t)store_col_int(c, 2), "failure",
							     (json_int_t)store_col_int(c, 3)));
		}
		store_cursor_free(c);
		if (rc == 0) {
			out = json_pack("{s:I, s:I, s:I, s:f, s:I, s:f}", "total_builds", (json_int_t)total, "repositories",
					(json_int_t)json_array_size(per), "success", (json_int_t)ok, "success_pct",
					total ? 100.0 * (double)ok / (double)total : 0.0, "failure", (json_int_t)fail,
					"failure_pct", total ? 100.0 * (double)fail / (double)total : 0.0);
			char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
			json_object_set_new(out, "date_start", total ? json_string(utc_format_date(lo, a)) : json_null());
			json_object_set_new(out, "date_end", total ? json_string(utc_format_date(hi, b)) : json_null());
			json_object_set_new(out, "per_repository", per);
		} else {
			json_decref(per);
		}
	}
	return out;
}
