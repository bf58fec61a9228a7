# The fuzz targets in the main build (included by tests/tests.cmake).
#
# They need clang with libFuzzer (scripts/bootstrap installs Debian's clang).
# At configure time a one-line fuzzer is compiled to find out; without it the
# fuzz tests are still registered and skip, saying why, so that `make test`
# passes and the report shows what did not run. With it, tests/fuzz is built
# as an external clang project into build/tests/fuzz, and each target gets a
# test fuzz_<name> that runs tests/fuzz/run: the regression inputs of
# tests/fuzz/regressions/<name>/ first, then a few seconds of fuzzing from a
# seed corpus made from the shared fixtures and tests/fuzz/seeds/<name>/.
include(ExternalProject)
file(GLOB _fuzz_srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
list(REMOVE_ITEM _fuzz_srcs ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_support.c)
set(FUZZ_SECONDS 4 CACHE STRING "Seconds each fuzz target runs in make test")
option(CIMINER_FUZZ "Build and run the fuzz targets (make test-sanitize turns them off)" ON)
if(NOT CIMINER_FUZZ)
  return()
endif()

find_program(CLANG_EXE NAMES clang clang-16 clang-15 clang-14)
set(FUZZ_MISSING "")
if(NOT CLANG_EXE)
  set(FUZZ_MISSING "clang is not installed (scripts/bootstrap installs it)")
else()
  set(_probe ${CMAKE_BINARY_DIR}/CMakeFiles/fuzz-probe.c)
  file(WRITE ${_probe} "#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
  execute_process(COMMAND ${CLANG_EXE} -fsanitize=fuzzer,address,undefined ${_probe}
                          -o ${CMAKE_BINARY_DIR}/CMakeFiles/fuzz-probe
                  RESULT_VARIABLE _probe_rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT _probe_rc EQUAL 0)
    set(FUZZ_MISSING "${CLANG_EXE} cannot link -fsanitize=fuzzer (libFuzzer is missing from this clang)")
  endif()
endif()

if(FUZZ_MISSING)
  message(STATUS "fuzz targets not built: ${FUZZ_MISSING}")
else()
  ExternalProject_Add(fuzz_targets
    SOURCE_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz
    BINARY_DIR ${CMAKE_BINARY_DIR}/tests/fuzz
    CMAKE_ARGS -DCMAKE_C_COMPILER=${CLANG_EXE} -DCMAKE_BUILD_TYPE=
               -DCIMINER_SOURCE_DIR=${CMAKE_SOURCE_DIR}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    USES_TERMINAL_BUILD OFF)
endif()

foreach(_src IN LISTS _fuzz_srcs)
  get_filename_component(_name ${_src} NAME_WE)
  if(FUZZ_MISSING)
    add_test(NAME ${_name} COMMAND sh -c "echo 'SKIPPED: ${FUZZ_MISSING}'; exit 77")
  else()
    add_test(NAME ${_name} COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/run ${CMAKE_BINARY_DIR}/tests/fuzz ${_name}
                                   ${FUZZ_SECONDS})
  endif()
  set_tests_properties(${_name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "${TEST_ENV}"
                       FIXTURES_REQUIRED test_tmp)
endforeach()
