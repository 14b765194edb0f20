package dev.redisombatch.batch.failure;

/**
 * Why a command did not succeed, and so what the operator should do next. Each kind has one exit code;
 * docs/exit-codes.md lists the same. This enum is the only place where exit codes are decided.
 */
public enum Failure {
    /** Interrupted work (Redis lost mid-run, a partition failed): rerunning the same command resumes it. */
    INTERRUPTED(1, "Nothing is lost: run the same command again to resume."),
    /** Redis could not be reached within the retries; nothing may have started. */
    UNAVAILABLE(1, "Check that Redis is up and reachable at that address, then run the same command again."),
    /** The job repository's database could not be reached within the wait; every checkpoint committed is kept. */
    REPOSITORY_UNAVAILABLE(
            1,
            "Nothing is lost: run the same command again to resume once the job repository's" + " database answers."),
    /** A bad option or configuration, or a permanent refusal by Redis (wrong password, missing permission, TLS). */
    CONFIGURATION(2, "Fix the configuration; nothing was started."),
    /**
     * The same, once the run had written (a copy's target that refuses some of the keys, say): what it wrote stays,
     * and the same command goes on once the configuration is fixed.
     */
    REFUSED_AFTER_WRITES(
            2, "Fix the configuration, then run the same command: what was written stays, and it goes on from there."),
    /** The migrations cannot be planned or a migration file is invalid or was edited after it was applied. */
    PLAN(3, "Fix the migrations, then run the same command; the migration refused wrote nothing."),
    /** The target of a copy holds keys the copy did not write, or changed since the copy; nothing was copied. */
    TARGET_IN_USE(3, "No key of the source was written to it."),
    /** Documents could not be migrated under the failure mode or the error budget. */
    DATA(4, "Fix the data or the migration first; then the same command resumes."),
    /** Another run holds the lock. */
    LOCKED(5, ""),
    /** Stopped on request (SIGTERM) with checkpoints saved. */
    STOPPED(6, "Run the same command again to resume."),
    /** The operator answered no when {@code migrateData} asked at a terminal: nothing was written. */
    DECLINED(6, "Nothing was written."),
    /** A check found something ({@code status --check}, {@code verify}). */
    CHECK(7, ""),
    /**
     * A copy's target may have missed a change of its source: following it ended with notifications lost while a
     * connection was down, a flush, a restart (everything else ran); or the source was flushed since the copy began,
     * which is then neither resumed nor completed.
     */
    OUT_OF_STEP(
            7,
            "verify --target.url --check-data says which keys differ; to start again in step, flush the target and copy"
                    + " again.");

    private final int exitCode;
    private final String advice;

    Failure(int exitCode, String advice) {
        this.exitCode = exitCode;
        this.advice = advice;
    }

    public int exitCode() {
        return exitCode;
    }

    /** One sentence on what to do next; empty when the message says it all. */
    public String advice() {
        return advice;
    }

    /** The exit code of a command that did not fail. */
    public static final int SUCCESS_EXIT_CODE = 0;
}
