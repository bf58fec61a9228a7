# Thin wrapper over CMake so that the README's commands are short.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all ciminer test bench demo clean bootstrap configure

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

bench: ciminer
	@cmake --build $(BUILD) -j $(JOBS)
	@bench/run-all $(BUILD)

demo: ciminer
	@$(BUILD)/ciminer demo

clean:
	rm -rf $(BUILD)
