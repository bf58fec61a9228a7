/*
 * The statements of the phases' loops, kept where their plans are tested
 * (hot_sql.h). The index each one relies on is named beside it.
 */
#include "store/hot_sql.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

size_t hot_sql_list(struct hot_sql **out, enum store_dialect d)
{
	struct buf v = BUF_INIT;
	hot_sql_source_verdicts(&v, 2);
	struct hot_sql all[] = {
		{ "source_pending", xstrdup(hot_sql_source_pending), 3 },
		{ "source_verdicts", buf_detach(&v, NULL), 3 + 2 * 3 + 3 },
		{ "repo_finished", xstrdup(hot_sql_repo_finished(d)), 1 },
		{ "ingestion_pending", xstrdup(hot_sql_ingestion_pending), 2 },
		{ "enrichment_pending", xstrdup(hot_sql_enrichment_pending), 2 },
		{ "repo_runs", xstrdup(hot_sql_repo_runs), 1 },
		{ "run_logs", xstrdup(hot_sql_run_logs), 1 },
	};
	size_t n = sizeof(all) / sizeof(all[0]);
	*out = xcalloc(n, sizeof(**out));
	memcpy(*out, all, sizeof(all));
	return n;
}

void hot_sql_list_free(struct hot_sql *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i].sql);
	free(list);
}
