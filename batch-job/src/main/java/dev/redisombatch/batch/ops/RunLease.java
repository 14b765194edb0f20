package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per Redis database: a lease in Redis ({@code SET redis-om-batch:lock <owner> NX PX ttl}), renewed
 * while the run lives and released at its end. A killed run's lease expires by itself after the TTL. A run that cannot
 * renew its lease (another run took it after it expired, or Redis was unreachable for a whole TTL) is told so through
 * {@link #checkHeld()} and stops instead of writing on.
 */
public final class RunLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLease.class);
    public static final String KEY = "redis-om-batch:lock";
    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) else return 0 end";

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

    /**
     * Takes the lease for {@code job}, or throws {@link LeaseHeldException} naming the holder.
     *
     * @param forceUnlock remove whatever lease is there first: for a lease whose holder is known to be dead
     */
    public static RunLease acquire(RedisEndpoint redis, String job, Duration ttl, boolean forceUnlock) {
        if (forceUnlock) {
            String previous = redis.transientFaults().call("GET " + KEY, () -> redis.sync().get(KEY));
            if (previous != null) {
                log.warn("--force-unlock: removing the lock held by {}. If that run is still alive, two runs now"
                        + " write at once.", previous);
                redis.transientFaults().call("DEL " + KEY, () -> redis.sync().del(KEY));
            }
        }
        String owner = job + " pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + hostName()
                + " since " + Instant.now() + " [" + UUID.randomUUID() + "]";
        String reply = redis.transientFaults().call("SET " + KEY + " NX",
                () -> redis.sync().set(KEY, owner, SetArgs.Builder.nx().px(ttl.toMillis())));
        if (!"OK".equals(reply)) {
            String holder = redis.transientFaults().call("GET " + KEY, () -> redis.sync().get(KEY));
            throw new LeaseHeldException(holder == null ? "a run that has just finished" : holder);
        }
        return new RunLease(redis, owner, ttl);
    }

    private void renew() {
        try {
            Long renewed = redis.sync().eval(RENEW, ScriptOutputType.INTEGER, new String[] {KEY}, owner,
                    Long.toString(ttl.toMillis()));
            if (renewed != null && renewed == 1) {
                lastRenewedNanos = System.nanoTime();
            } else {
                lose("another run holds " + KEY + " now: " + redis.sync().get(KEY));
            }
        } catch (RuntimeException e) {
            if (System.nanoTime() - lastRenewedNanos > ttl.toNanos()) {
                lose("it could not be renewed for " + ttl.toSeconds() + " s (" + e.getMessage() + ")");
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
            throw new LeaseLostException(lostBecause);
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        if (lostBecause == null) {
            try {
                redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {KEY}, owner);
            } catch (RuntimeException e) {
                log.warn("could not release {} ({}); it expires within {} s", KEY, e.getMessage(), ttl.toSeconds());
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    /** Another run holds the lease. */
    public static final class LeaseHeldException extends RuntimeException {
        public LeaseHeldException(String holder) {
            super("another run holds the lock " + KEY + ": " + holder);
        }
    }

    /** This run's lease is gone; it must not write. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String reason) {
            super("this run lost its lock " + KEY + ": " + reason);
        }
    }
}
