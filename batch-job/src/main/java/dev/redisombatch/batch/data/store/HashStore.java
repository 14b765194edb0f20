package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.BulkArguments;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.migration.Change;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Hashes: read with HMGET of the fields the migration names, or HGETALL when it names none; written with HSET and
 * HDEL of the changed fields only, or DEL, through {@code hash-conditional-write.lua}: conditionally, or blindly in
 * {@link WriteMode#OVERWRITE}. On servers with hash field expiration (Redis 7.4+), where HSET drops a field's TTL,
 * the script keeps the TTLs of the fields it sets, and sets or clears those a migration asks for in the same call.
 */
public final class HashStore implements DocumentStore {

    private static final String SCRIPT = DocumentStore.script("hash-conditional-write.lua");
    /** A command only servers with hash field expiration know. */
    static final String FIELD_EXPIRATION_COMMAND = "HPEXPIRETIME";

    // A document's header: its operation, its comparison, then its four counts (hash-conditional-write.lua).
    private static final byte SET = 'S';
    private static final byte SET_KEEPING_TTLS = 'K';
    private static final byte DELETE = 'D';
    private static final byte WHOLE = 'W';
    private static final byte FIELDS = 'F';
    private static final byte BLIND = 'B';
    private static final byte RESTORED = 'R';
    private static final byte IF_THERE = 'E';
    /** Counts up to this one ride in the header as a digit each; a document with a larger one sends all four apart. */
    private static final int LARGEST_DIGIT = 9;

    private static final byte[] PRESENT = KeyText.bytes("1");
    private static final byte[] ABSENT = KeyText.bytes("0");
    private static final byte[] EMPTY = new byte[0];
    /** The expiry time a migration asks for a field it persists, as HPEXPIRETIME reports a field without one. */
    private static final byte[] NO_EXPIRY = KeyText.bytes("-1");

    private final byte[][] fieldsRead;
    private final BooleanSupplier serverHasFieldExpiration;
    /** {@link #SET} or {@link #SET_KEEPING_TTLS}, once the server was asked (on the first write); 0 before. */
    private byte setOperation;

    /** A store for servers without hash field expiration. @param fieldsRead the fields read; empty for all */
    public HashStore(Set<String> fieldsRead) {
        this(fieldsRead, () -> false);
    }

    /**
     * @param fieldsRead the fields the migration reads; empty for all
     * @param serverHasFieldExpiration whether the server has hash field expiration, whose TTLs a rewrite must keep;
     *     asked on the first write only, inside its retry. Keeping them costs the server a read and a restore of the
     *     TTLs per document written, which servers without it are spared.
     */
    HashStore(Set<String> fieldsRead, BooleanSupplier serverHasFieldExpiration) {
        this.fieldsRead = fieldsRead.stream().sorted().map(KeyText::bytes).toArray(byte[][]::new);
        this.serverHasFieldExpiration = serverHasFieldExpiration;
    }

    /** The store for hashes on a server that knows the commands {@code serverKnows} says it knows. */
    static HashStore on(Predicate<String> serverKnows, Set<String> fieldsRead) {
        return new HashStore(fieldsRead, () -> serverKnows.test(FIELD_EXPIRATION_COMMAND));
    }

    @Override
    public String scanType() {
        return "hash";
    }

    /** HMGET and HGETALL of a key of another type are refused with WRONGTYPE, and the key is left out. */
    @Override
    public boolean scansWithoutTypeFilter() {
        return true;
    }

    @Override
    public String writeScript() {
        return SCRIPT;
    }

    @Override
    public List<StoredDocument> load(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, List<byte[]> keys) {
        return fieldsRead.length == 0 ? loadWhole(connection, commands, keys) : loadFields(connection, commands, keys);
    }

    private List<StoredDocument> loadWhole(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, List<byte[]> keys) {
        List<Map<byte[], byte[]>> hashes = PipelinedLoad.replies(connection, keys, commands::hgetall);
        List<StoredDocument> documents = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Map<byte[], byte[]> hash = hashes.get(i);
            if (hash == null || hash.isEmpty()) {
                continue;
            }
            byte[][] names = new byte[hash.size()][];
            byte[][] values = new byte[hash.size()][];
            int field = 0;
            for (Map.Entry<byte[], byte[]> entry : hash.entrySet()) {
                names[field] = entry.getKey();
                values[field++] = entry.getValue();
            }
            documents.add(new StoredHash(keys.get(i), names, values, true));
        }
        return documents;
    }

    private List<StoredDocument> loadFields(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, List<byte[]> keys) {
        List<List<byte[]>> replies = PipelinedLoad.replies(connection, keys, key -> hmget(commands, key));
        List<StoredDocument> documents = new ArrayList<>(keys.size());
        List<StoredDocument> withoutFieldsRead = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<byte[]> reply = replies.get(i);
            if (reply == null) {
                continue;
            }
            byte[][] values = new byte[fieldsRead.length][];
            boolean any = false;
            for (int field = 0; field < values.length; field++) {
                values[field] = reply.get(field);
                any |= values[field] != null;
            }
            StoredDocument document = new StoredHash(keys.get(i), fieldsRead, values, false);
            (any ? documents : withoutFieldsRead).add(document);
        }
        documents.addAll(stillExisting(connection, commands, withoutFieldsRead));
        return documents;
    }

    /** HMGET of the fields read, answered by their values in that order, null for a field the hash lacks. */
    private RedisFuture<List<byte[]>> hmget(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
        byte[][] arguments = new byte[1 + fieldsRead.length][];
        arguments[0] = key;
        System.arraycopy(fieldsRead, 0, arguments, 1, fieldsRead.length);
        return commands.dispatch(
                CommandType.HMGET,
                new ValueListOutput<>(ByteArrayCodec.INSTANCE),
                new BulkArguments(key, Arrays.asList(arguments)));
    }

    /**
     * HMGET cannot tell a hash that lacks the fields read from a key deleted since SCAN; the few documents without any
     * field read are checked with EXISTS, so a migration is not shown documents that are gone.
     */
    private static List<StoredDocument> stillExisting(
            PipelinedConnection connection,
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            List<StoredDocument> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        List<RedisFuture<Long>> exists = new ArrayList<>(candidates.size());
        for (StoredDocument candidate : candidates) {
            exists.add(commands.exists(candidate.key()));
        }
        connection.flushAndSettle(exists);
        List<StoredDocument> existing = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (connection.await(exists.get(i)) > 0) {
                existing.add(candidates.get(i));
            }
        }
        return existing;
    }

    private byte setOperation() {
        if (setOperation == 0) {
            setOperation = serverHasFieldExpiration.getAsBoolean() ? SET_KEEPING_TTLS : SET;
        }
        return setOperation;
    }

    /** A server without hash field expiration cannot set or clear a field's expiry; it would drop what was asked. */
    @Override
    public String cannotWrite(Change change) {
        if (!change.asksFieldExpiry() || setOperation() == SET_KEEPING_TTLS) {
            return null;
        }
        String field = change.fieldExpiryTimes().isEmpty()
                ? change.fieldsToPersist().iterator().next()
                : change.fieldExpiryTimes().keySet().iterator().next();
        return "the transform sets or clears the expiry of field " + field + ", but this Redis has no hash field"
                + " expiration (Redis 7.4 or later)";
    }

    @Override
    public void encodeWrite(PendingWrite write, WriteMode mode, List<byte[]> arguments) {
        StoredHash document = (StoredHash) write.stored();
        Change change = write.change();
        boolean compares = mode == WriteMode.CONDITIONAL && write.restore() == null;
        byte comparison;
        if (write.restore() == PendingWrite.Restore.EARLIER) {
            comparison = IF_THERE;
        } else if (write.restore() != null) {
            // Restored from what was read, then written blindly, in either mode: what the change compares is what
            // the restore just put there.
            comparison = RESTORED;
        } else if (!compares) {
            comparison = BLIND;
        } else {
            comparison = document.wholeDocument() ? WHOLE : FIELDS;
        }
        addHeader(
                arguments,
                change.deletesKey() ? DELETE : setOperation(),
                comparison,
                compares ? document.fieldNames().length : 0,
                change.fieldsToSet().size(),
                change.fieldsToRemove().size(),
                change.fieldExpiryTimes().size() + change.fieldsToPersist().size());
        if (comparison == RESTORED) {
            arguments.add(KeyText.decimal(write.restore().expiresAtMillis()));
            arguments.add(write.restore().payload());
        }
        if (compares) {
            byte[][] names = document.fieldNames();
            byte[][] values = document.values();
            for (int i = 0; i < names.length; i++) {
                arguments.add(names[i]);
                arguments.add(values[i] == null ? ABSENT : PRESENT);
                arguments.add(values[i] == null ? EMPTY : values[i]);
            }
        }
        change.fieldsToSet().forEach((field, value) -> {
            arguments.add(KeyText.bytes(field));
            arguments.add(KeyText.bytes(value));
        });
        change.fieldsToRemove().forEach(field -> arguments.add(KeyText.bytes(field)));
        change.fieldExpiryTimes().forEach((field, at) -> {
            arguments.add(KeyText.bytes(field));
            arguments.add(KeyText.decimal(at.toEpochMilli()));
        });
        change.fieldsToPersist().forEach(field -> {
            arguments.add(KeyText.bytes(field));
            arguments.add(NO_EXPIRY);
        });
    }

    /**
     * One entry of {@code operation}, {@code comparison} and the four counts as a digit each, the usual case; when a
     * count is above {@value #LARGEST_DIGIT}, the two bytes and then the four counts as entries of their own.
     */
    private static void addHeader(List<byte[]> arguments, byte operation, byte comparison, int... counts) {
        byte[] header = new byte[2 + counts.length];
        header[0] = operation;
        header[1] = comparison;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > LARGEST_DIGIT) {
                arguments.add(Arrays.copyOf(header, 2));
                for (int count : counts) {
                    arguments.add(KeyText.decimal(count));
                }
                return;
            }
            header[2 + i] = (byte) ('0' + counts[i]);
        }
        arguments.add(header);
    }
}
