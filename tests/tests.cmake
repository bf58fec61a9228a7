# Test registration. Conventions (docs/architecture.md, "Tests"):
#  - tests/<layer>/test_<module>.c is a Criterion executable linked with the
#    layer's library and tests/support.
#  - a C test file containing the word CIMINER_TEST_BOTH_DRIVERS is registered
#    twice, once per database driver (CIMINER_TEST_DRIVER=sqlite|pg); the pg
#    run uses the throw-away server started by the pg_server fixture.
#  - tests/<layer>/test_*.sh are shell tests run with the ciminer binary path.
#  - every test runs with TMPDIR set to the suite's own temporary folder
#    (TEST_TMP, one per build tree): the test_tmp fixture empties it before the
#    first test and, after the last, fails naming whatever a test left there.

# <system temporary folder>/ciminer-suite-<hash of the build tree>: two build
# trees (two engineers, a fresh clone) never share it.
if(DEFINED ENV{TMPDIR} AND NOT "$ENV{TMPDIR}" STREQUAL "")
  set(_sys_tmp "$ENV{TMPDIR}")
else()
  set(_sys_tmp /tmp)
endif()
string(MD5 _tree_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${_tree_hash}" 0 10 _tree_hash)
set(TEST_TMP "${_sys_tmp}/ciminer-suite-${_tree_hash}")
add_test(NAME test_tmp_setup COMMAND ${CMAKE_SOURCE_DIR}/tests/support/test-tmp setup ${TEST_TMP})
add_test(NAME test_tmp_check COMMAND ${CMAKE_SOURCE_DIR}/tests/support/test-tmp check ${TEST_TMP})
set_tests_properties(test_tmp_setup PROPERTIES FIXTURES_SETUP test_tmp)
set_tests_properties(test_tmp_check PROPERTIES FIXTURES_CLEANUP test_tmp)

set(PG_STATE ${CMAKE_BINARY_DIR}/pgtest.env)
add_test(NAME pg_server_start COMMAND ${CMAKE_SOURCE_DIR}/tests/support/pg-server start ${PG_STATE})
add_test(NAME pg_server_stop  COMMAND ${CMAKE_SOURCE_DIR}/tests/support/pg-server stop ${PG_STATE})
# The server's folder is in TEST_TMP: both require test_tmp, so that the check
# runs after the stop.
set_tests_properties(pg_server_start PROPERTIES FIXTURES_SETUP pg_server FIXTURES_REQUIRED test_tmp
                     ENVIRONMENT "TMPDIR=${TEST_TMP}")
set_tests_properties(pg_server_stop  PROPERTIES FIXTURES_CLEANUP pg_server FIXTURES_REQUIRED test_tmp
                     ENVIRONMENT "TMPDIR=${TEST_TMP}")

file(GLOB TEST_SUPPORT_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/support/*.c)
add_library(ciminer_testsupport STATIC ${TEST_SUPPORT_SRC})
target_link_libraries(ciminer_testsupport PUBLIC ciminer_store ciminer_core PkgConfig::CRITERION)
target_include_directories(ciminer_testsupport PUBLIC ${CMAKE_SOURCE_DIR}/tests/support)

set(TEST_ENV "CIMINER_BIN=${CMAKE_BINARY_DIR}/ciminer"
             "CIMINER_TEST_PG_STATE=${PG_STATE}"
             "CIMINER_FIXTURES=${CMAKE_SOURCE_DIR}/../shared/fixtures"
             "CIMINER_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
             "TMPDIR=${TEST_TMP}")

# Layers a layer's tests link besides the layer itself: the world's tests read
# the archive it writes with the readers the product uses (the local provider,
# the log parsers).
set(TEST_DEPS_world ciminer_ci ciminer_logs)

foreach(layer IN LISTS LAYERS ITEMS cli e2e tree)
  file(GLOB _tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${layer}/test_*.c)
  foreach(tsrc IN LISTS _tests)
    get_filename_component(tname ${tsrc} NAME_WE)
    set(exe ${layer}_${tname})
    add_executable(${exe} ${tsrc})
    if(TARGET ciminer_${layer})
      target_link_libraries(${exe} PRIVATE ciminer_${layer} ${TEST_DEPS_${layer}})
    else()
      target_link_libraries(${exe} PRIVATE ${ALL_LAYER_LIBS})
    endif()
    target_link_libraries(${exe} PRIVATE ciminer_testsupport PkgConfig::CRITERION)
    set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    file(STRINGS ${tsrc} _both REGEX "CIMINER_TEST_BOTH_DRIVERS")
    if(_both)
      add_test(NAME ${exe}_sqlite COMMAND ${exe} --jobs 2)
      set_tests_properties(${exe}_sqlite PROPERTIES ENVIRONMENT "${TEST_ENV};CIMINER_TEST_DRIVER=sqlite"
                           FIXTURES_REQUIRED test_tmp)
      add_test(NAME ${exe}_pg COMMAND ${exe} --jobs 2)
      set_tests_properties(${exe}_pg PROPERTIES ENVIRONMENT "${TEST_ENV};CIMINER_TEST_DRIVER=pg"
                           FIXTURES_REQUIRED "pg_server;test_tmp")
    else()
      add_test(NAME ${exe} COMMAND ${exe} --jobs 2)
      set_tests_properties(${exe} PROPERTIES ENVIRONMENT "${TEST_ENV}" FIXTURES_REQUIRED test_tmp)
    endif()
  endforeach()
  file(GLOB _sh CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${layer}/test_*.sh)
  foreach(tsh IN LISTS _sh)
    get_filename_component(tname ${tsh} NAME_WE)
    add_test(NAME ${layer}_${tname} COMMAND bash ${tsh})
    set_tests_properties(${layer}_${tname} PROPERTIES ENVIRONMENT "${TEST_ENV}" FIXTURES_REQUIRED test_tmp)
  endforeach()
endforeach()

# End-to-end shell tests named test_*_pg.sh run on PostgreSQL: they need the
# throw-away server of the pg_server fixture.
file(GLOB _e2e_pg CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/e2e/test_*_pg.sh)
foreach(tsh IN LISTS _e2e_pg)
  get_filename_component(tname ${tsh} NAME_WE)
  set_tests_properties(e2e_${tname} PROPERTIES FIXTURES_REQUIRED "pg_server;test_tmp")
endforeach()

include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz.cmake)
