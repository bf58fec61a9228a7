# Thin wrapper over CMake so that the README's commands are short.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all ciminer test test-sanitize fuzz bench demo clean bootstrap configure

all: ciminer

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

ciminer: configure
	@cmake --build $(BUILD) -j $(JOBS) --target ciminer

test: configure
	@cmake --build $(BUILD) -j $(JOBS)
	@tests/support/run-suite $(BUILD) $(JOBS)

# The whole suite built with ASan + UBSan in its own folder (the fuzz targets,
# already sanitized, are left out), then the threaded parts (worker pool, HTTP
# client, the log-storing thread of ingestion) under TSan. docs/testing.md.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitize/lsan.supp:print_suppressions=0 \
          UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
          TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
TSAN_TESTS = jobs_test_queue|ci_test_http|pipeline_test_ingestion
test-sanitize: bootstrap
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANITIZE=address,undefined \
	       -DCIMINER_FUZZ=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)
	@cmake -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANITIZE=thread \
	       -DCIMINER_FUZZ=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)-tsan -j $(JOBS)
	@cd $(BUILD)-tsan && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# Longer fuzzing: FUZZ_SECONDS per target (default 300), new inputs kept in
# $(BUILD)/fuzz-corpus/<target> between runs; FUZZ_TARGETS to pick some.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%.c,%,$(filter-out tests/fuzz/fuzz_support.c,$(wildcard tests/fuzz/fuzz_*.c)))
fuzz: configure
	@cmake --build $(BUILD) -j $(JOBS) --target fuzz_targets
	@for t in $(FUZZ_TARGETS); do \
	  FUZZ_CORPUS=$(CURDIR)/$(BUILD)/fuzz-corpus tests/fuzz/run $(BUILD)/tests/fuzz $$t $(FUZZ_SECONDS) || exit 1; \
	done

bench: ciminer
	@cmake --build $(BUILD) -j $(JOBS)
	@bench/run-all $(BUILD)

demo: ciminer
	@$(BUILD)/ciminer demo

clean:
	rm -rf $(BUILD)
