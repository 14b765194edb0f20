/**
 * Spring Batch's job repository and operator on the configured database, and what makes a run resumable: the identity
 * that makes two runs the same run, the instance a run continues, the unfinished runs, and riding out a database that
 * blinks.
 *
 * <p>May import {@code settings} and {@code failure} only.
 *
 * <p>Start reading at {@link BatchInfrastructure}, then {@link RunIdentity} and {@link ResumableInstance}.
 */
package dev.redisombatch.batch.jobs;
