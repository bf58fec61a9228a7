/* Provider opening shared by the validation and ingestion jobs. */
#include "pipeline/providers.h"

int pipeline_provider_open(struct ci_provider **out, const char *kind, const char *archive_dir, struct err *e)
{
	struct ci_options o;
	ci_options_init(&o);
	if (archive_dir && *archive_dir)
		o.archive_dir = archive_dir;
	return ci_provider_open(out, kind, &o, e);
}
