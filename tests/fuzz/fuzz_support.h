/*
 * Helpers shared by the libFuzzer targets in this folder: a scratch folder
 * for the inputs a target must hand over as files (CSV imports, scenario
 * files, compressed logs, local archives), made once per process under
 * $TMPDIR. tests/fuzz/run points TMPDIR at a folder it removes on exit, so
 * that a crash, which skips every atexit handler, leaves nothing behind.
 */
#ifndef FUZZ_SUPPORT_H
#define FUZZ_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/* The process's scratch folder (created on first use; aborts when it cannot be). */
const char *fuzz_dir(void);
/* fuzz_dir()/name, written with data (replaced); returns the path (static storage, one per name slot). */
const char *fuzz_write(const char *name, const void *data, size_t len);

#endif
