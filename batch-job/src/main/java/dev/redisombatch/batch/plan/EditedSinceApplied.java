package dev.redisombatch.batch.plan;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run does about migrations edited after they were applied, or after their unfinished run started: the change
 * belongs in a new migration, so the run is refused (exit 3) unless allowed, and then says what it goes on with.
 *
 * @param allowed {@code --allow-edited}; for schema migration files {@code --schema.allow-edited} as well
 */
public record EditedSinceApplied(boolean allowed) {

    private static final Logger log = LoggerFactory.getLogger(EditedSinceApplied.class);

    /** For data migrations: {@code --allow-edited}. */
    public static EditedSinceApplied forData(PlanSettings plan) {
        return new EditedSinceApplied(plan.allowEdited());
    }

    /** For schema migration files: {@code --allow-edited} or {@code --schema.allow-edited}. */
    public static EditedSinceApplied forSchema(PlanSettings plan, boolean schemaAllowEdited) {
        return new EditedSinceApplied(plan.allowEdited() || schemaAllowEdited);
    }

    /**
     * @param refusal the one line a refused run ends with: what was edited, and what to do instead
     * @param goingOn the warning an allowed run logs: what was edited, and that it goes on
     */
    public void refuseUnlessAllowed(String refusal, String goingOn) {
        if (!allowed) {
            throw RedisOmBatchException.plan(refusal);
        }
        log.warn("{}", goingOn);
    }
}
