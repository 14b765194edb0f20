package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code create} takes the definitions indexes should have: the files in {@code models/}, or every index of a
 * reference Redis when {@code --desired-from} names one; the one place that decides which. {@code --index} limits
 * either. {@code status} compares the live indexes with the reference's too ({@link ReferenceComparison}).
 */
public final class DesiredDefinitions {

    private final SchemaSettings schema;
    private final RedisSettings redis;
    private final Path root;

    /**
     * @param redis the Redis to migrate: the reference is reached the same way (timeout, TLS), with its own URL
     * @param root the migrations folder, holding {@code models/}
     */
    public DesiredDefinitions(SchemaSettings schema, RedisSettings redis, Path root) {
        this.schema = schema;
        this.redis = redis;
        this.root = root;
    }

    /** The definitions, each for one index; never empty. */
    List<IndexModel> read() {
        return reference().map(this::everyOneAsked).orElseGet(this::models);
    }

    /** The indexes of the reference Redis {@code --desired-from} names, limited by {@code --index}; empty without. */
    Optional<ReferenceIndexes.Reference> reference() {
        return schema.desiredFromReference()
                // A reference is a scratch instance read once: one that does not answer is a wrong URL, not a blink.
                .map(url -> ReferenceIndexes.read(redis.forOtherServer(url).withRetries(0), schema.indexes()));
    }

    /** {@code create} writes nothing from a reference that lacks an index it was asked for: exit 2 naming it. */
    private List<IndexModel> everyOneAsked(ReferenceIndexes.Reference reference) {
        if (!reference.absent().isEmpty()) {
            throw RedisOmBatchException.configuration("--index=" + String.join(",", schema.indexes()) + ": "
                    + String.join(", ", reference.absent()) + " not on the reference Redis (" + reference.option()
                    + " has " + String.join(", ", reference.listed()) + ")");
        }
        return reference.indexes();
    }

    /** What {@link #read} reads, for messages. */
    String describe() {
        return schema.desiredFromReference()
                .map(url -> "the reference Redis (--" + SchemaSettings.DESIRED_FROM + ")")
                .orElse(root.resolve(SchemaFiles.MODELS_FOLDER).toString());
    }

    private List<IndexModel> models() {
        List<IndexModel> models = SchemaFiles.models(root);
        if (models.isEmpty()) {
            throw RedisOmBatchException.configuration("--migrations-dir=" + root + ": no index definitions in "
                    + root.resolve(SchemaFiles.MODELS_FOLDER) + "; create writes migrations from them (or from a"
                    + " reference Redis: --" + SchemaSettings.DESIRED_FROM + ")");
        }
        List<String> only = schema.indexes();
        if (only.isEmpty()) {
            return models;
        }
        List<String> missing = only.stream()
                .filter(name -> models.stream().noneMatch(model -> model.index().equals(name)))
                .toList();
        if (!missing.isEmpty()) {
            throw RedisOmBatchException.configuration("--index=" + String.join(",", only) + ": no model for "
                    + String.join(", ", missing) + " in " + root.resolve(SchemaFiles.MODELS_FOLDER));
        }
        return models.stream().filter(model -> only.contains(model.index())).toList();
    }
}
