package dev.redisombatch.samples;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fills a missing {@code created_at} from the key: Redis OM's pks are ULIDs, whose first 10 characters are the
 * creation time in milliseconds, in Crockford base32.
 */
public class PopulateMissingCreatedAt implements DataMigration {

    public static final String ID = "20260101_000400_populate_missing_created_at";
    static final String CREATED_AT = "created_at";

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int ULID_LENGTH = 26;
    private static final int TIME_LENGTH = 10;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Set a missing created_at to the creation time encoded in the ULID pk";
    }

    /** Runs after the built-in so that the values it writes and the converted ones share one format. */
    @Override
    public List<String> dependencies() {
        return List.of("001_datetime_fields_to_timestamps");
    }

    @Override
    public KeySelector keys() {
        return Users.KEYS;
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of(CREATED_AT);
    }

    @Override
    public Change up(Document document) {
        if (!document.get(CREATED_AT).orElse("").isBlank()) {
            return Change.none();
        }
        String key = document.key();
        return Change.set(CREATED_AT, seconds(ulidMillis(key.substring(key.lastIndexOf(':') + 1), key)));
    }

    private static long ulidMillis(String pk, String key) {
        // A first character above 7 would need more than the 48 bits a ULID time has.
        if (pk.length() != ULID_LENGTH || pk.charAt(0) > '7') {
            throw notUlid(key);
        }
        String upper = pk.toUpperCase(Locale.ROOT); // ULIDs are case-insensitive
        long millis = 0;
        for (int i = 0; i < ULID_LENGTH; i++) {
            int digit = CROCKFORD.indexOf(upper.charAt(i));
            if (digit < 0) {
                throw notUlid(key);
            }
            if (i < TIME_LENGTH) {
                millis = millis * 32 + digit;
            }
        }
        return millis;
    }

    private static DataMigrationException notUlid(String key) {
        return new DataMigrationException("key " + key + ": pk is not a ULID, so created_at cannot be derived from it");
    }

    /**
     * Seconds as the built-in writes them, which is Python's {@code str(float)}: "1700000000.0", "1700000000.123".
     * Milliseconds need at most 13 significant digits, well within what a double's shortest form keeps exactly.
     */
    static String seconds(long millis) {
        BigDecimal seconds = BigDecimal.valueOf(millis, 3).stripTrailingZeros();
        return (seconds.scale() < 1 ? seconds.setScale(1) : seconds).toPlainString();
    }
}
