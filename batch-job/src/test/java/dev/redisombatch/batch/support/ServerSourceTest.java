package dev.redisombatch.batch.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ServerSource.Container;
import dev.redisombatch.batch.support.ServerSource.Machine;
import dev.redisombatch.batch.support.ServerSource.Missing;
import dev.redisombatch.batch.support.ServerSource.RedisNeed;
import dev.redisombatch.batch.support.ServerSource.Spawned;
import dev.redisombatch.batch.support.ServerSource.Url;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerSourceTest {

    private static final String LOCAL = "/usr/bin/redis-server";

    private final Map<String, String> environment = new HashMap<>();
    private final Set<String> files = Set.of("/opt/redisearch.so", "/opt/rejson.so");
    private final Set<String> executables = Set.of("/opt/redis-7.4/redis-server");
    private final AtomicInteger dockerAsked = new AtomicInteger();

    private Machine machine(String localRedisServer, boolean docker) {
        return new Machine(environment::get, files::contains, executables::contains, localRedisServer, () -> {
            dockerAsked.incrementAndGet();
            return docker;
        });
    }

    @Test
    void aUrlVariableComesFirstThenAModuleThenAContainer() {
        environment.put("REDISEARCH_MODULE", "/opt/redisearch.so");
        environment.put("REDIS_SEARCH_URL", "redis://10.0.0.5:6380");
        assertThat(ServerSource.redis(RedisNeed.SEARCH, machine(LOCAL, true)))
                .isEqualTo(new Url("redis://10.0.0.5:6380"));

        environment.remove("REDIS_SEARCH_URL");
        assertThat(ServerSource.redis(RedisNeed.SEARCH, machine(LOCAL, true)))
                .isEqualTo(new Spawned(LOCAL, "/opt/redisearch.so"));

        environment.remove("REDISEARCH_MODULE");
        assertThat(ServerSource.redis(RedisNeed.SEARCH, machine(LOCAL, true))).isEqualTo(new Container("redis:8.2"));
        assertThat(dockerAsked).hasValue(1);
    }

    @Test
    void withoutAnySourceTheReasonNamesEachWayToProvideOne() {
        ServerSource json = ServerSource.redis(RedisNeed.JSON, machine(LOCAL, false));

        assertThat(json).isInstanceOf(Missing.class);
        assertThat(((Missing) json).reason())
                .contains("REDISJSON_MODULE")
                .contains("REDIS_JSON_URL")
                .contains("Docker engine");
    }

    @Test
    void aBlankVariableIsNotASource() {
        environment.put("REDIS_JSON_URL", "  ");
        environment.put("REDISJSON_MODULE", "");

        assertThat(ServerSource.redis(RedisNeed.JSON, machine(LOCAL, true))).isEqualTo(new Container("redis:8.2"));
    }

    @Test
    void aVariableNamingNothingUsableIsSaidAndNoContainerIsTakenInstead() {
        environment.put("REDISJSON_MODULE", "/opt/missing.so");
        environment.put("REDIS_HFE_SERVER", "/opt/redis-7.0/redis-server");

        assertThat(ServerSource.redis(RedisNeed.JSON, machine(LOCAL, true)))
                .isEqualTo(new Missing("REDISJSON_MODULE=/opt/missing.so is not a file"));
        assertThat(ServerSource.redis(RedisNeed.FIELD_EXPIRATION, machine(LOCAL, true)))
                .isEqualTo(new Missing("REDIS_HFE_SERVER=/opt/redis-7.0/redis-server is not an executable file"));
        assertThat(dockerAsked).hasValue(0);
    }

    @Test
    void fieldExpirationComesFromItsBinaryElseAContainer() {
        assertThat(ServerSource.redis(RedisNeed.FIELD_EXPIRATION, machine(LOCAL, true)))
                .isEqualTo(new Container("redis:8.2"));

        environment.put("REDIS_HFE_SERVER", "/opt/redis-7.4/redis-server");
        assertThat(ServerSource.redis(RedisNeed.FIELD_EXPIRATION, machine(LOCAL, true)))
                .isEqualTo(new Spawned("/opt/redis-7.4/redis-server", null));
    }

    @Test
    void searchOverJsonHasNoModuleSource() {
        environment.put("REDISEARCH_MODULE", "/opt/redisearch.so");
        environment.put("REDISJSON_MODULE", "/opt/rejson.so");

        assertThat(ServerSource.redis(RedisNeed.SEARCH_JSON, machine(LOCAL, false)))
                .isInstanceOf(Missing.class);
        assertThat(ServerSource.redis(RedisNeed.SEARCH_JSON, machine(LOCAL, true)))
                .isEqualTo(new Container("redis:8.2"));
    }

    @Test
    void plainRedisIsTheLocalBinaryOnlyAndDockerIsNeverAsked() {
        assertThat(ServerSource.redis(RedisNeed.PLAIN, machine(LOCAL, true))).isEqualTo(new Spawned(LOCAL, null));
        assertThat(ServerSource.redis(RedisNeed.PLAIN, machine(null, true))).isInstanceOf(Missing.class);
        assertThat(dockerAsked).hasValue(0);
    }

    @Test
    void aModuleNeedsTheLocalServerToBeLoadedInto() {
        environment.put("REDISEARCH_MODULE", "/opt/redisearch.so");

        assertThat(ServerSource.redis(RedisNeed.SEARCH, machine(null, true)))
                .isEqualTo(new Missing("redis-server is not installed, to load REDISEARCH_MODULE into"));
    }

    @Test
    void postgresIsTheLocalServerElseAContainerElseBothReasons() {
        assertThat(ServerSource.postgres(null, machine(LOCAL, true))).isInstanceOf(Spawned.class);
        assertThat(dockerAsked).hasValue(0);
        assertThat(ServerSource.postgres("no initdb", machine(LOCAL, true))).isEqualTo(new Container("postgres:17"));
        assertThat(ServerSource.postgres("no initdb", machine(LOCAL, false)))
                .isEqualTo(new Missing("no initdb; nor is a Docker engine reachable (Testcontainers, postgres:17)"));
    }
}
