package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.TransientFaults;
import dev.redisombatch.migration.Change;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a chunk's changes in one pipeline: HSET of the changed fields, HDEL of the removed ones, DEL of deleted keys.
 * Never a whole-document rewrite, so fields an application updates meanwhile are left alone. Every command is
 * idempotent, so a chunk cut short by a dropped connection is simply sent again.
 */
public final class HashChangeWriter implements ItemWriter<DocumentChange> {

    private final Supplier<PipelinedConnection> connection;
    private final TransientFaults transientFaults;
    private final PartitionProgress progress;
    private final Runnable beforeWrite;

    /** @param beforeWrite throws when the run may no longer write (its lock is lost, its error budget spent) */
    public HashChangeWriter(Supplier<PipelinedConnection> connection, TransientFaults transientFaults,
            PartitionProgress progress, Runnable beforeWrite) {
        this.connection = connection;
        this.transientFaults = transientFaults;
        this.progress = progress;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void write(Chunk<? extends DocumentChange> chunk) {
        beforeWrite.run();
        long started = System.nanoTime();
        transientFaults.call("write " + chunk.size() + " changes", () -> {
            writeOnce(chunk.getItems());
            return null;
        });
        progress.chunkWritten(chunk.size(), System.nanoTime() - started);
    }

    private void writeOnce(List<? extends DocumentChange> items) {
        PipelinedConnection conn = connection.get();
        RedisAsyncCommands<String, String> commands = conn.commands();
        List<RedisFuture<?>> replies = new ArrayList<>(items.size());
        List<String> keyOfReply = new ArrayList<>(items.size());
        for (DocumentChange item : items) {
            Change change = item.change();
            if (change.deletesKey()) {
                replies.add(commands.del(item.key()));
                keyOfReply.add(item.key());
                continue;
            }
            if (!change.fieldsToSet().isEmpty()) {
                replies.add(commands.hset(item.key(), change.fieldsToSet()));
                keyOfReply.add(item.key());
            }
            if (!change.fieldsToRemove().isEmpty()) {
                replies.add(commands.hdel(item.key(), change.fieldsToRemove().toArray(String[]::new)));
                keyOfReply.add(item.key());
            }
        }
        conn.flushAndSettle(replies);
        for (int i = 0; i < replies.size(); i++) {
            RedisFuture<?> reply = replies.get(i);
            if (!reply.toCompletableFuture().isCompletedExceptionally()) {
                continue;
            }
            Throwable failure = failureOf(reply);
            if (TransientFaults.isTransient(failure)) {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
            // Redis refused this key (e.g. WRONGTYPE after the app replaced it): Spring Batch then writes the chunk
            // again one item at a time, and the failure mode decides about this key alone.
            throw new DocumentRejectedException(keyOfReply.get(i), "Redis refused the write: "
                    + failure.getMessage(), failure);
        }
    }

    private static Throwable failureOf(RedisFuture<?> reply) {
        try {
            reply.get();
            return new IllegalStateException("reply not complete");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}
