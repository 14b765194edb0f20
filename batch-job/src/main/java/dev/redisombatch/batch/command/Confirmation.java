package dev.redisombatch.batch.command;

/**
 * Whether {@code migrateData} may go on once its plan is known: asked after planning, before the lock is taken and
 * before anything is written. The command line asks the operator at a terminal; everything else is {@link #NOT_ASKED}.
 */
@FunctionalInterface
public interface Confirmation {

    /** No one is asked (no terminal, {@code --yes}, a dry run): the plan is not even made. */
    Confirmation NOT_ASKED = plan -> true;

    /** @return true to go on; false ends the run with nothing written (exit 6) */
    boolean proceed(MigratePlan plan);
}
