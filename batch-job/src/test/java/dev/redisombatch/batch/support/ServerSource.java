package dev.redisombatch.batch.support;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where the server a test class needs comes from. The sources are tried in one order: a throwaway server a URL
 * variable names; a module file or server binary a variable names, run as a spawned process; the machine's own
 * binaries; a container from Testcontainers, where a Docker engine answers; else the class is skipped with the reason.
 * Decided here from the environment alone, so the order is unit tested on machines without Docker.
 */
sealed interface ServerSource {

    /** The Redis 8 image: search, JSON and hash field expiration built in. */
    String REDIS_IMAGE = "redis:8.2";

    String POSTGRES_IMAGE = "postgres:17";

    /** A throwaway server the variable names; the harness flushes it. */
    record Url(String url) implements ServerSource {}

    /** A process the harness spawns from {@code binary}, with {@code module} loaded (or none). */
    record Spawned(String binary, String module) implements ServerSource {}

    /** A container of {@code image}, started and removed by the harness. */
    record Container(String image) implements ServerSource {}

    /** Nothing at hand: the class is skipped with {@code reason}. */
    record Missing(String reason) implements ServerSource {}

    /** What a Redis test needs beyond plain Redis, and the variables that can provide it. */
    enum RedisNeed {
        PLAIN(null, null, null, null),
        SEARCH(
                "REDISEARCH_MODULE",
                "REDIS_SEARCH_URL",
                null,
                "no search-capable Redis: set REDISEARCH_MODULE to a"
                        + " RediSearch 2.x module file (loaded into a spawned redis-server) or REDIS_SEARCH_URL to a throwaway"
                        + " Redis 8 / Redis Stack, or make a Docker engine reachable (Testcontainers, " + REDIS_IMAGE
                        + ")"),
        JSON(
                "REDISJSON_MODULE",
                "REDIS_JSON_URL",
                null,
                "no JSON-capable Redis: set REDISJSON_MODULE to a ReJSON 1.x or"
                        + " RedisJSON 2.x module file (loaded into a spawned redis-server) or REDIS_JSON_URL to a throwaway"
                        + " Redis 8 / Redis Stack, or make a Docker engine reachable (Testcontainers, " + REDIS_IMAGE
                        + ")"),
        SEARCH_JSON(
                null,
                "REDIS_SEARCH_JSON_URL",
                null,
                "no Redis that indexes JSON: set REDIS_SEARCH_JSON_URL to a"
                        + " throwaway Redis 8 / Redis Stack, or make a Docker engine reachable (Testcontainers, "
                        + REDIS_IMAGE
                        + "). Modules loaded here do not do: RediSearch 2.6 indexes JSON only with RedisJSON 2.x, and with"
                        + " ReJSON 1.0.8 answers FT.CREATE ... ON JSON with 'Invalid rule type: JSON'"),
        FIELD_EXPIRATION(
                null,
                null,
                "REDIS_HFE_SERVER",
                "no Redis with hash field expiration: set REDIS_HFE_SERVER to"
                        + " a redis-server binary of Redis 7.4 or later (Debian's is 7.0), or make a Docker engine reachable"
                        + " (Testcontainers, " + REDIS_IMAGE + ")");

        final String moduleVariable;
        final String urlVariable;
        final String serverVariable;
        final String absent;

        RedisNeed(String moduleVariable, String urlVariable, String serverVariable, String absent) {
            this.moduleVariable = moduleVariable;
            this.urlVariable = urlVariable;
            this.serverVariable = serverVariable;
            this.absent = absent;
        }
    }

    /** What the harness can find on this machine; the real one reads the environment, the file system and Docker. */
    record Machine(
            Function<String, String> environment,
            Predicate<String> isFile,
            Predicate<String> isExecutable,
            String localRedisServer,
            BooleanSupplier dockerReachable) {

        String variable(String name) {
            String value = name == null ? null : environment.apply(name);
            return value == null || value.isBlank() ? null : value;
        }
    }

    /**
     * The source of a Redis with {@code need}. Plain Redis comes only from the local binary: its tests restart the
     * server, run it in cluster mode or pause it, which a container under Testcontainers does not do alike.
     */
    static ServerSource redis(RedisNeed need, Machine machine) {
        if (need == RedisNeed.PLAIN) {
            return machine.localRedisServer() != null
                    ? new Spawned(machine.localRedisServer(), null)
                    : new Missing("redis-server is not installed (apt-get install redis-server; bash .ci/run does it)");
        }
        String url = machine.variable(need.urlVariable);
        if (url != null) {
            return new Url(url);
        }
        String binary = machine.variable(need.serverVariable);
        if (binary != null) {
            return machine.isExecutable().test(binary)
                    ? new Spawned(binary, null)
                    : new Missing(need.serverVariable + "=" + binary + " is not an executable file");
        }
        String module = machine.variable(need.moduleVariable);
        if (module != null) {
            if (!machine.isFile().test(module)) {
                return new Missing(need.moduleVariable + "=" + module + " is not a file");
            }
            return machine.localRedisServer() != null
                    ? new Spawned(machine.localRedisServer(), module)
                    : new Missing("redis-server is not installed, to load " + need.moduleVariable + " into");
        }
        return machine.dockerReachable().getAsBoolean() ? new Container(REDIS_IMAGE) : new Missing(need.absent);
    }

    /**
     * The source of a PostgreSQL server: the distribution's binaries (spawned by {@code PostgresServer}), unless
     * {@code whyNoLocalServer} says why not; else a container.
     */
    static ServerSource postgres(String whyNoLocalServer, Machine machine) {
        if (whyNoLocalServer == null) {
            return new Spawned("postgres", null);
        }
        return machine.dockerReachable().getAsBoolean()
                ? new Container(POSTGRES_IMAGE)
                : new Missing(whyNoLocalServer + "; nor is a Docker engine reachable (Testcontainers, " + POSTGRES_IMAGE
                        + ")");
    }
}
