package dev.redisombatch.batch.data.store;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;

/** A document to write: as it was read (bytes, and as the migration saw it) and the change that really alters it. */
public record PendingWrite(StoredDocument stored, Document before, Change change) {}
