package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per Redis database: a lease in Redis ({@code redis-om-batch:lock}, holding its owner's token and
 * expiring after the TTL), renewed while the run lives and released at its end. A killed run's lease expires by itself
 * after the TTL, or is taken over at once when its holder was a process of this same process table (host name, boot
 * and PID namespace: {@link ProcessOwner}) that no longer exists. A run
 * that cannot renew its lease (another run took it after it expired, or Redis was unreachable for a whole TTL) is told
 * so through {@link #checkHeld()} and stops instead of writing on.
 *
 * <p>Taking, renewing and releasing are idempotent: a call that timed out may still run on the server before its retry
 * (measured: under {@code CLIENT PAUSE 15000 WRITE} a plain {@code SET NX} timed out, ran later, and its retry then
 * found the lock "held by another run" naming this very process). So a take that finds the lease already holding
 * this run's own token has it.
 */
public final class RunLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLease.class);
    public static final String KEY = "redis-om-batch:lock";
    /** Takes the lease when it is free, or when it already holds this run's token (a timed-out take that ran). */
    private static final String TAKE = "local holder = redis.call('GET', KEYS[1]) "
            + "if holder == false then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) and 1 end "
            + "if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    private static final String RELEASE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then " + "return redis.call('DEL', KEYS[1]) else return 0 end";

    private final RedisEndpoint redis;
    private final String owner;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;
    private volatile long lastRenewedNanos;
    private volatile String lostBecause;

    private RunLease(RedisEndpoint redis, String owner, Duration ttl) {
        this.redis = redis;
        this.owner = owner;
        this.ttl = ttl;
        this.lastRenewedNanos = System.nanoTime();
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, ttl.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Takes the lease for {@code job}, or throws naming the holder (exit 5). */
    public static RunLease acquire(RedisEndpoint redis, String job, LockSettings settings) {
        if (settings.forceUnlock()) {
            String previous = redis.call("GET " + KEY, commands -> commands.get(KEY));
            if (previous != null) {
                log.warn(
                        "--force-unlock: removing the lock held by {}. If that run is still alive, two runs now"
                                + " write at once.",
                        previous);
                redis.call("DEL " + KEY, commands -> commands.del(KEY));
            }
        }
        // The token at the end tells this run's lease from a later one of the same process.
        String owner = ProcessOwner.describe(job) + " [" + UUID.randomUUID() + "]";
        if (!trySet(redis, owner, settings.ttl())) {
            String holder = redis.call("GET " + KEY, commands -> commands.get(KEY));
            // Only a holder surely gone: one whose pid may have been reused is left to expire, as two runs
            // writing at once would cost far more than a wait.
            if (holder != null
                    && ProcessOwner.liveness(holder) == ProcessOwner.Liveness.GONE
                    && takeOver(redis, holder)) {
                log.info("took over the lock of a run that is gone: {} (no such process on this host)", holder);
            }
            if (!trySet(redis, owner, settings.ttl())) {
                String now = redis.call("GET " + KEY, commands -> commands.get(KEY));
                Long millisLeft = redis.call("PTTL " + KEY, commands -> commands.pttl(KEY));
                throw new RedisOmBatchException(
                        Failure.LOCKED,
                        "another run holds the lock " + KEY + ": "
                                + (now == null ? "a run that has just finished" : now)
                                + ". Wait for it to finish; if its"
                                + " process is gone, its lock expires within " + Math.max(1, millisLeft / 1000)
                                + " s (or use"
                                + " --force-unlock when you are sure)");
            }
        }
        log.debug(
                "took the lock {} as {} (TTL {} s, renewed while the run lasts)",
                KEY,
                owner,
                settings.ttl().toSeconds());
        return new RunLease(redis, owner, settings.ttl());
    }

    private static boolean trySet(RedisEndpoint redis, String owner, Duration ttl) {
        Long taken = redis.call(
                "take " + KEY,
                commands -> commands.eval(
                        TAKE, ScriptOutputType.INTEGER, new String[] {KEY}, owner, Long.toString(ttl.toMillis())));
        return taken != null && taken == 1;
    }

    /** Deletes the lock only if it is still that holder's: another run may have taken it meanwhile. */
    private static boolean takeOver(RedisEndpoint redis, String holder) {
        Long deleted = redis.call(
                "take over " + KEY,
                commands -> commands.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, holder));
        return deleted != null && deleted == 1;
    }

    private void renew() {
        try {
            Long renewed = redis.callOnce(commands -> commands.eval(
                    RENEW, ScriptOutputType.INTEGER, new String[] {KEY}, owner, Long.toString(ttl.toMillis())));
            if (renewed != null && renewed == 1) {
                lastRenewedNanos = System.nanoTime();
            } else {
                String holder = redis.callOnce(commands -> commands.get(KEY));
                lose(
                        holder == null
                                ? "it expired before it could be renewed"
                                : "another run holds " + KEY + " now: " + holder);
            }
        } catch (RuntimeException e) {
            if (Failures.isPermanentRedisRefusal(e)) {
                lose("it cannot be renewed: " + Failures.describe(e));
            } else if (System.nanoTime() - lastRenewedNanos > ttl.toNanos()) {
                lose("it could not be renewed for " + ttl.toSeconds() + " s (" + Failures.describe(e) + ")");
            }
        }
    }

    private void lose(String reason) {
        if (lostBecause == null) {
            lostBecause = reason;
            log.error("this run lost its lock ({}): stopping without writing further", reason);
        }
    }

    /** Throws when the lease is lost; called before every page read and every write. */
    public void checkHeld() {
        if (lostBecause != null) {
            throw new RedisOmBatchException(Failure.INTERRUPTED, "this run lost its lock " + KEY + ": " + lostBecause);
        }
    }

    /**
     * One attempt to release the lease, for a process about to be halted (see {@link StopSignal#beforeHalt}): nothing
     * is retried or thrown; a lease that could not be released expires after its TTL.
     */
    public void releaseOnce() {
        renewer.shutdownNow();
        try {
            redis.callOnce(commands -> commands.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, owner));
        } catch (RuntimeException e) {
            log.warn(
                    "could not release the lock {} (it expires within {} s): {}",
                    KEY,
                    ttl.toSeconds(),
                    Failures.describe(e));
        }
    }

    /** Releases the lease; a release that fails is an error the run reports (the lock would linger for a TTL). */
    @Override
    public void close() {
        renewer.shutdownNow();
        if (lostBecause != null) {
            return;
        }
        try {
            redis.call(
                    "release " + KEY,
                    commands -> commands.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, owner));
        } catch (RuntimeException e) {
            RedisOmBatchException failure = Failures.classify(e);
            throw new RedisOmBatchException(
                    failure.failure(),
                    "could not release the lock " + KEY + " (it expires" + " within " + ttl.toSeconds() + " s): "
                            + failure.getMessage(),
                    e);
        }
    }
}
