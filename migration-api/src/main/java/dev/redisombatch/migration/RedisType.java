package dev.redisombatch.migration;

/** The Redis value types a migration can select, with the name Redis' TYPE command and SCAN's TYPE filter use. */
public enum RedisType {
    HASH("hash"),
    /** RedisJSON documents (ReJSON 1.x and RedisJSON 2.x). */
    JSON("ReJSON-RL"),
    STRING("string");

    private final String redisName;

    RedisType(String redisName) {
        this.redisName = redisName;
    }

    /** The name as {@code TYPE key} returns it and {@code SCAN ... TYPE} expects it. */
    public String redisName() {
        return redisName;
    }
}
