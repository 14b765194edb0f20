package dev.redisombatch.batch.data;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import java.util.Map;

/**
 * One change a dry run would have written: the key (printable), the fields as read and as they would be; {@code after}
 * is null when the key would be deleted. {@code fieldExpiry} says which field expiry times would be set or cleared
 * ({@code expire {session=2030-01-01T00:00:00Z} persist [token]}), empty when none: they are not among the fields.
 */
public record ChangeExample(String key, Map<String, String> before, Map<String, String> after, String fieldExpiry) {

    static ChangeExample of(PendingWrite write) {
        Change change = write.change();
        Document after = change.applyTo(write.before());
        return new ChangeExample(write.stored().printableKey(), write.before().fields(),
                after == null ? null : after.fields(), fieldExpiryOf(change));
    }

    private static String fieldExpiryOf(Change change) {
        if (!change.asksFieldExpiry()) {
            return "";
        }
        Change.Builder asks = Change.builder();
        change.fieldExpiryTimes().forEach(asks::expireAt);
        change.fieldsToPersist().forEach(asks::persist);
        return asks.build().toString();
    }
}
