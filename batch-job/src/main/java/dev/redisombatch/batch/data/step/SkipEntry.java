package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;

/** A skipped document, as the skip log keeps it: its key, printable and bounded, and why. */
record SkipEntry(String printableKey, String reason) {

    static SkipEntry of(DocumentRejectedException rejected) {
        return new SkipEntry(rejected.printableKey(), rejected.reason());
    }
}
