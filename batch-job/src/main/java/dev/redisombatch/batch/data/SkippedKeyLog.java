package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.Document;
import io.lettuce.core.XAddArgs;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.SkipListener;

/**
 * Keeps every skipped document (key and reason) in a capped Redis stream of our own,
 * {@code redis-om-batch:skipped:<migration id>}, and, in {@code log_and_skip} mode, in the log. Read it with
 * {@code XRANGE redis-om-batch:skipped:<id> - +}.
 */
public final class SkippedKeyLog implements SkipListener<Document, DocumentChange> {

    private static final Logger log = LoggerFactory.getLogger(SkippedKeyLog.class);
    public static final String KEY_PREFIX = "redis-om-batch:skipped:";

    private final String migrationId;
    private final RedisEndpoint redis;
    private final long capacity;
    private final boolean logEachKey;
    private final PartitionProgress progress;

    public SkippedKeyLog(String migrationId, RedisEndpoint redis, long capacity, FailureMode mode,
            PartitionProgress progress) {
        this.migrationId = migrationId;
        this.redis = redis;
        this.capacity = capacity;
        this.logEachKey = mode == FailureMode.LOG_AND_SKIP;
        this.progress = progress;
    }

    public static String streamKey(String migrationId) {
        return KEY_PREFIX + migrationId;
    }

    @Override
    public void onSkipInProcess(Document item, Throwable failure) {
        record(failure);
    }

    @Override
    public void onSkipInWrite(DocumentChange item, Throwable failure) {
        record(failure);
    }

    private void record(Throwable failure) {
        DocumentRejectedException rejected = (DocumentRejectedException) failure;
        progress.addSkipped(1);
        if (logEachKey) {
            log.warn("{}: skipped {}", migrationId, rejected.getMessage());
        }
        Map<String, String> entry = Map.of("key", rejected.key(), "reason", rejected.reason(),
                "at", Instant.now().toString());
        redis.transientFaults().call("XADD skip log", () ->
                redis.sync().xadd(streamKey(migrationId), XAddArgs.Builder.maxlen(capacity).approximateTrimming(),
                        entry));
    }
}
