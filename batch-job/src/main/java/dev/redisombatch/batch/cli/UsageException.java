package dev.redisombatch.batch.cli;

/** A bad command line or configuration; its message is one line that names the culprit. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
