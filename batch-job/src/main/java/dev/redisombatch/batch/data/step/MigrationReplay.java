package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredJson;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.KeyPattern;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a series of applied data migrations made of one document, worked out in memory and written nowhere: each
 * migration that selects the key (a pattern of its {@link dev.redisombatch.migration.KeySelector} and its type), in
 * plan order, is shown the document as its run would read it (only its {@code fieldsRead}) and its change goes through
 * the run's own {@link PageProcessor} (the change that really alters the document, refused as a run refuses it), then
 * is applied to the whole document. A document a migration rejects is left as it is, as a run that skips it leaves it.
 */
public final class MigrationReplay {

    private final List<Step> steps;

    /** @param inPlanOrder the migrations, in the order they were (or would be) applied */
    public MigrationReplay(List<DataMigration> inPlanOrder) {
        PartitionProgress progress = new PartitionProgress();
        List<Step> built = new ArrayList<>();
        for (DataMigration migration : inPlanOrder) {
            built.add(new Step(
                    migration,
                    KeyPattern.anyOf(migration.keys().patterns()),
                    new PageProcessor(migration::up, RejectionPolicy.countOnly(migration.id()), progress)));
        }
        this.steps = List.copyOf(built);
    }

    /**
     * The document type under which some migration selects a key of this name and Redis type ({@code TYPE}'s
     * answer); empty when none does.
     */
    public Optional<RedisType> selectedAs(byte[] key, String redisType) {
        for (Step step : steps) {
            for (RedisType type : step.migration.keys().types()) {
                if (type.redisName().equals(redisType) && step.selects(key)) {
                    return Optional.of(type);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The document after every migration that selects it, whole (every field, or the whole JSON document).
     *
     * @param whole the document as the source holds it, every field or member read
     * @return the document as the migrations leave it; empty when one of them deletes the key
     * @throws DocumentRejectedException when a JSON document cannot be read at all (bytes that are not UTF-8): then
     *     no migration could change it. A hash is kept as bytes: a field that is not UTF-8 stops only the migrations
     *     that read it, as on their walks.
     */
    public Optional<StoredDocument> replay(StoredDocument whole) {
        DocumentChain chain = DocumentChain.of(whole);
        RedisType type = whole instanceof StoredJson ? RedisType.JSON : RedisType.HASH;
        for (Step step : steps) {
            if (!step.migration.keys().types().contains(type) || !step.selects(whole.key())) {
                continue;
            }
            PendingWrite write;
            try {
                write = step.processor.changeOf(chain.asRead(step.migration.fieldsRead()));
            } catch (DocumentRejectedException rejected) {
                continue;
            }
            if (write == null) {
                continue;
            }
            if (write.change().deletesKey()) {
                return Optional.empty();
            }
            chain.apply(write.change());
        }
        return Optional.of(chain.whole());
    }

    private record Step(DataMigration migration, Predicate<byte[]> selected, PageProcessor processor) {

        boolean selects(byte[] key) {
            return selected.test(key);
        }
    }
}
