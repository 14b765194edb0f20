package dev.redisombatch.batch.data;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Transform;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Runs the transform on one document; documents it leaves as they are go no further (counted as filtered). */
public final class MigrationProcessor implements ItemProcessor<Document, DocumentChange> {

    private final Transform transform;

    public MigrationProcessor(Transform transform) {
        this.transform = transform;
    }

    @Override
    public DocumentChange process(Document document) {
        Change change;
        try {
            change = transform.apply(document);
        } catch (RuntimeException e) {
            // A bug in a migration (a NullPointerException on an odd document) is as much about this document as a
            // deliberate rejection: both go to the failure mode instead of stopping every partition.
            String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            throw new DocumentRejectedException(document.key(), reason, e);
        }
        if (change == null) {
            throw new DocumentRejectedException(document.key(), "the transform returned null, not a Change", null);
        }
        Change effective = change.effectiveOn(document);
        return effective.isNone() ? null : new DocumentChange(document, effective);
    }
}
