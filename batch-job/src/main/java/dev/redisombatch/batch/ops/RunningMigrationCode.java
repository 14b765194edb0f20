package dev.redisombatch.batch.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which documents the migrations' own code ({@code up}, {@code down}) is working on at this moment, thread by thread,
 * so that a run that does not stop when asked says truly what it was still doing ({@link GracefulStop}): a migration
 * whose code does not return is not "a Redis call". Marking costs a thread-local lookup and two volatile writes per
 * document; the key is put into words only when asked.
 */
public final class RunningMigrationCode {

    private static final Set<Slot> SLOTS = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<Slot> OWN = ThreadLocal.withInitial(() -> {
        Slot slot = new Slot(Thread.currentThread());
        SLOTS.add(slot);
        return slot;
    });

    private RunningMigrationCode() {}

    /** This thread now runs {@code migrationId}'s code on the document whose printable key {@code key} gives. */
    public static void entered(String migrationId, Supplier<String> key) {
        Slot slot = OWN.get();
        slot.migrationId = migrationId;
        slot.key = key;
    }

    /** This thread's migration code returned (or threw). */
    public static void left() {
        OWN.get().key = null;
    }

    /** "{@code <migration id>} on key {@code <key>}" for each thread still in a migration's code; empty when none. */
    public static List<String> now() {
        List<String> running = new ArrayList<>();
        for (Slot slot : SLOTS) {
            Supplier<String> key = slot.key;
            if (!slot.thread.isAlive()) {
                SLOTS.remove(slot);
            } else if (key != null) {
                running.add(slot.migrationId + " on key " + key.get());
            }
        }
        return running;
    }

    private static final class Slot {

        final Thread thread;
        volatile String migrationId;
        volatile Supplier<String> key;

        Slot(Thread thread) {
            this.thread = thread;
        }
    }
}
