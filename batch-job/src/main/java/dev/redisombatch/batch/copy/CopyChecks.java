package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What is checked before a copy writes anything, anywhere (before the run lock is taken on the target, which might be
 * the source): a source and a target it can copy between, or exit 2.
 */
public final class CopyChecks {

    /** RediSearch keeps no keys of its own type: a target without it can hold the source's keys. */
    static final Set<String> MODULES_WITHOUT_KEY_TYPES = Set.of("search", "ft", "searchlight");

    private final RedisEndpoint source;
    private final RedisEndpoint target;

    public CopyChecks(RedisEndpoint source, RedisEndpoint target) {
        this.source = source;
        this.target = target;
    }

    /** Refuses the source itself as the target, a target without a module the source has. */
    public void refuseUnfit() {
        refuseSourceAsTarget();
        Set<String> missing = modules(source);
        missing.removeAll(modules(target));
        missing.removeAll(MODULES_WITHOUT_KEY_TYPES);
        if (!missing.isEmpty()) {
            throw RedisOmBatchException.configuration("the target " + target.target() + " lacks the module(s) "
                    + missing + " that the source has: keys of their types could not be copied; load them on the"
                    + " target first");
        }
    }

    /**
     * Refuses a target that cannot be reached (naming {@code --target.url}) or that is the source itself: the same
     * server (by its {@code run_id}) and database. What a comparison of the two ({@code verify}) checks too.
     */
    public void refuseSourceAsTarget() {
        // A server or master process of the source that is also one of the target's, in the same database, is the
        // same data: a cluster named by other seeds, or one of its masters named alone, is found so too.
        Set<String> sourceRunIds = source.call("INFO server of the source", commands -> runIds(source, commands));
        Set<String> targetRunIds = reachTarget();
        boolean sameDatabase = database(source).equals(database(target));
        if (sameDatabase && targetRunIds.stream().anyMatch(sourceRunIds::contains)) {
            throw RedisOmBatchException.configuration(
                    "--target.url names the source itself (" + target.target() + " is the same server and database as "
                            + source.target() + "): name another Redis, or another database of it");
        }
    }

    /**
     * The target's run_ids: the first contact with it. A target that cannot be reached or refuses the credentials
     * is a configuration error naming the target's options (exit 2), never the source's.
     */
    private Set<String> reachTarget() {
        try {
            return target.call("reach the target", commands -> runIds(target, commands));
        } catch (RuntimeException unreachable) {
            RedisOmBatchException failure = Failures.classify(unreachable);
            if (failure.failure() != Failure.UNAVAILABLE && failure.failure() != Failure.CONFIGURATION) {
                throw failure;
            }
            // The target has options of its own: a TLS refusal's advice names them, not the source's.
            String reason = Failures.isAuthenticationRefusal(unreachable)
                    ? "it refused the credentials given, or wants some (check the user and password of --target.url,"
                            + " --target.password-file)"
                    : failure.getMessage()
                            .replace("--redis.tls.", "--target.tls.")
                            .replace("--redis.url", "--target.url");
            throw RedisOmBatchException.configuration("--target.url: " + target.target() + ": " + reason);
        }
    }

    /** The run_ids of the one server's process, or of every master of a cluster. */
    private static Set<String> runIds(RedisEndpoint redis, RedisClusterCommands<String, String> commands) {
        if (!redis.isCluster()) {
            return Set.of(ServerInfo.runId(commands.info("server")));
        }
        Set<String> runIds = new HashSet<>();
        redis.topology().masters().forEach(master -> runIds.add(master.runId()));
        return runIds;
    }

    /** The database a copy reads or writes: a cluster has only database 0. */
    private static String database(RedisEndpoint redis) {
        return redis.isCluster() ? "0" : redis.target().substring(redis.target().lastIndexOf('/') + 1);
    }

    private static Set<String> modules(RedisEndpoint redis) {
        return new LinkedHashSet<>(ServerInfo.modules(redis.call("INFO modules", commands -> commands.info("modules")))
                .keySet());
    }
}
