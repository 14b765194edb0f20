package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.ops.RunningMigrationCode;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Transform;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Runs the transform over a page's documents. A document it leaves as it is goes no further (unchanged); one it
 * cannot migrate goes to the {@link RejectionPolicy}, alone: the rest of the page carries on.
 */
final class PageProcessor implements ItemProcessor<DocumentPage, PageChanges> {

    private final Transform transform;
    private final RejectionPolicy rejections;
    private final PartitionProgress progress;

    PageProcessor(Transform transform, RejectionPolicy rejections, PartitionProgress progress) {
        this.transform = transform;
        this.rejections = rejections;
        this.progress = progress;
    }

    @Override
    public PageChanges process(DocumentPage page) {
        List<PendingWrite> writes = new ArrayList<>();
        List<SkipEntry> skips = new ArrayList<>();
        int unchanged = 0;
        for (StoredDocument stored : page.documents()) {
            try {
                PendingWrite write = changeOf(stored);
                if (write == null) {
                    unchanged++;
                } else {
                    writes.add(write);
                }
            } catch (DocumentRejectedException rejected) {
                skips.add(reject(rejected));
            }
        }
        progress.unchanged(unchanged);
        return new PageChanges(writes, skips);
    }

    String migrationId() {
        return rejections.migrationId();
    }

    /** Counts and handles one rejected document; returns its skip-log entry, or throws under {@code fail}. */
    SkipEntry reject(DocumentRejectedException rejected) {
        SkipEntry entry = rejections.reject(rejected);
        progress.skipped(1);
        return entry;
    }

    /**
     * The change that really alters one document, or null when it needs none.
     *
     * @throws DocumentRejectedException when it cannot be migrated
     */
    PendingWrite changeOf(StoredDocument stored) {
        Document document = stored.document();
        Change change;
        RunningMigrationCode.entered(rejections.migrationId(), stored::printableKey);
        try {
            change = transform.apply(document);
        } catch (RuntimeException e) {
            // A bug in a migration (a NullPointerException on an odd document) is as much about this document as a
            // deliberate rejection: both go to the failure mode instead of stopping every partition.
            throw new DocumentRejectedException(
                    stored.printableKey(), e.getMessage() == null ? e.getClass().getName() : e.getMessage(), e);
        } finally {
            RunningMigrationCode.left();
        }
        if (change == null) {
            throw new DocumentRejectedException(stored.printableKey(), "the transform returned null, not a Change");
        }
        Change effective = change.effectiveOn(document);
        if (effective.isNone()) {
            return null;
        }
        checkWritable(stored, document, effective);
        return new PendingWrite(stored, document, effective);
    }

    /**
     * A field the change sets or removes must have been read: only what was read is compared before the write
     * (an application's concurrent update of a field not read would be overwritten unseen) and only what was read
     * shows a second run that the work is done. Every text must have UTF-8 bytes to be written. And a JSON path must
     * be one the document as read can take (its parent there, an object), or the server would refuse it half-way; a
     * JSON document has no field TTLs to set ({@link Change#applyTo} says so).
     */
    private static void checkWritable(StoredDocument stored, Document document, Change change) {
        if (!change.deletesKey()) {
            for (String field : change.fieldsToSet().keySet()) {
                requireRead(stored, field, "sets");
            }
            for (String field : change.fieldsToRemove()) {
                requireRead(stored, field, "removes");
            }
        }
        change.fieldsToSet().forEach((field, value) -> {
            if (!KeyText.encodable(field) || !KeyText.encodable(value)) {
                throw new DocumentRejectedException(
                        stored.printableKey(),
                        "the transform set field " + field
                                + " to text that has no UTF-8 form (an unpaired surrogate); not written");
            }
        });
        if (document.isJson() && !change.deletesKey()) {
            try {
                change.applyTo(document);
            } catch (RuntimeException e) {
                throw new DocumentRejectedException(
                        stored.printableKey(), "the transform's change cannot be" + " applied: " + e.getMessage(), e);
            }
        }
    }

    private static void requireRead(StoredDocument stored, String field, String verb) {
        if (!stored.reads(field)) {
            throw new DocumentRejectedException(
                    stored.printableKey(),
                    "the transform " + verb + " field " + field
                            + ", which its fieldsRead() does not name; name every field it writes there, so that it is read,"
                            + " compared before the write and seen as done afterwards");
        }
    }
}
