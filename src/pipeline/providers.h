/* Opening the CI provider of a build source or warehouse repository. */
#ifndef PIPELINE_PROVIDERS_H
#define PIPELINE_PROVIDERS_H
#include "ci/provider.h"

/* Options from the environment (DESIGN.md §6); archive_dir (may be NULL) for the local provider. */
int pipeline_provider_open(struct ci_provider **out, const char *kind, const char *archive_dir, struct err *e);

#endif
