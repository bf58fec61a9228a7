/*
 * The schema, as versioned migrations (see migrate.h). Migration 1 creates
 * every table of the design at once so that later work adds columns, not
 * plans. Conventions: ids are 64-bit; times are BIGINT microseconds UTC
 * (core/utc.h); booleans are 0/1 integers; JSON documents are TEXT; statuses
 * are the lower-case enum values of store/status.h. Business keys are unique
 * indexes so that retried steps upsert instead of duplicating.
 * A table per line is described in docs/architecture.md.
 */
#include "store/migrate.h"

static const char v1[] =
	/* Phase 0: an uploaded CSV and its rows. */
	"CREATE TABLE build_sources ("
	" id {{PK}}, name TEXT NOT NULL, description TEXT, file_name TEXT NOT NULL,"
	" ci_provider TEXT NOT NULL DEFAULT 'github_actions', archive_dir TEXT,"
	" rows BIGINT NOT NULL DEFAULT 0, mapped_fields TEXT NOT NULL DEFAULT '{}', preview TEXT NOT NULL DEFAULT '[]',"
	" validation_status TEXT NOT NULL DEFAULT 'pending',"
	" stat_total BIGINT NOT NULL DEFAULT 0, stat_found BIGINT NOT NULL DEFAULT 0,"
	" stat_not_found BIGINT NOT NULL DEFAULT 0, stat_filtered BIGINT NOT NULL DEFAULT 0,"
	" stat_invalid BIGINT NOT NULL DEFAULT 0, stat_duplicates BIGINT NOT NULL DEFAULT 0,"
	" progress TEXT, error_message TEXT,"
	" created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
	" validation_started_at BIGINT, validation_completed_at BIGINT);"

	/* Warehouse: repositories and runs as the providers describe them. */
	"CREATE TABLE raw_repositories ("
	" id {{PK}}, ci_provider TEXT NOT NULL, full_name TEXT NOT NULL, provider_repo_id TEXT,"
	" default_branch TEXT, main_lang TEXT, is_private BIGINT NOT NULL DEFAULT 0, clone_url TEXT, archive_dir TEXT,"
	" metadata TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX raw_repositories_key ON raw_repositories (ci_provider, full_name);"
	"CREATE INDEX raw_repositories_lang ON raw_repositories (main_lang);"

	"CREATE TABLE raw_build_runs ("
	" id {{PK}}, raw_repo_id BIGINT NOT NULL REFERENCES raw_repositories(id), ci_provider TEXT NOT NULL,"
	" ci_run_id TEXT NOT NULL, build_number BIGINT, branch TEXT, commit_sha TEXT, commit_message TEXT,"
	" author_name TEXT, author_email TEXT, event TEXT, actor_login TEXT, is_bot BIGINT NOT NULL DEFAULT 0,"
	" pr_numbers TEXT NOT NULL DEFAULT '[]', status TEXT, conclusion TEXT,"
	" created_at BIGINT, started_at BIGINT, completed_at BIGINT, duration_sec DOUBLE PRECISION,"
	" web_url TEXT, run_attempt BIGINT NOT NULL DEFAULT 1, jobs_count BIGINT NOT NULL DEFAULT 0,"
	" raw TEXT NOT NULL DEFAULT '{}', fetched_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX raw_build_runs_key ON raw_build_runs (ci_provider, raw_repo_id, ci_run_id);"
	"CREATE INDEX raw_build_runs_repo_time ON raw_build_runs (raw_repo_id, started_at);"
	"CREATE INDEX raw_build_runs_created ON raw_build_runs (created_at);"
	"CREATE INDEX raw_build_runs_conclusion ON raw_build_runs (conclusion);"

	"CREATE TABLE raw_build_jobs ("
	" id {{PK}}, raw_run_id BIGINT NOT NULL REFERENCES raw_build_runs(id) ON DELETE CASCADE,"
	" ci_job_id TEXT NOT NULL, name TEXT, status TEXT, conclusion TEXT, started_at BIGINT, completed_at BIGINT,"
	" runner_name TEXT, raw TEXT NOT NULL DEFAULT '{}',"
	" log_status TEXT, log_sha256 TEXT, log_size_raw BIGINT, log_size_stored BIGINT,"
	" log_truncated BIGINT NOT NULL DEFAULT 0, log_error TEXT, log_fetched_at BIGINT);"
	"CREATE UNIQUE INDEX raw_build_jobs_key ON raw_build_jobs (raw_run_id, ci_job_id);"

	"CREATE TABLE source_builds ("
	" id {{PK}}, source_id BIGINT NOT NULL REFERENCES build_sources(id) ON DELETE CASCADE,"
	" line_no BIGINT NOT NULL, ci_provider TEXT NOT NULL, build_id_from_source TEXT NOT NULL,"
	" repo_name_from_source TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', reason TEXT,"
	" raw_repo_id BIGINT REFERENCES raw_repositories(id), raw_run_id BIGINT REFERENCES raw_build_runs(id),"
	" updated_at BIGINT);"
	/* Invalid rows are kept with their line number and reason, so they are outside the key; repository
	 * names compare case-insensitively, as GitHub's do. */
	"CREATE UNIQUE INDEX source_builds_key ON source_builds"
	" (source_id, ci_provider, LOWER(repo_name_from_source), build_id_from_source) WHERE status <> 'invalid';"
	"CREATE INDEX source_builds_status ON source_builds (source_id, status);"

	/* Phase 1-3: scenarios and their per-build rows. */
	"CREATE TABLE training_scenarios ("
	" id {{PK}}, name TEXT NOT NULL, description TEXT, version TEXT, status TEXT NOT NULL DEFAULT 'queued',"
	" data_source_config TEXT NOT NULL DEFAULT '{}', feature_config TEXT NOT NULL DEFAULT '{}',"
	" splitting_config TEXT NOT NULL DEFAULT '{}', preprocessing_config TEXT NOT NULL DEFAULT '{}',"
	" output_config TEXT NOT NULL DEFAULT '{}',"
	" builds_total BIGINT NOT NULL DEFAULT 0, builds_ingested BIGINT NOT NULL DEFAULT 0,"
	" builds_missing_resource BIGINT NOT NULL DEFAULT 0, builds_failed BIGINT NOT NULL DEFAULT 0,"
	" builds_processed BIGINT NOT NULL DEFAULT 0, builds_partial BIGINT NOT NULL DEFAULT 0,"
	" builds_processing_failed BIGINT NOT NULL DEFAULT 0,"
	" error_message TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
	" ingestion_started_at BIGINT, ingestion_completed_at BIGINT, processing_started_at BIGINT,"
	" processing_completed_at BIGINT, generation_started_at BIGINT, generation_completed_at BIGINT);"

	"CREATE TABLE training_ingestion_builds ("
	" id {{PK}}, scenario_id BIGINT NOT NULL REFERENCES training_scenarios(id) ON DELETE CASCADE,"
	" raw_run_id BIGINT NOT NULL REFERENCES raw_build_runs(id), raw_repo_id BIGINT NOT NULL REFERENCES raw_repositories(id),"
	" commit_sha TEXT, started_at BIGINT, status TEXT NOT NULL DEFAULT 'pending',"
	" resource_status TEXT NOT NULL DEFAULT '{}', error_message TEXT,"
	" created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX training_ingestion_builds_key ON training_ingestion_builds (scenario_id, raw_run_id);"
	"CREATE INDEX training_ingestion_builds_status ON training_ingestion_builds (scenario_id, status);"
	"CREATE INDEX training_ingestion_builds_repo ON training_ingestion_builds (scenario_id, raw_repo_id, started_at);"

	"CREATE TABLE feature_vectors ("
	" id {{PK}}, scenario_id BIGINT NOT NULL REFERENCES training_scenarios(id) ON DELETE CASCADE,"
	" raw_run_id BIGINT NOT NULL REFERENCES raw_build_runs(id), raw_repo_id BIGINT NOT NULL,"
	" status TEXT NOT NULL, feature_values TEXT NOT NULL DEFAULT '{}', feature_count BIGINT NOT NULL DEFAULT 0,"
	" missing_resources TEXT NOT NULL DEFAULT '[]', skipped_features TEXT NOT NULL DEFAULT '[]',"
	" catalogue_version TEXT, computed_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX feature_vectors_key ON feature_vectors (scenario_id, raw_run_id);"

	"CREATE TABLE training_enrichment_builds ("
	" id {{PK}}, scenario_id BIGINT NOT NULL REFERENCES training_scenarios(id) ON DELETE CASCADE,"
	" ingestion_build_id BIGINT NOT NULL REFERENCES training_ingestion_builds(id) ON DELETE CASCADE,"
	" raw_run_id BIGINT NOT NULL REFERENCES raw_build_runs(id), raw_repo_id BIGINT NOT NULL,"
	" started_at BIGINT, extraction_status TEXT NOT NULL DEFAULT 'pending',"
	" feature_vector_id BIGINT REFERENCES feature_vectors(id) ON DELETE SET NULL,"
	" feature_count BIGINT NOT NULL DEFAULT 0, error_message TEXT,"
	" created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX training_enrichment_builds_key ON training_enrichment_builds (scenario_id, raw_run_id);"
	"CREATE INDEX training_enrichment_builds_status ON training_enrichment_builds (scenario_id, extraction_status);"

	"CREATE TABLE training_dataset_splits ("
	" id {{PK}}, scenario_id BIGINT NOT NULL REFERENCES training_scenarios(id) ON DELETE CASCADE,"
	" fold TEXT NOT NULL DEFAULT '', split_type TEXT NOT NULL, file_format TEXT NOT NULL, file_path TEXT NOT NULL,"
	" file_size_bytes BIGINT NOT NULL DEFAULT 0, record_count BIGINT NOT NULL DEFAULT 0,"
	" feature_count BIGINT NOT NULL DEFAULT 0, class_distribution TEXT NOT NULL DEFAULT '{}',"
	" group_distribution TEXT NOT NULL DEFAULT '{}', sha256 TEXT, generated_at BIGINT NOT NULL,"
	" duration_ms BIGINT NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX training_dataset_splits_key ON training_dataset_splits"
	" (scenario_id, fold, split_type, file_format);"

	"CREATE TABLE commit_scans ("
	" id {{PK}}, raw_repo_id BIGINT NOT NULL REFERENCES raw_repositories(id), commit_sha TEXT NOT NULL,"
	" scanner TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', metrics TEXT NOT NULL DEFAULT '{}',"
	" error_message TEXT, started_at BIGINT, completed_at BIGINT);"
	"CREATE UNIQUE INDEX commit_scans_key ON commit_scans (raw_repo_id, commit_sha, scanner);"

	/* The durable job queue (src/jobs/). */
	"CREATE TABLE jobs ("
	" id {{PK}}, queue TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}',"
	" state TEXT NOT NULL DEFAULT 'queued', priority BIGINT NOT NULL DEFAULT 0,"
	" attempts BIGINT NOT NULL DEFAULT 0, max_attempts BIGINT NOT NULL DEFAULT 5,"
	" run_after BIGINT NOT NULL, timeout_sec BIGINT NOT NULL DEFAULT 600,"
	" lease_owner TEXT, lease_expires_at BIGINT, last_error TEXT, concurrency_key TEXT,"
	" parent_id BIGINT REFERENCES jobs(id) ON DELETE CASCADE, open_children BIGINT NOT NULL DEFAULT 0,"
	" created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT);"
	/* Partial indexes: they hold only the few queued or running jobs, not the history of finished ones,
	 * so a claim's index scan stays short however many jobs have run. */
	"CREATE INDEX jobs_claim ON jobs (queue, priority DESC, run_after, id) WHERE state = 'queued';"
	"CREATE INDEX jobs_key ON jobs (concurrency_key, state) WHERE concurrency_key IS NOT NULL;"
	"CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE state = 'running';"
	"CREATE INDEX jobs_parent ON jobs (parent_id);"

	/* Progress and status events, published by the API's WebSocket/SSE stream. */
	"CREATE TABLE events ("
	" id {{PK}}, kind TEXT NOT NULL, scenario_id BIGINT, source_id BIGINT, payload TEXT NOT NULL DEFAULT '{}',"
	" created_at BIGINT NOT NULL);"
	"CREATE INDEX events_scenario ON events (scenario_id, id);"

	"CREATE TABLE users ("
	" id {{PK}}, login TEXT NOT NULL, name TEXT, role TEXT NOT NULL DEFAULT 'user', created_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX users_login ON users (login);"
	"CREATE TABLE api_tokens ("
	" id {{PK}}, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT,"
	" token_sha256 TEXT NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT);"
	"CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_sha256);";

/*
 * The jobs table is a queue: every claim and completion rewrites a row, and
 * the claim's index scan must step over the dead versions until vacuum
 * removes them. Vacuuming it after every few thousand changes keeps claims
 * at index speed; on SQLite an update rewrites in place and needs nothing.
 */
static const char v1_pg[] =
	"ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 2000,"
	" autovacuum_vacuum_cost_delay = 0, fillfactor = 70);";

/*
 * Pull requests of warehouse repositories and their comments (issue 6, the
 * pr_* features). Comments are kept whatever their date: the features count
 * only those made before a build started. A PR belongs to the warehouse
 * repository its builds belong to (for CircleCI and Travis builds, fetched
 * from GitHub).
 */
static const char v2[] =
	"CREATE TABLE raw_pull_requests ("
	" id {{PK}}, raw_repo_id BIGINT NOT NULL REFERENCES raw_repositories(id) ON DELETE CASCADE,"
	" number BIGINT NOT NULL, state TEXT, author_login TEXT, created_at BIGINT, closed_at BIGINT, merged_at BIGINT,"
	" body TEXT, comments_count BIGINT NOT NULL DEFAULT 0, raw TEXT NOT NULL DEFAULT '{}', fetched_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX raw_pull_requests_key ON raw_pull_requests (raw_repo_id, number);"
	"CREATE TABLE raw_pr_comments ("
	" id {{PK}}, raw_pr_id BIGINT NOT NULL REFERENCES raw_pull_requests(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL, comment_id TEXT NOT NULL, author_login TEXT, created_at BIGINT);"
	"CREATE UNIQUE INDEX raw_pr_comments_key ON raw_pr_comments (raw_pr_id, kind, comment_id);";

/*
 * Validation finds a source's rows by exact repository name (the job's
 * payload), pending ones first: pending_ids(), the bulk verdict update and
 * mark_rows() in pipeline/job_validate_repo.c. The unique key compares
 * LOWER(repo_name_from_source) and cannot serve them, so each row's update
 * scanned the source's pending rows (issue 21: 20,000 rows took 36 s).
 * Every statement relying on these is in pipeline/hot_sql.c, plan-tested.
 */
static const char v3[] =
	"CREATE INDEX source_builds_repo ON source_builds"
	" (source_id, ci_provider, repo_name_from_source, status, build_id_from_source);"
	/* Processing lists a repository's builds of a scenario, as ingestion does with its own index. */
	"CREATE INDEX training_enrichment_builds_repo ON training_enrichment_builds (scenario_id, raw_repo_id, started_at);";

const struct store_migration store_migrations[] = {
	{ 1, "initial schema", v1, v1_pg },
	{ 2, "pull requests", v2, NULL },
	{ 3, "source rows by repository", v3, NULL },
};
const int store_migrations_count = 3;
