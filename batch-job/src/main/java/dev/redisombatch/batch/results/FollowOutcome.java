package dev.redisombatch.batch.results;

import java.util.List;

/**
 * How following the source's changes ended ({@code migrateData --target.url --follow}): after the copy and the
 * migrations, each key the source notified as changed was copied again and converted by the migrations applied on the
 * target, or deleted there when the source no longer held it.
 *
 * @param from when following began (the subscription; changes from then on were heard)
 * @param to when it ended
 * @param noticed notifications of changed keys heard (a key changed twice before it was copied again counts twice)
 * @param copied keys copied again (RESTORE) after the copy and the migrations
 * @param deleted keys the target held and deleted because the source no longer held them (or no longer of a type
 *     the copy takes)
 * @param converted the migrations' changes of the documents copied again, one per migration that changed one (a
 *     document two migrations changed counts twice)
 * @param skipped documents a migration skipped among those (rejected, or changed under it again and again), each in
 *     the target's skip log ({@code redis-om-batch:skipped:<id>}) and left as the source holds it, as a walk leaves it
 * @param waitingAtStop keys noticed and not yet copied again when the stop came
 * @param lagAtStopMillis how long the oldest of those had waited then
 * @param unwritten keys still not copied again when following ended (the stop's time ran out)
 * @param gaps why the target may differ from the source, each with when; empty when nothing says so
 */
public record FollowOutcome(
        String from,
        String to,
        long noticed,
        long copied,
        long deleted,
        long converted,
        long skipped,
        long waitingAtStop,
        long lagAtStopMillis,
        long unwritten,
        List<String> gaps) {

    /** Whether the target holds every change the source made while followed, as far as anything here can tell. */
    public boolean inStep() {
        return gaps.isEmpty() && unwritten == 0;
    }
}
