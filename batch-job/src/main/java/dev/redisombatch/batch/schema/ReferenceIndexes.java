package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes of a reference Redis ({@code --desired-from}): a scratch or test instance where the new version of the
 * application created its indexes. Each one's FT.INFO is read as a desired definition; only FT._LIST, FT.INFO and
 * the connection's own handshake are sent, so the reference gets no write.
 */
final class ReferenceIndexes {

    private static final Logger log = LoggerFactory.getLogger(ReferenceIndexes.class);

    private ReferenceIndexes() {}

    /**
     * @param reference how to reach the reference Redis
     * @param only the index names to read; empty for every one
     */
    static List<IndexModel> read(RedisSettings reference, List<String> only) {
        String option = "--" + SchemaSettings.DESIRED_FROM + "=" + reference.target();
        if (reference.cluster()) {
            throw RedisOmBatchException.configuration(option + ": the reference must be one server; a Redis Cluster's"
                    + " open-source RediSearch indexes each shard separately");
        }
        try (RedisEndpoint redis = new RedisEndpoint(reference)) {
            SearchCommands search;
            List<String> names;
            try {
                search = new SearchCommands(redis);
                names = search.indexNames();
            } catch (RuntimeException e) {
                throw unreadable(option, e);
            }
            try (search) {
                List<IndexModel> models = new ArrayList<>();
                for (String name : chosen(names, only, option)) {
                    LiveIndex index = search.info(name)
                            .orElseThrow(() -> new SchemaMigrationException(
                                    option + ": index " + name + " was dropped while it was read; run create again"));
                    models.add(desired(index, option));
                }
                return models;
            }
        }
    }

    private static List<String> chosen(List<String> names, List<String> only, String option) {
        if (names.isEmpty()) {
            throw RedisOmBatchException.configuration(option + ": the reference Redis has no index (FT._LIST is"
                    + " empty); start the new version of the application against it first");
        }
        if (only.isEmpty()) {
            return names;
        }
        List<String> missing =
                only.stream().filter(name -> !names.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw RedisOmBatchException.configuration("--index=" + String.join(",", only) + ": "
                    + String.join(", ", missing) + " not on the reference Redis (" + option + " has "
                    + String.join(", ", names) + ")");
        }
        return only;
    }

    /**
     * The reference index as a desired definition. A VECTOR field whose parameters FT.INFO leaves out (RediSearch
     * before 2.8) cannot be recreated from it, and what FT.INFO reports beyond the definition would be lost: both are
     * said rather than written into a file that recreates something else.
     */
    private static IndexModel desired(LiveIndex index, String option) {
        List<String> incomplete = index.definition().fields().stream()
                .filter(field -> !field.complete())
                .map(IndexField::name)
                .toList();
        if (!incomplete.isEmpty()) {
            throw new SchemaMigrationException(
                    Failure.CONFIGURATION,
                    option + ": index " + index.name() + " has VECTOR field(s) " + String.join(", ", incomplete)
                            + " whose parameters its RediSearch does not report in FT.INFO (before 2.8); describe"
                            + " this index in models/ instead");
        }
        if (!index.unmodelled().isEmpty()) {
            log.warn(
                    "{}: index {} has what this tool cannot model, left out of its migration: {}",
                    option,
                    index.name(),
                    String.join("; ", index.unmodelled()));
        }
        return new IndexModel(index.name(), index.definition(), Optional.empty(), null);
    }

    /** One line naming the option: the reference cannot be reached, refuses the credentials, or has no search. */
    private static RedisOmBatchException unreadable(String option, RuntimeException e) {
        if (e instanceof SearchModuleMissingException) {
            return RedisOmBatchException.configuration(
                    option + ": the reference Redis has no search module, so no" + " index to read");
        }
        boolean refused = Failures.findCause(e, RedisCommandExecutionException.class)
                .map(refusal -> String.valueOf(refusal.getMessage()))
                .filter(message -> message.startsWith("WRONGPASS")
                        || message.startsWith("NOAUTH")
                        || message.contains("invalid username-password pair"))
                .isPresent();
        return RedisOmBatchException.configuration(
                refused
                        ? option + ": the reference Redis refused the user or password in the URL"
                        : option + ": cannot read the reference Redis (" + Failures.describe(e) + ")");
    }
}
