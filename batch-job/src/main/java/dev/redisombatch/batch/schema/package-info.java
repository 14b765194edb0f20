/**
 * Schema (RediSearch index) migrations: the migration and model files, index definitions compared as FT.INFO reports
 * them, the FT.* commands, replacing an index behind its alias, waiting for it to be built, and the schema commands
 * (apply, rollback, status, create; create's desired definitions come from {@code models/} or a reference Redis, which
 * status can compare the live indexes with too). A
 * migration is applied or rolled back as a Spring Batch job, resumable like a data migration's run.
 *
 * <p>May import {@code results}, {@code plan}, {@code ops}, {@code state}, {@code redis}, {@code jobs},
 * {@code settings} and {@code failure}; not {@code data}, {@code command} or {@code cli}.
 *
 * <p>Start reading at {@link SchemaMigrations}, then {@link SchemaApplyCommand} and {@link IndexReplacement}.
 */
package dev.redisombatch.batch.schema;
