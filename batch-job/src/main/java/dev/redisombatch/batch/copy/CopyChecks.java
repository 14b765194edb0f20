package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.Topology;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is checked before a copy writes anything, anywhere (before the run lock is taken on the target, which might be
 * the source): a source and a target it can copy between, or exit 2.
 */
public final class CopyChecks {

    private static final Pattern MODULE_NAME = Pattern.compile("(?m)^module:name=([^,]+),");
    /** RediSearch keeps no keys of its own type: a target without it can hold the source's keys. */
    static final Set<String> MODULES_WITHOUT_KEY_TYPES = Set.of("search", "ft", "searchlight");

    private final RedisEndpoint source;
    private final RedisEndpoint target;

    public CopyChecks(RedisEndpoint source, RedisEndpoint target) {
        this.source = source;
        this.target = target;
    }

    /** Refuses a cluster as the source, the source itself as the target, a target without a module the source has. */
    public void refuseUnfit() {
        if (source.isCluster()) {
            throw RedisOmBatchException.configuration("--redis.url names a Redis Cluster: a copy from a cluster is not"
                    + " supported yet; copy from one server (the target may be a cluster)");
        }
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
        String sourceRunId =
                source.call("INFO server of the source", commands -> ServerInfo.runId(commands.info("server")));
        Topology targets = reachTarget();
        boolean sameDatabase = target.isCluster()
                ? source.target().endsWith("/0")
                : database(source.target()).equals(database(target.target()));
        if (sameDatabase
                && targets.masters().stream().anyMatch(master -> master.runId().equals(sourceRunId))) {
            throw RedisOmBatchException.configuration(
                    "--target.url names the source itself (" + target.target() + " is the same server and database as "
                            + source.target() + "): name another Redis, or another database of it");
        }
    }

    /**
     * The target as it is now: the first contact with it. A target that cannot be reached or refuses the credentials
     * is a configuration error naming the target's options (exit 2), never the source's.
     */
    private Topology reachTarget() {
        try {
            return target.call("reach the target", commands -> target.topology());
        } catch (RuntimeException unreachable) {
            RedisOmBatchException failure = Failures.classify(unreachable);
            if (failure.failure() != Failure.UNAVAILABLE && failure.failure() != Failure.CONFIGURATION) {
                throw failure;
            }
            // The target has options of its own: a TLS refusal's advice names them, not the source's.
            String reason = Failures.isAuthenticationRefusal(unreachable)
                    ? "it refused the user and password (check --target.url, --target.password-file)"
                    : failure.getMessage().replace("--redis.tls.", "--target.tls.");
            throw RedisOmBatchException.configuration("--target.url: " + target.target() + ": " + reason);
        }
    }

    private static String database(String target) {
        return target.substring(target.lastIndexOf('/') + 1);
    }

    private static Set<String> modules(RedisEndpoint redis) {
        String info = redis.call("INFO modules", commands -> commands.info("modules"));
        Set<String> names = new LinkedHashSet<>();
        Matcher name = MODULE_NAME.matcher(info);
        while (name.find()) {
            names.add(name.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }
}
