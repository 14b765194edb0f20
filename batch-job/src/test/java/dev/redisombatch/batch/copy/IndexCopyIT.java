package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --target.indexes=copy}: the source's RediSearch index created on the target from its FT.INFO, so that the
 * target answers queries over every copied user. Skipped, with the reason, when no search module is given.
 */
class IndexCopyIT {

    private static final int USERS = 3_000;
    private static final String INDEX = ":app.models.User:index";
    /** Queries reach it by the alias {@value #ALIAS}, as after a zero-downtime schema migration. */
    private static final String VERSIONED = "users-by-email:v3";

    private static final String ALIAS = "users-by-email";

    @RegisterExtension
    static final RedisServer source = RedisServer.withSearch();

    @RegisterExtension
    static final RedisServer target = RedisServer.withSearch();

    @TempDir
    Path work;

    @Test
    void theSourcesIndexIsCreatedOnTheTargetAndAnswersForEveryCopiedUser() {
        assumeFalse(
                source.external(),
                "REDIS_SEARCH_URL names one server: a copy needs two (give REDISEARCH_MODULE to start them here)");
        source.commands().flushall();
        target.commands().flushall();
        Users.load(source, USERS);
        indexUsersOnTheSource(INDEX, "email", "TAG", "created_at", "TEXT");
        indexUsersOnTheSource(VERSIONED, "email", "TAG");
        source.search("FT.ALIASADD", ALIAS, VERSIONED);
        List<Object> sourceInfoBefore = source.search("FT.INFO", INDEX);

        InProcessRun run = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--target.indexes=copy",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .containsPattern("indexes of the source created on the target: \\[(" + INDEX + ", " + VERSIONED + "|"
                        + VERSIONED + ", " + INDEX + ")]")
                .contains("aliases of the source added on the target: [" + ALIAS + " -> " + VERSIONED + "]");
        assertThat(target.search("FT._LIST")).containsExactlyInAnyOrder(INDEX, VERSIONED);
        for (String name : List.of(INDEX, ALIAS)) {
            // Created before the copy, both indexes took each hash as it was restored.
            long found = (Long)
                    target.search("FT.SEARCH", name, "*", "LIMIT", "0", "0").get(0);
            assertThat(found)
                    .as("users the target's index finds through " + name)
                    .isEqualTo(USERS);
        }
        assertThat(source.search("FT.INFO", INDEX).get(1)).isEqualTo(sourceInfoBefore.get(1));
    }

    private static void indexUsersOnTheSource(String name, String... schema) {
        List<String> arguments =
                new ArrayList<>(List.of(name, "ON", "HASH", "PREFIX", "1", Users.PATTERN.replace("*", ""), "SCHEMA"));
        arguments.addAll(List.of(schema));
        source.search("FT.CREATE", arguments.toArray(String[]::new));
    }
}
