package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.migration.Document;
import java.util.Map;

/**
 * One change a dry run would have written: the key (printable), the fields as read and as they would be; {@code after}
 * is null when the key would be deleted.
 */
public record ChangeExample(String key, Map<String, String> before, Map<String, String> after) {

    static ChangeExample of(PendingWrite write) {
        Document after = write.change().applyTo(write.before());
        return new ChangeExample(write.stored().printableKey(), write.before().fields(),
                after == null ? null : after.fields());
    }
}
