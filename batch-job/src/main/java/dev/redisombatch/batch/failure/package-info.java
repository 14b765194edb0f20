/**
 * How the tool fails: the one exception type, the failure kinds that decide exit codes (the only place they are
 * decided), the classification of whatever escaped a command as permanent or transient, and the redaction that keeps
 * secrets out of messages.
 *
 * <p>The bottom of the ladder: it imports no other package of the tool, and every package may import it.
 *
 * <p>Start reading at {@link Failure}, then {@link Failures}.
 */
package dev.redisombatch.batch.failure;
