/*
 * The table of parsers, in the order they see a line (one file per parser,
 * listed in one table: docs/architecture.md, Conventions: tables). The order matters only within a line.
 */
#include "logs/logs_internal.h"

extern const struct logs_parser_def logs_parse_pytest, logs_parse_unittest, logs_parse_junit,
	logs_parse_gradle, logs_parse_sbt, logs_parse_jest, logs_parse_mocha, logs_parse_rspec,
	logs_parse_minitest, logs_parse_cucumber, logs_parse_gotest, logs_parse_cargo, logs_parse_gtest,
	logs_parse_catch2, logs_parse_ctest, logs_parse_phpunit, logs_parse_dotnet, logs_parse_jasmine,
	logs_parse_vitest, logs_parse_karma, logs_parse_status, logs_parse_meta, logs_parse_failure_a,
	logs_parse_failure_b, logs_parse_failure_c, logs_parse_failure_d;

const struct logs_parser_def *const logs_parser_defs[] = {
	&logs_parse_pytest,   &logs_parse_unittest, &logs_parse_junit,    &logs_parse_gradle,
	&logs_parse_sbt,      &logs_parse_jest,     &logs_parse_mocha,    &logs_parse_rspec,
	&logs_parse_minitest, &logs_parse_cucumber, &logs_parse_gotest,   &logs_parse_cargo,
	&logs_parse_gtest,    &logs_parse_catch2,   &logs_parse_ctest,    &logs_parse_phpunit,
	&logs_parse_dotnet,   &logs_parse_jasmine,  &logs_parse_vitest,   &logs_parse_karma,
	&logs_parse_status,   &logs_parse_meta,     &logs_parse_failure_a, &logs_parse_failure_b,
	&logs_parse_failure_c, &logs_parse_failure_d,
};

const size_t logs_parser_defs_n = sizeof(logs_parser_defs) / sizeof(logs_parser_defs[0]);
