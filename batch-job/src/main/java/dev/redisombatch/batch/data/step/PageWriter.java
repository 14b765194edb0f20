package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.WriteMode;
import dev.redisombatch.batch.data.store.WriteScript;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisCommandExecutionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a page's changed documents, in batches of at most {@code --chunk-size}, and its skipped keys to the skip
 * log, in one pipeline each.
 *
 * <p>{@link WriteMode#CONDITIONAL}: a document that changed between the read and the write is read and transformed
 * again, up to {@value #MAX_ATTEMPTS} times in all, then skipped as a conflict; a document that is gone is counted
 * and left gone. {@link WriteMode#OVERWRITE}: the same script writes the changed fields blindly, so nothing is ever
 * found changed or gone.
 *
 * <p>A batch cut short by a timeout or a dropped connection may have run anyway; it is sent again conditionally in
 * either mode: what was written then holds the new state, reads as changed, and is found unchanged on the re-read, so
 * it is neither written nor counted twice. The skip-log entries of a page carry one token for all their sends, so a
 * resent page adds them once.
 */
final class PageWriter implements ItemWriter<PageChanges> {

    static final int MAX_ATTEMPTS = 3;

    private final PartitionSession session;
    private final DocumentStore store;
    private final PageProcessor processor;
    private final WriteScript script;
    private final SkippedKeyLog skipLog;
    private final int batchSize;
    private final Runnable beforeWrite;

    /**
     * @param beforeWrite throws when the run may no longer write (its lock is lost, its error budget spent)
     */
    PageWriter(
            PartitionSession session,
            DocumentStore store,
            PageProcessor processor,
            WriteScript script,
            SkippedKeyLog skipLog,
            int batchSize,
            Runnable beforeWrite) {
        this.session = session;
        this.store = store;
        this.processor = processor;
        this.script = script;
        this.skipLog = skipLog;
        this.batchSize = batchSize;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void write(Chunk<? extends PageChanges> chunk) {
        requireWritable(session, store, processor.migrationId(), chunk);
        for (PageChanges page : chunk) {
            beforeWrite.run();
            long started = System.nanoTime();
            List<SkipEntry> skips = new ArrayList<>(page.skips());
            writeChanges(page.writes(), skips);
            logSkips(skips);
            session.progress().timeWrite(System.nanoTime() - started);
        }
    }

    private void writeChanges(List<PendingWrite> writes, List<SkipEntry> skips) {
        PartitionProgress progress = session.progress();
        List<PendingWrite> pending = writes;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<PendingWrite> changedSinceRead = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += batchSize) {
                List<PendingWrite> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
                Object[] statuses = writeBatch(batch);
                for (int i = 0; i < batch.size(); i++) {
                    Object status = statuses[i];
                    if (status instanceof Long code) {
                        switch (code.intValue()) {
                            case 1 -> progress.changed(1);
                            case 0 -> changedSinceRead.add(batch.get(i));
                            case 2 -> progress.unchanged(1);
                            default -> progress.gone(1);
                        }
                    } else if (batch.get(i).restore() != null) {
                        throw PendingWrite.Restore.refused(batch.get(i).stored().key(), text(status));
                    } else {
                        skips.add(processor.reject(new DocumentRejectedException(
                                batch.get(i).stored().printableKey(), "Redis refused the write: " + text(status))));
                    }
                }
            }
            if (changedSinceRead.isEmpty()) {
                return;
            }
            if (attempt == MAX_ATTEMPTS) {
                for (PendingWrite write : changedSinceRead) {
                    progress.conflict(1);
                    skips.add(processor.reject(new DocumentRejectedException(
                            write.stored().printableKey(),
                            "changed by another client between read and write, " + MAX_ATTEMPTS
                                    + " times in a row; not written")));
                }
                return;
            }
            pending = readAgain(changedSinceRead, skips);
        }
    }

    /**
     * Stops the run (exit 4, whatever the failure mode) before anything of the chunk is written when the server cannot
     * make one of its changes as asked: a field expiry on a server without hash field expiration would be dropped, and
     * skipping instead would skip every document the migration gives one. A dry run stops the same way.
     */
    static void requireWritable(
            PartitionSession session, DocumentStore store, String migrationId, Chunk<? extends PageChanges> chunk) {
        String refusal = session.faults().call("ask what the server can write", () -> {
            for (PageChanges page : chunk) {
                for (PendingWrite write : page.writes()) {
                    String reason = store.cannotWrite(write.change());
                    if (reason != null) {
                        return write.stored().printableKey() + ": " + reason;
                    }
                }
            }
            return null;
        });
        if (refusal != null) {
            throw new RedisOmBatchException(Failure.DATA, migrationId + ": " + refusal + "; not written");
        }
    }

    /**
     * Sends a batch through the write script; the documents Redis refused for a passing reason (out of memory, a
     * replica that was a master a moment ago, a cluster changing) are sent again, alone, under the run's retry policy,
     * and when they are still refused the partition fails, resumable: a refusal that passes is never a skipped
     * document, so a migration is never marked applied over documents it did not write.
     *
     * @return per document, as {@link WriteScript#run} gives it
     */
    private Object[] writeBatch(List<PendingWrite> batch) {
        Object[] statuses = new Object[batch.size()];
        List<Integer> unwritten = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            unwritten.add(i);
        }
        int[] sends = {0};
        session.faults().call("write " + batch.size() + " documents", () -> {
            // A send after the first may follow one that ran unseen (a timeout): WriteScript#run makes it conditional.
            List<PendingWrite> toSend = unwritten.size() == batch.size()
                    ? batch
                    : unwritten.stream().map(batch::get).toList();
            List<Object> replies = script.run(session.connection(), toSend, sends[0]++ > 0);
            List<Integer> refused = new ArrayList<>();
            String refusal = null;
            for (int r = 0; r < replies.size(); r++) {
                Object reply = replies.get(r);
                if (!(reply instanceof Long) && TransientFaults.isTransientReply(text(reply))) {
                    refused.add(unwritten.get(r));
                    refusal = text(reply);
                } else {
                    statuses[unwritten.get(r)] = reply;
                }
            }
            unwritten.retainAll(refused);
            if (refusal != null) {
                throw new RedisCommandExecutionException(
                        refusal + " (" + refused.size() + " of " + replies.size() + " documents not written)");
            }
            return null;
        });
        return statuses;
    }

    /**
     * The documents that changed under the write, read and transformed again, from where their write goes: in a
     * cluster, after a failover or a slot move, that is no longer the server the partition walks.
     */
    private List<PendingWrite> readAgain(List<PendingWrite> changed, List<SkipEntry> skips) {
        List<byte[]> keys = changed.stream().map(write -> write.stored().key()).toList();
        List<StoredDocument> current = session.faults()
                .call(
                        "read " + keys.size() + " changed documents again",
                        () -> store.load(
                                session.connection(), session.connection().writes(), keys));
        session.progress().gone(changed.size() - current.size());
        List<PendingWrite> again = new ArrayList<>(current.size());
        int unchanged = 0;
        for (StoredDocument stored : current) {
            try {
                PendingWrite write = processor.changeOf(stored);
                if (write == null) {
                    unchanged++;
                } else {
                    again.add(write);
                }
            } catch (DocumentRejectedException rejected) {
                skips.add(processor.reject(rejected));
            }
        }
        session.progress().unchanged(unchanged);
        return again;
    }

    private void logSkips(List<SkipEntry> skips) {
        if (skips.isEmpty()) {
            return;
        }
        String pageToken = UUID.randomUUID().toString();
        session.faults()
                .call(
                        "log " + skips.size() + " skipped keys",
                        () -> skipLog.append(session.connection(), pageToken, skips, session.retryWindow()));
    }

    private static String text(Object status) {
        return status instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(status);
    }
}
