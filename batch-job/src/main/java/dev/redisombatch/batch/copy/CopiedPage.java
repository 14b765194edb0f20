package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.data.store.PendingWrite;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A page of the source as a copy read it: its keys as the source serialised them, what the migrations made on the way
 * make of the documents among them, and which keys those migrations' writes restore themselves.
 *
 * @param restoredByWrites the keys the conversion's writes restore, compared by identity; empty until
 *     {@link #restoringConvertedWithTheirWrites}
 */
record CopiedPage(List<DumpedKey> keys, CopyConversion.Page converted, Set<byte[]> restoredByWrites) {

    CopiedPage(List<DumpedKey> keys, CopyConversion.Page converted) {
        this(keys, converted, Set.of());
    }

    /**
     * The keys to restore on their own, before the conversion's writes: a hash the migrations rebuilt, as they made
     * it.
     */
    List<DumpedKey> restoredAlone() {
        if (restoredByWrites.isEmpty() && !converted.rebuiltAny()) {
            return keys;
        }
        List<DumpedKey> alone = new ArrayList<>(keys.size());
        for (DumpedKey key : keys) {
            if (restoredByWrites.contains(key.key())) {
                continue;
            }
            byte[] payload = converted.payloadToRestore(key.key(), key.payload());
            alone.add(payload == key.payload() ? key : new DumpedKey(key.key(), payload, key.expiresAtMillis()));
        }
        return alone;
    }

    /**
     * The page with each document a migration changes restored by its first write, in the same script call, rather
     * than on its own before it: one write of the target per converted document.
     */
    CopiedPage restoringConvertedWithTheirWrites() {
        // Indexed at the first hash written only: a page nothing of which is converted (a plain copy) costs nothing.
        Map<byte[], DumpedKey> byKey = new IdentityHashMap<>();
        Set<byte[]> carried = converted.restoreWithTheirWrites(key -> {
            if (byKey.isEmpty()) {
                keys.forEach(dumped -> byKey.put(dumped.key(), dumped));
            }
            DumpedKey dumped = byKey.get(key);
            return new PendingWrite.Restore(dumped.payload(), dumped.expiresAtMillis());
        });
        return new CopiedPage(keys, converted, carried);
    }
}
