package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RestoreArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes the pages read from the source to the target, one pipeline of {@code RESTORE ... REPLACE ABSTTL} per page
 * (routed by slot on a cluster). A RESTORE gives the key the source's value byte for byte and its expiry as an
 * absolute time; it replaces what the key held, so sending a page again (after a timeout, or when a resumed partition
 * reads again the pages since its checkpoint) writes the same thing twice and changes nothing. A key whose expiry has
 * passed is not created.
 */
final class TargetWriter implements ItemWriter<List<DumpedKey>> {

    private final RedisEndpoint target;
    private final PartitionProgress progress;
    private final Runnable beforeWrite;
    private PipelinedConnection connection;

    TargetWriter(RedisEndpoint target, PartitionProgress progress, Runnable beforeWrite) {
        this.target = target;
        this.progress = progress;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void write(Chunk<? extends List<DumpedKey>> chunk) {
        for (List<DumpedKey> page : chunk) {
            beforeWrite.run();
            String what = "RESTORE " + page.size() + " keys on the target";
            try {
                target.transientFaults().call(what, () -> {
                    restore(page);
                    return null;
                });
            } catch (RedisOmBatchException decided) {
                throw decided;
            } catch (RuntimeException stillFailing) {
                // Past the retries: the message names the side (the target's OOM, not the source's).
                throw new RedisException(what + " failed: " + Failures.describe(stillFailing), stillFailing);
            }
            progress.changed(page.size());
        }
    }

    /**
     * Deletes on the target keys the source no longer holds, one pipeline; deleting a key twice changes nothing.
     *
     * @return how many of them the target held
     */
    long delete(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        beforeWrite.run();
        return target.transientFaults().call("DEL " + keys.size() + " keys on the target", () -> {
            if (connection == null) {
                connection = target.openPipelined();
            }
            List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                replies.add(connection.writes().del(key));
            }
            connection.flushAndSettle(replies);
            long deleted = 0;
            for (RedisFuture<Long> reply : replies) {
                deleted += connection.await(reply);
            }
            return deleted;
        });
    }

    private void restore(List<DumpedKey> page) {
        if (connection == null) {
            connection = target.openPipelined();
        }
        List<RedisFuture<String>> replies = new ArrayList<>(page.size());
        for (DumpedKey key : page) {
            RestoreArgs arguments =
                    RestoreArgs.Builder.ttl(key.expiresAtMillis()).replace();
            if (key.expiresAtMillis() > 0) {
                arguments.absttl();
            }
            replies.add(connection.writes().restore(key.key(), key.payload(), arguments));
        }
        connection.flushAndSettle(replies);
        RuntimeException refused = null;
        long restored = 0;
        for (int i = 0; i < replies.size(); i++) {
            String refusal = refusalOf(replies.get(i));
            if (refusal == null) {
                restored++;
            } else if (TransientFaults.isTransientReply(refusal)) {
                throw new RedisCommandExecutionException(refusal);
            } else if (refused == null) {
                refused = PendingWrite.Restore.refused(page.get(i).key(), refusal);
            }
        }
        if (refused != null) {
            // The page is not done, but the keys restored around the one refused are on the target: counted, so that
            // the summary's "wrote" says what the target holds.
            progress.changed(restored);
            throw refused;
        }
    }

    /**
     * The target's error reply to one RESTORE; null when it was restored. A failure that is no reply of the server (a
     * connection dropped under the pipeline, a timeout) is thrown as it is, for the retry policy: the page is sent
     * again, which restores the same bytes.
     */
    private static String refusalOf(RedisFuture<String> reply) {
        try {
            reply.get();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException refused) {
                return String.valueOf(refused.getMessage());
            }
            throw e.getCause() instanceof RuntimeException failure
                    ? failure
                    : new RedisException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
