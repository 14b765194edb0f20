package dev.redisombatch.batch.cli;

/** The process' exit codes; README's table lists the same. */
public enum ExitCode {
    /** Everything pending was applied, or nothing was pending. */
    SUCCESS(0),
    /** A migration failed (Redis unreachable, a partition failed): run the same command again to resume. */
    JOB_FAILED(1),
    /** A bad option or configuration: nothing was started. */
    USAGE(2),
    /** The migrations cannot be planned (duplicate id, unknown dependency, cycle, broken jar): nothing was written. */
    PLAN(3),
    /** Documents failed under --failure-mode=fail or beyond --max-errors: fix them or the migration, then rerun. */
    DATA_ERRORS(4),
    /** Another run holds the lock on this Redis: nothing was started. */
    LOCKED(5),
    /** Stopped on request (SIGTERM) at a chunk boundary, checkpoint saved: run the same command again to resume. */
    STOPPED(6),
    /** A check found something: {@code status --check} found pending migrations, {@code verify} differences. */
    CHECK_FAILED(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
