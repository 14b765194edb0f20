package dev.redisombatch.batch.support;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes as an application does, on its own thread, to a server or a cluster: new users, changed and deleted users
 * (under {@code pattern}, a {@code *} pattern), strings that live 300 ms, strings that live a minute, strings it
 * deletes again. About 10,000 operations a second at most.
 */
public final class WritingApplication implements AutoCloseable {

    private final RedisClusterCommands<String, String> redis;
    private final String pattern;
    private final int users;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong operations = new AtomicLong();
    private final Thread thread = new Thread(this::write, "application");

    /** @param users how many user keys (numbered from 0) it changes and deletes among */
    public WritingApplication(RedisClusterCommands<String, String> redis, String pattern, int users) {
        this.redis = redis;
        this.pattern = pattern;
        this.users = users;
    }

    public void start() {
        thread.start();
    }

    public long operations() {
        return operations.get();
    }

    private void write() {
        for (int i = 0; running.get(); i++) {
            String iso = String.format("2024-%02d-%02dT%02d:%02d:00", 1 + i % 12, 1 + i % 28, i % 24, i % 60);
            switch (i % 6) {
                case 0 -> redis.hset(pattern.replace("*", "app-" + i), Map.of("created_at", iso, "n", "" + i));
                case 1 -> redis.hset(pattern.replace("*", "" + (i * 7 % users)), "created_at", iso);
                case 2 -> redis.del(pattern.replace("*", "" + (i * 13 % users)));
                case 3 -> redis.psetex("short:" + i, 300, "s" + i);
                case 4 -> redis.setex("session:" + i, 60, "v" + i);
                default -> {
                    redis.set("plain:" + i, "p" + i);
                    redis.del("plain:" + (i - 30));
                }
            }
            operations.incrementAndGet();
            if (i % 100 == 99) {
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
