package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.StoredDocument;
import java.util.List;

/**
 * One SCAN page and its documents: the item of a partition's chunk-oriented step. A page, not a document, is the
 * item so that Spring Batch's per-item machinery runs once per page; the failure mode applies to each document inside
 * the processor and the writer.
 *
 * @param reread the page is read a second time: it was in flight when the previous execution stopped or died
 */
record DocumentPage(List<StoredDocument> documents, boolean reread) {}
