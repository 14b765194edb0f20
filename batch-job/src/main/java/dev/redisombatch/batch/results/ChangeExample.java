package dev.redisombatch.batch.results;

import java.util.Map;

/**
 * One change a dry run would have written: the key (printable), the fields as read and as they would be; {@code after}
 * is null when the key would be deleted.
 */
public record ChangeExample(String key, Map<String, String> before, Map<String, String> after) {
}
