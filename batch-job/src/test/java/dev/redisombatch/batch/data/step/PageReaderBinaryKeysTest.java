package dev.redisombatch.batch.data.step;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.store.HashStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** {@link PageReader} over keys and values that are not UTF-8 (moved here from the hash store's test). */
class PageReaderBinaryKeysTest {

    /** "bin:" then 0xff 0xfe: not UTF-8. */
    private static final byte[] BINARY_KEY = concat(bytes("bin:"), bytes(0xff, 0xfe));
    /** "lat", Latin-1 e-acute, "in1": not UTF-8. */
    private static final byte[] LATIN1_VALUE = concat(bytes("lat"), bytes(0xe9), bytes("in1"));

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    @Test
    void thePageReaderFindsKeysThatAreNotUtf8() {
        fixture.other().hset(BINARY_KEY, Map.of(bytes("name"), LATIN1_VALUE));
        fixture.other().hset(bytes("bin:ascii"), Map.of(bytes("name"), bytes("x")));
        fixture.other().hset(bytes("other"), Map.of(bytes("name"), bytes("x")));
        ExecutionContext context = new ExecutionContext();
        SliceCheckpoint.start("bin:*", RedisType.HASH, "", new ScanSlice(0, 0), 0, SlotSet.ALL)
                .writeTo(context);
        try (PartitionSession session = new PartitionSession("t", "", fixture.endpoint(), new PartitionProgress())) {
            PageReader reader = new PageReader(session, new HashStore(Set.of("name")), 100, () -> {});
            reader.open(context);
            List<StoredDocument> read = new ArrayList<>();
            for (DocumentPage page = reader.read(); page != null; page = reader.read()) {
                read.addAll(page.documents());
            }
            assertThat(read).extracting(StoredDocument::key).containsExactlyInAnyOrder(BINARY_KEY, bytes("bin:ascii"));
            StoredHash binary = (StoredHash) read.stream()
                    .filter(d -> d.key().length == BINARY_KEY.length)
                    .findFirst()
                    .orElseThrow();
            assertThat(binary.values()[0]).isEqualTo(LATIN1_VALUE);
        }
    }
}
