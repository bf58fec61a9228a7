/* Opening the CI provider of a build source or warehouse repository. */
#ifndef PIPELINE_PROVIDERS_H
#define PIPELINE_PROVIDERS_H
#include "ci/provider.h"

/* Options from the environment (DESIGN.md §6); archive_dir (may be NULL) for the local provider. */
int pipeline_provider_open(struct ci_provider **out, const char *kind, const char *archive_dir, struct err *e);
/* The same, with a callback told each time the HTTP client waits for a rate limit (ci/http.h on_wait). */
int pipeline_provider_open_waiting(struct ci_provider **out, const char *kind, const char *archive_dir,
				   void (*on_wait)(void *ctx, const char *why, int64_t until_usec), void *ctx,
				   struct err *e);

#endif
