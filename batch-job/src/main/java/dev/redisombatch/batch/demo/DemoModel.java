package dev.redisombatch.batch.demo;

import dev.redisombatch.batch.redis.RedisEndpoint;

/** What {@code generateDemoData} writes ({@code --model}). */
public enum DemoModel {
    /** Redis OM {@code HashModel} users, {@link DemoUsers}: any Redis. */
    user(DemoUsers.KEY_PREFIX),
    /** Redis OM {@code JsonModel} customers, {@link DemoCustomers}: needs RedisJSON. */
    customer(DemoCustomers.KEY_PREFIX);

    private final String keyPrefix;

    DemoModel(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** Writes {@code count} documents of this model, the same ones for the same seed; returns how many. */
    public long write(RedisEndpoint redis, long count, long seed) {
        return switch (this) {
            case user -> DemoUsers.write(redis, count, seed);
            case customer -> DemoCustomers.write(redis, count, seed);
        };
    }

    /** The keys it writes, as a SCAN pattern (what {@code --datetime.keys} takes). */
    public String keyPattern() {
        return keyPrefix + "*";
    }
}
