package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code status --desired-from=URL}: each index of a reference Redis against the live index of the same name (or
 * alias) on the target, as {@code create --desired-from} would see it: in step, differs (naming the fields),
 * missing on the target, missing on the reference. Exit 0 as status always is; {@code --check} makes drift exit 7.
 * Neither server gets a write.
 */
class ReferenceDriftIT {

    @RegisterExtension
    static final RedisServer target = RedisServer.withSearch();

    @RegisterExtension
    static final RedisServer reference = RedisServer.withSearch();

    /** A TAG and a NUMERIC field, with options on the fields and on the index. */
    private static final String ACCOUNTS = "ON HASH PREFIX 1 drift-account: LANGUAGE german STOPWORDS 0 SCHEMA"
            + " country TAG SEPARATOR ; SORTABLE balance NUMERIC SORTABLE";
    /** The same fields, country a TEXT and balance no longer SORTABLE. */
    private static final String ACCOUNTS_DIFFERING = "ON HASH PREFIX 1 drift-account: LANGUAGE german STOPWORDS 0"
            + " SCHEMA country TEXT SORTABLE balance NUMERIC";

    private static final String LEDGER = "ON HASH PREFIX 1 drift-ledger: SCHEMA amount NUMERIC";
    private static final String LEGACY = "ON HASH PREFIX 1 drift-legacy: SCHEMA code TAG";

    @TempDir
    Path work;

    private Map<String, Long> referenceWritesBefore;
    private long referenceKeysBefore;

    @BeforeEach
    void referenceIndexes() {
        assumeFalse(
                target.url().equals(reference.url()),
                "both servers resolve to the same external Redis; this test needs two");
        SchemaRuns.forgetSchemaState(target, "drift-*");
        SchemaRuns.forgetSchemaState(reference, "drift-*");
        create(reference, "drift-accounts", ACCOUNTS);
        create(reference, "drift-ledger", LEDGER);
        referenceWritesBefore = reference.writeCalls();
        referenceKeysBefore = reference.commands().dbsize();
    }

    @AfterEach
    void theReferenceGotNoWrite() {
        if (referenceWritesBefore == null) {
            return; // skipped before anything was read
        }
        assertThat(reference.writeCalls()).as("write commands on the reference").isEqualTo(referenceWritesBefore);
        assertThat(reference.commands().dbsize()).isEqualTo(referenceKeysBefore);
        assertThat(reference.search("FT._LIST")).containsExactlyInAnyOrder("drift-accounts", "drift-ledger");
    }

    @Test
    void theSameIndexesAreInStepAndCheckPasses() {
        create(target, "drift-accounts", ACCOUNTS);
        create(target, "drift-ledger", LEDGER);
        Map<String, Long> targetWrites = target.writeCalls();

        InProcessRun status = status("--check");

        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.stdout())
                .contains("indexes against the reference " + hostPort(reference) + "/0 (--desired-from):")
                .contains("  index drift-accounts: in step")
                .contains("  index drift-ledger: in step")
                .doesNotContain("DIFFERS")
                .doesNotContain("MISSING");
        assertThat(target.writeCalls())
                .as("status writes nothing to the target either")
                .isEqualTo(targetWrites);
    }

    @Test
    void aDifferingIndexNamesEachFieldAndAMissingOneIsSaidExit0AndCheckExits7() {
        create(target, "drift-accounts", ACCOUNTS_DIFFERING);

        InProcessRun status = status();
        InProcessRun checked = status("--check");

        assertThat(status.exitCode())
                .as("status is read-only and reports: " + status.output())
                .isZero();
        String accounts = line(status.stdout(), "  index drift-accounts: ");
        assertThat(accounts)
                .startsWith("  index drift-accounts: DIFFERS: ")
                .contains("field country: type TEXT -> TAG")
                .contains("field balance: sortable false -> true")
                .doesNotContain("language")
                .doesNotContain("stopwords");
        assertThat(status.stdout()).contains("  index drift-ledger: MISSING on the target (only the reference has it)");
        assertThat(checked.exitCode()).as(checked.output()).isEqualTo(7);
    }

    @Test
    void jsonNamesTheStateOfEveryIndexIncludingOneOnlyTheTargetHas() throws Exception {
        create(target, "drift-accounts", ACCOUNTS_DIFFERING);
        create(target, "drift-legacy", LEGACY);

        InProcessRun status = status("--format=json");

        assertThat(status.exitCode()).as(status.output()).isZero();
        JsonNode drift = JsonMapper.builder().build().readTree(status.stdout()).at("/result/schema/reference");
        assertThat(drift.get("reference").asString()).isEqualTo(hostPort(reference) + "/0");
        Map<String, JsonNode> byIndex = new TreeMap<>();
        drift.get("indexes").forEach(index -> byIndex.put(index.get("index").asString(), index));
        assertThat(byIndex).containsOnlyKeys("drift-accounts", "drift-ledger", "drift-legacy");
        assertThat(byIndex.get("drift-accounts").get("state").asString()).isEqualTo("differs");
        assertThat(byIndex.get("drift-accounts").get("liveIndex").asString()).isEqualTo("drift-accounts");
        List<String> differences = new ArrayList<>();
        byIndex.get("drift-accounts").get("differences").forEach(line -> differences.add(line.asString()));
        assertThat(differences)
                .as("what create would write in the file's description")
                .contains(
                        "field country: type TEXT -> TAG",
                        "field country: separator null -> ;",
                        "field balance: sortable false -> true");
        assertThat(byIndex.get("drift-ledger").get("state").asString()).isEqualTo("missing-on-target");
        assertThat(byIndex.get("drift-legacy").get("state").asString()).isEqualTo("missing-on-reference");
    }

    @Test
    void anAliasIsComparedThroughTheIndexItPointsAtAndIndexLimitsTheComparison() {
        create(target, "drift-accounts_v2", ACCOUNTS);
        target.search("FT.ALIASADD", "drift-accounts", "drift-accounts_v2");
        create(target, "drift-legacy", LEGACY);

        InProcessRun limited = status("--index=drift-accounts,drift-legacy");
        InProcessRun every = status();

        assertThat(limited.exitCode()).as(limited.output()).isZero();
        assertThat(limited.stdout())
                .contains("  index drift-accounts: in step (live index drift-accounts_v2)")
                .contains("  index drift-legacy: missing on the reference (only the target has it)")
                .doesNotContain("drift-ledger");
        assertThat(every.stdout())
                .as("the versioned index behind the alias is not listed as one the reference lacks")
                .doesNotContain("index drift-accounts_v2:");
    }

    @Test
    void migrateSchemaStatusShowsTheSameComparison() {
        create(target, "drift-accounts", ACCOUNTS);

        InProcessRun status = SchemaRuns.migrateSchema(
                target.url(), work, "--command=status", "--desired-from=" + reference.url(), "--check");

        assertThat(status.exitCode())
                .as("ledger is missing on the target: " + status.output())
                .isEqualTo(7);
        assertThat(status.stdout())
                .contains("  index drift-accounts: in step")
                .contains("  index drift-ledger: MISSING on the target");
    }

    /** {@code --job=status} against the target with the reference as {@code --desired-from}. */
    private InProcessRun status(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=status",
                "--redis.url=" + target.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work,
                "--desired-from=" + reference.url()));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    private static String line(String output, String start) {
        return output.lines()
                .filter(line -> line.startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in:\n" + output));
    }

    private static String hostPort(RedisServer redis) {
        return redis.url().replaceFirst("^redis://", "").replaceFirst("/\\d+$", "");
    }

    private static void create(RedisServer redis, String index, String schemaText) {
        List<String> command = SchemaTokens.parseSchemaText(schemaText).createCommand(index);
        redis.search(command.get(0), command.subList(1, command.size()).toArray(String[]::new));
    }
}
