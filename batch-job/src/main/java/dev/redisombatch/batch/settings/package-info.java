/**
 * What every settings record shares: the annotations that document an option ({@link Help}, {@link Secret}), reading
 * a record's named defaults, password files, and the exception for a value that cannot be used.
 *
 * <p>May import {@code failure} only. Start reading at {@link InvalidSettingException}, then {@link OptionDefaults}.
 */
package dev.redisombatch.batch.settings;
