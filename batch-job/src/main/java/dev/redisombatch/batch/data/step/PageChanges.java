package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.PendingWrite;
import java.util.List;

/** What the processor made of one page: the documents to write and those it skipped. */
record PageChanges(List<PendingWrite> writes, List<SkipEntry> skips) {}
