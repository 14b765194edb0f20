package dev.redisombatch.batch.results;

import java.util.Map;

/**
 * One change a dry run would have written: the key (printable), the fields as read and as they would be; {@code after}
 * is null when the key would be deleted. {@code fieldExpiry} says which field expiry times would be set or cleared
 * ({@code expire {session=2030-01-01T00:00:00Z} persist [token]}), empty when none: they are not among the fields.
 */
public record ChangeExample(String key, Map<String, String> before, Map<String, String> after, String fieldExpiry) {}
