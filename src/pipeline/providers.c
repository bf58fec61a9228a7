/* Provider opening shared by the validation and ingestion jobs. */
#include "pipeline/providers.h"

int pipeline_provider_open_waiting(struct ci_provider **out, const char *kind, const char *archive_dir,
				   void (*on_wait)(void *ctx, const char *why, int64_t until_usec), void *ctx,
				   struct err *e)
{
	struct ci_options o;
	ci_options_init(&o);
	if (archive_dir && *archive_dir)
		o.archive_dir = archive_dir;
	o.http.on_wait = on_wait;
	o.http.on_wait_ctx = ctx;
	return ci_provider_open(out, kind, &o, e);
}

int pipeline_provider_open(struct ci_provider **out, const char *kind, const char *archive_dir, struct err *e)
{
	return pipeline_provider_open_waiting(out, kind, archive_dir, NULL, NULL, e);
}
