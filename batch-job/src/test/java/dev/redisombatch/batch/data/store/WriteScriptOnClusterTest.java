package dev.redisombatch.batch.data.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.migration.Change;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link WriteScript} on a cluster: a batch of one master's documents over many slots goes as one call to that master,
 * and a batch holding a document the master does not serve is refused whole by the script, then written per slot, so
 * that document is written where it lives rather than taken for one of another type.
 */
class WriteScriptOnClusterTest {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 0);

    private final ChangedCounter counter = new ChangedCounter("m1", Direction.APPLY, 7, true);
    private final HashStore store = new HashStore(Set.of());

    @BeforeEach
    void empty() {
        cluster.flushAll();
    }

    /** 300 keys of the first master, over about as many slots, and some of another master. */
    private List<String> keysOf(String nodeId, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "user:" + i;
            if (cluster.connection()
                    .getPartitions()
                    .getPartitionBySlot(SlotHash.getSlot(key))
                    .getNodeId()
                    .equals(nodeId)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private List<Object> write(RedisEndpoint endpoint, String walkedNode, List<String> keys) {
        return write(endpoint, walkedNode, keys, () -> {});
    }

    private List<Object> write(
            RedisEndpoint endpoint, String walkedNode, List<String> keys, Runnable betweenReadAndWrite) {
        keys.forEach(key -> cluster.commands().hset(key, Map.of("created_at", "2024-01-15T10:30:00Z")));
        try (PipelinedConnection connection = endpoint.openPipelined(walkedNode)) {
            List<byte[]> bytes = keys.stream()
                    .map(key -> key.getBytes(StandardCharsets.UTF_8))
                    .toList();
            List<PendingWrite> batch = store.load(connection, connection.writes(), bytes).stream()
                    .map(stored -> new PendingWrite(stored, stored.document(), Change.set("created_at", "1705314600")))
                    .toList();
            betweenReadAndWrite.run();
            cluster.masters()
                    .forEach(master -> cluster.nodeCommands(master.port()).configResetstat());
            return new WriteScript(store, WriteMode.CONDITIONAL, counter).run(connection, batch);
        }
    }

    @Test
    void aBatchOfOneMastersDocumentsIsOneCallToIt() {
        RedisCluster.Node master = cluster.masters().get(0);
        List<String> keys = keysOf(master.nodeId(), 300);
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            List<Object> statuses = write(endpoint, master.nodeId(), keys);

            assertThat(statuses).hasSize(300).containsOnly(1L);
            assertThat(keys.stream().map(SlotHash::getSlot).distinct().count()).isGreaterThan(250);
            assertThat(cluster.scriptCallsRan(master.port())).isOne();
            assertThat(cluster.nodeCommands(master.port()).info("commandstats"))
                    .as("no slot moving: the master's slot map tells it serves every key, no EXISTS asked")
                    .doesNotContain("cmdstat_exists:");
            assertThat(keys)
                    .allSatisfy(key -> assertThat(cluster.commands().hget(key, "created_at"))
                            .isEqualTo("1705314600"));
            assertThat(counter.read(endpoint)).isEqualTo(300);
            counter.clear(endpoint);
        }
    }

    @Test
    void documentsWithLongAndShortHeadersMixInOneCrossSlotCall() {
        RedisCluster.Node master = cluster.masters().get(0);
        List<String> keys = keysOf(master.nodeId(), 40);
        Map<String, String> twelveFields = new java.util.LinkedHashMap<>();
        for (int f = 0; f < 12; f++) {
            twelveFields.put("f" + f, "v" + f);
        }
        // Even documents have 12 fields read (the counts go apart from the header), odd ones one.
        for (int i = 0; i < keys.size(); i++) {
            cluster.commands().hset(keys.get(i), i % 2 == 0 ? twelveFields : Map.of("f0", "v0"));
        }
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()));
                PipelinedConnection connection = endpoint.openPipelined(master.nodeId())) {
            List<byte[]> bytes = keys.stream()
                    .map(key -> key.getBytes(StandardCharsets.UTF_8))
                    .toList();
            List<PendingWrite> batch = store.load(connection, connection.writes(), bytes).stream()
                    .map(stored -> new PendingWrite(stored, stored.document(), Change.set("f0", "new")))
                    .toList();
            cluster.commands().hset(keys.get(2), "f11", "changed");
            cluster.commands().hset(keys.get(3), "f0", "changed");
            cluster.masters().forEach(node -> cluster.nodeCommands(node.port()).configResetstat());

            List<Object> statuses = new WriteScript(store, WriteMode.CONDITIONAL, counter).run(connection, batch);

            List<Object> expected = new ArrayList<>();
            IntStream.range(0, keys.size()).forEach(i -> expected.add(i == 2 || i == 3 ? 0L : 1L));
            assertThat(statuses).isEqualTo(expected);
            assertThat(cluster.scriptCallsRan(master.port())).isOne();
            for (int i = 0; i < keys.size(); i++) {
                assertThat(cluster.commands().hget(keys.get(i), "f0"))
                        .as(keys.get(i))
                        .isEqualTo(i == 2 ? "v0" : i == 3 ? "changed" : "new");
            }
            assertThat(counter.read(endpoint)).isEqualTo(keys.size() - 2);
            counter.clear(endpoint);
        }
    }

    @Test
    void aDocumentTheMasterDoesNotServeSendsTheBatchPerSlotAndEveryDocumentIsWritten() {
        RedisCluster.Node walked = cluster.masters().get(0);
        RedisCluster.Node other = cluster.masters().get(1);
        List<String> keys = new ArrayList<>(keysOf(walked.nodeId(), 100));
        // As after a slot moved away between the read and the write: the last keys live on another master.
        keys.addAll(keysOf(other.nodeId(), 3));
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            List<Object> statuses = write(endpoint, walked.nodeId(), keys);

            assertThat(statuses).hasSize(103).containsOnly(1L);
            assertThat(keys)
                    .allSatisfy(key -> assertThat(cluster.commands().hget(key, "created_at"))
                            .isEqualTo("1705314600"));
            assertThat(counter.read(endpoint)).as("each document counted once").isEqualTo(103);
            assertThat(cluster.scriptCallsRan(walked.port()))
                    .as("the call refused whole ran nothing; then one per slot")
                    .isEqualTo(IntStream.range(0, 100)
                            .map(i -> SlotHash.getSlot(keys.get(i)))
                            .distinct()
                            .count());
            counter.clear(endpoint);
        }
    }

    @Test
    void aBatchInASlotMovingAwayWithOneOfItsKeysGoneIsRefusedWholeAndWritesNothing() {
        RedisCluster.Node walked = cluster.masters().get(0);
        RedisCluster.Node target = cluster.masters().get(1);
        String tag = keysOf(walked.nodeId(), 1).get(0);
        List<String> keys =
                IntStream.range(0, 5).mapToObj(i -> "{" + tag + "}:" + i).toList();
        int slot = SlotHash.getSlot(tag);
        RedisCommands<String, String> from = cluster.nodeCommands(walked.port());
        RedisCommands<String, String> to = cluster.nodeCommands(target.port());
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            // One EXISTS over the slot's keys, four there and one moved: the master answers TRYAGAIN, as it would ASK
            // for the moved key alone, so the call is refused before it writes anything; the per-slot call after it
            // is refused too (TRYAGAIN, until the slot has moved).
            assertThatThrownBy(() -> write(endpoint, walked.nodeId(), keys, () -> {
                        to.clusterSetSlotImporting(slot, walked.nodeId());
                        from.clusterSetSlotMigrating(slot, target.nodeId());
                        from.migrate(target.host(), target.port(), keys.get(4), 0, 5_000);
                    }))
                    .hasMessageStartingWith("TRYAGAIN");

            assertThat(cluster.scriptCallsRan(walked.port())).isZero();
            assertThat(keys.subList(0, 4))
                    .allSatisfy(key -> assertThat(from.hget(key, "created_at")).isEqualTo("2024-01-15T10:30:00Z"));
            to.asking();
            assertThat(to.hget(keys.get(4), "created_at")).isEqualTo("2024-01-15T10:30:00Z");
            assertThat(counter.read(endpoint)).isEqualTo(-1);
        } finally {
            from.clusterSetSlotStable(slot);
            to.clusterSetSlotStable(slot);
        }
    }

    @Test
    void theCrossSlotScriptReadsTheStoresArgumentsInPlaceWhereThePreludeDeclaresThem() {
        for (String script : List.of(store.writeScript(), new JsonStore(Set.of()).writeScript())) {
            String crossSlot = WriteScript.withKeysInArguments(script);

            // Declared once, by the prelude, over its own arguments: no copy of them into tables of the script's
            // layout.
            assertThat(script).contains("local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = KEYS, #KEYS, ARGV, 1");
            assertThat(WriteScript.LAYOUT.matcher(crossSlot).results()).hasSize(1);
            assertThat(crossSlot)
                    .startsWith("#!lua flags=allow-cross-slot-keys")
                    .contains("local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = ARGV, documents + 1, ARGV,")
                    .doesNotContain("= KEYS, #KEYS, ARGV, 1");
        }
        assertThatThrownBy(() -> WriteScript.withKeysInArguments("return KEYS[1]"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layout");
    }
}
