/**
 * The built-in data migration Redis OM 1.0 ships, {@code 001_datetime_fields_to_timestamps}, and the options that
 * switch it on and configure it.
 *
 * <p>May import {@code plan}, {@code settings} and the migration API only.
 *
 * <p>Start reading at {@link DatetimeFieldsToTimestamps}, then {@link IsoTimestamps}.
 */
package dev.redisombatch.batch.builtin;
