package dev.redisombatch.batch.results;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.state.Direction;
import java.util.List;

/**
 * How one data migration run ended.
 *
 * @param status COMPLETED, FAILED or STOPPED
 * @param counts over every execution of this run (its generation), with the exact {@code changed} the server kept
 *        in conditional mode
 * @param examples in a dry run, the first few changes it would have written
 * @param failure why it did not complete; null when it did
 * @param leftPending it completed, but its keys matched nothing, so it was not marked applied (see
 *        {@code DataMigration.mayMatchNothing}, {@code --allow-empty})
 * @param madeDuringCopy made on the way by a copy to another Redis ({@code --target.url}), over the documents it
 *     copied, rather than by a walk of its own: {@code executionId} is then the copy's, and the counts are the copy's
 *     readings (pages a resumed copy read again counted again)
 */
public record DataMigrationOutcome(
        String migrationId,
        Direction direction,
        boolean dryRun,
        String status,
        long executionId,
        DocumentCounts counts,
        List<ChangeExample> examples,
        RedisOmBatchException failure,
        boolean leftPending,
        boolean madeDuringCopy) {

    public boolean completed() {
        return failure == null;
    }

    /**
     * Documents read in pages this run left unfinished, which its next run reads again: only a run that did not
     * complete has any. With them the counts add up: read = changed + unchanged + skipped + gone + unfinished.
     */
    public long unfinished() {
        return completed() ? 0 : counts.unfinished();
    }
}
