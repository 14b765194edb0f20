package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataCheck;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --job=verify}: applied migrations whose code changed since (by checksum), and with {@code --check-data} the
 * documents that applied migrations would still change or reject. Exits 0 only when nothing was found.
 */
final class VerifyCommand {

    private static final Logger log = LoggerFactory.getLogger(VerifyCommand.class);

    private final CommandLineOptions options;
    private final RedisEndpoint redis;
    private final AppliedMigrations applied;

    VerifyCommand(CommandLineOptions options, RedisEndpoint redis, AppliedMigrations applied) {
        this.options = options;
        this.redis = redis;
        this.applied = applied;
    }

    ExitCode run(Map<String, DataMigration> known, Set<String> appliedIds) {
        int problems = 0;
        for (String id : new TreeSet<>(appliedIds)) {
            DataMigration migration = known.get(id);
            if (migration == null) {
                log.info("{}: applied; its code is not on the classpath, nothing to compare", id);
                continue;
            }
            String recorded = applied.record(id).get("checksum");
            if (recorded == null) {
                log.info("{}: applied without a checksum (by Redis OM, or before checksums were kept)", id);
            } else if (!recorded.equals(MigrationChecksum.of(migration))) {
                log.error("{}: its code or configuration changed since it was applied (checksum {} now {})", id,
                        recorded.substring(0, 12), MigrationChecksum.of(migration).substring(0, 12));
                problems++;
            } else {
                log.info("{}: checksum matches", id);
            }
            if (options.checkData()) {
                DataCheck.Result result = DataCheck.run(migration, redis, options.dataStepSettings().scanCount(),
                        options.sample());
                if (result.clean()) {
                    log.info("{}: {} documents checked, none left to migrate", id, result.documents());
                } else {
                    log.error("{}: {} documents checked, {} would still change, {} rejected; e.g. {}", id,
                            result.documents(), result.wouldChange(), result.rejected(), result.examples());
                    problems++;
                }
            }
        }
        log.info(problems == 0 ? "verify: clean" : "verify: {} problem(s)", problems);
        return problems == 0 ? ExitCode.SUCCESS : ExitCode.CHECK_FAILED;
    }
}
