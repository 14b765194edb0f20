package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
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
     * What was read from the reference: its indexes among the ones asked for, and the names asked for that it does
     * not have ({@code status} reports those as missing there; {@code create} refuses them).
     *
     * @param target the reference as messages name it (host, port, database; never a password)
     * @param listed every index the reference has (FT._LIST), sorted
     * @param indexes a desired definition for each index read
     * @param absent names {@code --index} gave that the reference does not have
     */
    record Reference(String target, List<String> listed, List<IndexModel> indexes, List<String> absent) {

        String option() {
            return ReferenceIndexes.option(target);
        }
    }

    /**
     * @param reference how to reach the reference Redis
     * @param only the index names to read; empty for every one
     */
    static Reference read(RedisSettings reference, List<String> only) {
        String option = option(reference.target());
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
                if (names.isEmpty()) {
                    throw RedisOmBatchException.configuration(option + ": the reference Redis has no index (FT._LIST"
                            + " is empty); start the new version of the application against it first");
                }
                List<String> chosen = only.isEmpty() ? names : only;
                List<IndexModel> models = new ArrayList<>();
                for (String name : chosen.stream().filter(names::contains).toList()) {
                    LiveIndex index = search.info(name)
                            .orElseThrow(() -> new SchemaMigrationException(
                                    option + ": index " + name + " was dropped while it was read; run again"));
                    models.add(desired(index, option));
                }
                List<String> absent =
                        chosen.stream().filter(name -> !names.contains(name)).toList();
                return new Reference(reference.target(), names, models, absent);
            }
        }
    }

    private static String option(String target) {
        return "--" + SchemaSettings.DESIRED_FROM + "=" + target;
    }

    /**
     * The reference index as a desired definition. A VECTOR field whose parameters FT.INFO leaves out (RediSearch
     * before 2.8) cannot be recreated from it, and what FT.INFO reports beyond the definition would be lost: both are
     * said rather than written into a file that recreates something else.
     */
    static IndexModel desired(LiveIndex index, String option) {
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
        return RedisOmBatchException.configuration(
                Failures.isAuthenticationRefusal(e)
                        ? option + ": the reference Redis refused the user or password in the URL"
                        : option + ": cannot read the reference Redis (" + Failures.describe(e) + ")");
    }
}
