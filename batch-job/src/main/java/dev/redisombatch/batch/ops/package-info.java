/**
 * What a run needs to be operated: the run lock (a lease in Redis), the stop on SIGTERM at a page boundary, progress
 * and metrics and their push to Prometheus or OTLP, the code a migration is running at the moment, and the document
 * counts every run reports.
 *
 * <p>May import {@code state}, {@code redis}, {@code settings} and {@code failure} only.
 *
 * <p>Start reading at {@link RunLease}, then {@link GracefulStop} and {@link MetricsExport}.
 */
package dev.redisombatch.batch.ops;
