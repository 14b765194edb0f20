package dev.redisombatch.batch.data;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;

/** A document as read and the part of its migration's change that really alters it. */
public record DocumentChange(Document before, Change change) {

    public String key() {
        return before.key();
    }
}
