/* Pages of a listing: ORDER BY, LIMIT and OFFSET from a struct store_page (page.h). */
#include "store/page.h"
#include <inttypes.h>
#include <string.h>

int store_page_append(struct buf *sql, const struct store_page *pg, const struct store_sort_key *keys,
		      const char *id_expr, struct err *e)
{
	const struct store_sort_key *k = keys;
	if (pg->sort) {
		for (; k->name && strcmp(k->name, pg->sort) != 0; k++)
			;
		if (!k->name) {
			struct buf names = BUF_INIT;
			for (const struct store_sort_key *n = keys; n->name; n++)
				buf_addf(&names, "%s%s", n == keys ? "" : ", ", n->name);
			int rc = err_set(e, ERR_USAGE, "cannot sort by '%s'; sort by one of: %s", pg->sort, names.data);
			buf_release(&names);
			return rc;
		}
	}
	if (pg->skip < 0)
		return err_set(e, ERR_USAGE, "skip %" PRId64 " is negative; give 0 or more rows to skip", pg->skip);
	const char *dir = pg->desc ? " DESC" : "";
	buf_addstr(sql, " ORDER BY ");
	for (const char *p = k->expr, *comma; *p; p = comma ? comma + 2 : p + strlen(p)) {
		comma = strstr(p, ", "); /* a key of several columns: each one in the order asked */
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		buf_addf(sql, "%s%.*s%s", p == k->expr ? "" : ", ", (int)n, p, dir);
	}
	if (strcmp(k->expr, id_expr) != 0)
		buf_addf(sql, ", %s%s", id_expr, dir);
	if (pg->limit >= 0)
		buf_addf(sql, " LIMIT %" PRId64 " OFFSET %" PRId64, pg->limit, pg->skip);
	else if (pg->skip > 0) /* LIMIT ALL is PostgreSQL's; SQLite's all is -1: a limit neither refuses */
		buf_addf(sql, " LIMIT %" PRId64 " OFFSET %" PRId64, INT64_MAX, pg->skip);
	return 0;
}

int store_page_status(struct buf *sql, const struct store_page *pg, enum status_entity ent, const char *joiner,
		      const char *col, struct err *e)
{
	if (!pg->status)
		return 0;
	if (!status_is_valid(ent, pg->status)) {
		struct buf names = BUF_INIT;
		for (const char *const *v = status_values(ent); *v; v++)
			buf_addf(&names, "%s%s", names.len ? ", " : "", *v);
		int rc = err_set(e, ERR_USAGE, "'%s' is not a %s status; use one of: %s", pg->status,
				 status_entity_name(ent), buf_cstr(&names));
		buf_release(&names);
		return rc;
	}
	buf_addf(sql, "%s %s = ?", joiner, col);
	return 1;
}
