package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerPorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateSchema --command=create --desired-from=URL}: the indexes of a reference Redis (where the new version
 * of an application created them) are the desired definitions. An index only on the reference gets a file creating
 * it, one that differs a file with the live definition as {@code previous}, an identical one none; the files then run
 * and FT.INFO on the live server equals the reference's. The reference gets no write.
 */
class DesiredFromReferenceIT {

    @RegisterExtension
    static final RedisServer live = RedisServer.withSearch();

    @RegisterExtension
    static final RedisServer reference = RedisServer.withSearch();

    private static final String USERS = "ON HASH PREFIX 1 ref-user: SCHEMA name TEXT SORTABLE age NUMERIC";
    private static final String USERS_WITH_CITY = USERS + " city TAG SEPARATOR ;";
    private static final String ORDERS = "ON HASH PREFIX 1 ref-order: SCHEMA total NUMERIC SORTABLE";
    private static final String PRODUCTS = "ON HASH PREFIX 1 ref-product: SCHEMA title TEXT WEIGHT 2 sku TAG";
    private static final int USER_KEYS = 300;

    @TempDir
    Path work;

    @BeforeEach
    void liveAndReferenceIndexes() {
        assumeFalse(
                live.url().equals(reference.url()),
                "both servers resolve to the same external Redis; this test needs two");
        SchemaRuns.forgetSchemaState(live, "ref-*");
        SchemaRuns.forgetSchemaState(reference, "ref-*");
        for (int i = 0; i < USER_KEYS; i++) {
            live.commands()
                    .hset(
                            "ref-user:" + i,
                            Map.of("name", "user " + i, "age", Integer.toString(i), "city", "c" + i % 7));
        }
        create(live, "ref-users", USERS);
        create(live, "ref-orders", ORDERS);
        create(reference, "ref-users", USERS_WITH_CITY);
        create(reference, "ref-orders", ORDERS);
        create(reference, "ref-products", PRODUCTS);
    }

    @Test
    void writesAFileForEachNewOrChangedIndexThenRunningThemMakesLiveEqualTheReference() {
        Map<String, Long> writesBefore = reference.writeCalls();
        long referenceKeys = reference.commands().dbsize();

        InProcessRun created = createFromReference("--name=from_reference");

        assertThat(created.exitCode()).as(created.output()).isZero();
        Map<String, SchemaMigrationFile> files = SchemaFiles.migrations(work).stream()
                .collect(Collectors.toMap(SchemaMigrationFile::index, file -> file, (a, b) -> a, TreeMap::new));
        assertThat(files)
                .as("no file for orders, which is the same on both")
                .containsOnlyKeys("ref-products", "ref-users");
        assertThat(files.get("ref-products").previous()).as("products is new").isNull();
        assertThat(files.get("ref-users").previous().differencesFrom(definitionOf(live, "ref-users")))
                .as("the live definition is the previous one")
                .isEmpty();
        assertThat(files.get("ref-users").next().differencesFrom(definitionOf(reference, "ref-users")))
                .isEmpty();

        InProcessRun run = SchemaRuns.migrateSchema(live.url(), work, "--command=run");

        assertThat(run.exitCode()).as(run.output()).isZero();
        for (String index : List.of("ref-users", "ref-orders", "ref-products")) {
            assertThat(definitionOf(live, index).differencesFrom(definitionOf(reference, index)))
                    .as("FT.INFO of " + index + " on the live server against the reference's")
                    .isEmpty();
        }
        assertThat(LiveIndex.fromInfoReply(live.search("FT.INFO", "ref-users")).numDocs())
                .as("every user key indexed under the new definition")
                .isEqualTo(USER_KEYS);
        InProcessRun again = createFromReference("--name=again");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("nothing to write");
        assertThat(SchemaFiles.migrations(work)).hasSize(2);

        assertThat(reference.writeCalls()).as("the reference got no write").isEqualTo(writesBefore);
        assertThat(reference.commands().dbsize()).isEqualTo(referenceKeys);
        assertThat(reference.search("FT._LIST")).hasSize(3);
    }

    @Test
    void indexLimitsTheIndexesRead() {
        InProcessRun created = createFromReference("--name=only_products", "--index=ref-products,ref-orders");

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(SchemaFiles.migrations(work))
                .extracting(SchemaMigrationFile::index)
                .containsExactly("ref-products");
    }

    @Test
    void anIndexTheReferenceDoesNotHaveIsExit2NamingIt() {
        InProcessRun created = createFromReference("--name=x", "--index=ref-invoices");

        assertThat(created.exitCode()).as(created.output()).isEqualTo(2);
        assertThat(created.output()).contains("--index=ref-invoices: ref-invoices not on the reference Redis");
        assertThat(SchemaFiles.migrations(work)).isEmpty();
    }

    @Test
    void aReferenceThatCannotBeReachedOrRefusesThePasswordIsExit2NamingTheOptionNotThePassword() throws Exception {
        String unreachable = "redis://127.0.0.1:" + ServerPorts.free();
        String wrongPassword = reference.url().replace("redis://", "redis://reader:n0t-the-pa55word@");

        for (String url : List.of(unreachable, wrongPassword)) {
            InProcessRun created =
                    SchemaRuns.migrateSchema(live.url(), work, "--command=create", "--name=x", "--desired-from=" + url);

            assertThat(created.exitCode()).as(created.output()).isEqualTo(2);
            List<String> lines = created.output()
                    .lines()
                    .filter(line -> line.contains("--desired-from"))
                    .toList();
            assertThat(lines).as(created.output()).hasSize(1);
            assertThat(created.output()).doesNotContain("n0t-the-pa55word").doesNotContain("\tat ");
            assertThat(SchemaFiles.migrations(work)).isEmpty();
        }
    }

    private InProcessRun createFromReference(String... extra) {
        List<String> args = new ArrayList<>(List.of("--command=create", "--desired-from=" + reference.url()));
        args.addAll(List.of(extra));
        return SchemaRuns.migrateSchema(live.url(), work, args.toArray(String[]::new));
    }

    private static void create(RedisServer redis, String index, String schemaText) {
        List<String> command = SchemaTokens.parseSchemaText(schemaText).createCommand(index);
        redis.search(command.get(0), command.subList(1, command.size()).toArray(String[]::new));
    }

    private static IndexDefinition definitionOf(RedisServer redis, String index) {
        return LiveIndex.fromInfoReply(redis.search("FT.INFO", index)).definition();
    }
}
