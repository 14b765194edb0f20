package dev.redisombatch.batch.failure;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Turns whatever escaped a command into a {@link RedisOmBatchException}: the one place that walks exception causes
 * and knows which Redis, TLS and database failures are permanent (a configuration to fix) and which are not.
 */
public final class Failures {

    private Failures() {}

    /** The first cause in the chain (the throwable itself included) that matches, if any. */
    public static Optional<Throwable> findCause(Throwable failure, Predicate<Throwable> matches) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (matches.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The first refusal Redis replied with ({@link #permanentRedisProblem}) among the causes, or else among the
     * exceptions suppressed under them ({@link #findAnywhere}).
     */
    private static Optional<Throwable> findRedisRefusal(Throwable failure, Predicate<String> refusal) {
        return findAnywhere(
                failure,
                t -> t instanceof RedisCommandExecutionException && refusal.test(String.valueOf(t.getMessage())));
    }

    /**
     * The first of {@code failure}'s causes that {@code matches}, or else the first among the exceptions suppressed
     * under them: Lettuce reports a cluster whose topology it could not read ("Cannot retrieve cluster partitions")
     * with each seed node's failure suppressed (a wrong password, a missing permission).
     */
    private static Optional<Throwable> findAnywhere(Throwable failure, Predicate<Throwable> matches) {
        Optional<Throwable> inCauses = findCause(failure, matches);
        if (inCauses.isPresent()) {
            return inCauses;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<Throwable> found = findCause(suppressed, matches);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first of {@code failure}'s causes that {@code matches}, or else, when some exception in that chain has
     * suppressed ones (Lettuce's "Cannot retrieve cluster partitions": every seed failed) and each of them has such a
     * cause, the first of those: a fault of the configuration only when no seed failed otherwise. One seed that does
     * not resolve while the others refuse (a cluster restarting, a node announced by a name not yet in DNS) is not
     * one; waiting may bring them back.
     */
    private static Optional<Throwable> findInCausesOrEverySeed(Throwable failure, Predicate<Throwable> matches) {
        Optional<Throwable> inCauses = findCause(failure, matches);
        if (inCauses.isPresent()) {
            return inCauses;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Throwable[] seeds = t.getSuppressed();
            if (seeds.length > 0
                    && Arrays.stream(seeds)
                            .allMatch(seed -> findCause(seed, matches).isPresent())) {
                return findCause(seeds[0], matches);
            }
        }
        return Optional.empty();
    }

    private static Optional<Throwable> unknownHost(Throwable failure) {
        return findInCausesOrEverySeed(failure, UnknownHostException.class::isInstance);
    }

    private static Optional<Throwable> tlsHandshakeFailure(Throwable failure) {
        return findInCausesOrEverySeed(failure, SSLException.class::isInstance);
    }

    /** {@code failure} described, with {@code cause} added when it was suppressed under it (a cluster's seed). */
    private static String describeWith(Throwable failure, Throwable cause) {
        String description = describe(failure);
        String causeDescription = describe(cause);
        return description.contains(causeDescription) ? description : description + ": " + causeDescription;
    }

    public static <T extends Throwable> Optional<T> findCause(Throwable failure, Class<T> type) {
        return findCause(failure, type::isInstance).map(type::cast);
    }

    /**
     * A Redis reply that no retry will change: authentication, permissions, an unknown database or command. The
     * message of such a reply starts with its error code.
     */
    public static boolean isPermanentRedisRefusal(Throwable failure) {
        return findRedisRefusal(failure, message -> permanentRedisProblem(message) != null)
                        .isPresent()
                || tlsHandshakeFailure(failure).isPresent()
                || unknownHost(failure).isPresent();
    }

    /**
     * Whether Redis refused the user or password somewhere in {@code failure}'s causes: for callers whose message
     * names the option that holds the credentials (the Redis to migrate, a reference, a copy's target).
     */
    public static boolean isAuthenticationRefusal(Throwable failure) {
        return findRedisRefusal(failure, Failures::refusesCredentials).isPresent();
    }

    private static boolean refusesCredentials(String message) {
        return message.startsWith("WRONGPASS")
                || message.startsWith("NOAUTH")
                || message.contains("invalid username-password pair");
    }

    /** What to fix for a permanent Redis error, or null when the error is not one. */
    static String permanentRedisProblem(String message) {
        if (refusesCredentials(message)) {
            return "authentication failed: check the user and password (--redis.url, --redis.password-file)";
        }
        if (message.startsWith("CROSSSLOT")) {
            return "this endpoint refuses a command over keys of several hash slots (a sharded database): leave"
                    + " --redis.slot-grouping at auto, or set it to always";
        }
        if (message.startsWith("NOPERM")) {
            return "the Redis user lacks a permission the tool needs (--help=security lists them)";
        }
        if (message.contains("DB index is out of range")) {
            return "no such database: check the /db number of --redis.url";
        }
        if (message.startsWith("ERR unknown command") || message.startsWith("ERR unknown subcommand")) {
            return "this Redis does not know a command the tool needs";
        }
        return null;
    }

    /**
     * SQL states of a database that is down, restarting or out of connections, not of a bad request: class 08
     * (connection exception) but 08004 (the server rejected the login), PostgreSQL's 57P01-57P03 (shut down,
     * crashed, starting up) and 53300 (too many connections), H2's 90067 (connection broken).
     */
    private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "90067");

    /**
     * The job repository's database cannot be reached or dropped the connection (refused, timed out, shut down,
     * restarting): waiting may help. A database that refuses for good ({@link #jobRepositoryRefusal}) or an unknown
     * host is not an outage, and neither is a connection pool this process closed.
     */
    public static boolean isJobRepositoryOutage(Throwable failure) {
        if (jobRepositoryRefusal(failure).isPresent()
                || unknownHost(failure).isPresent()
                || findCause(
                                failure,
                                t -> t instanceof SQLException
                                        && String.valueOf(t.getMessage()).contains("has been closed"))
                        .isPresent()) {
            return false;
        }
        return findCause(
                        failure,
                        t -> t instanceof SQLTransientConnectionException
                                || t instanceof SQLRecoverableException
                                || t instanceof CannotCreateTransactionException
                                || t instanceof DataAccessResourceFailureException
                                || t instanceof SQLException sql && isOutageState(sql.getSQLState())
                                // A rollback on a connection the outage broke fails too ("Connection is closed"), and
                                // Spring keeps
                                // the failure that made it roll back beside the chain.
                                || t instanceof TransactionSystemException rollback
                                        && rollback.getApplicationException() != null
                                        && isJobRepositoryOutage(rollback.getApplicationException()))
                .isPresent();
    }

    private static boolean isOutageState(String state) {
        return state != null && (state.startsWith("08") && !state.equals("08004") || OUTAGE_STATES.contains(state));
    }

    /**
     * What to fix when the job repository's database refuses for good: a login it rejects, a database that does not
     * exist, a user without a permission, a URL no driver in the jar takes.
     */
    static Optional<String> jobRepositoryRefusal(Throwable failure) {
        if (findCause(
                        failure,
                        t -> String.valueOf(t.getMessage()).contains("No suitable driver")
                                || String.valueOf(t.getMessage()).contains("Failed to get driver instance"))
                .isPresent()) {
            return Optional.of("no JDBC driver in the jar takes that URL: check --job-repository.url (PostgreSQL,"
                    + " jdbc:postgresql://host/db, and H2, jdbc:h2:file:path, are included)");
        }
        return findCause(failure, t -> t instanceof SQLException sql && refusalAdvice(sql.getSQLState()) != null)
                .map(t -> refusalAdvice(((SQLException) t).getSQLState()));
    }

    private static String refusalAdvice(String sqlState) {
        return switch (String.valueOf(sqlState)) {
            case "28000", "28P01", "08004" ->
                "the database refused the login: check --job-repository.username and"
                        + " --job-repository.password (or its -file)";
            case "3D000" -> "no such database: check the database name in --job-repository.url";
            case "42501" ->
                "the database user lacks a permission the job repository needs (creating its tables the"
                        + " first time, then reading and writing them)";
            default -> null;
        };
    }

    /** What Spring Batch's step handler and steps say when a step is cut short. */
    private static final String SPRING_INTERRUPTION = "JobExecution interrupted.";

    /**
     * The same, in words that hold in both cases Spring Batch says it: a stop request, or a commit to the job
     * repository whose outcome is unknown (the stop signal of the run says which, knowing whether a
     * stop was requested).
     */
    public static final String CUT_SHORT = "a step ended before its work was done (a stop request, or a commit to the"
            + " job repository whose outcome is unknown)";

    /** Classifies any failure; a {@link RedisOmBatchException} anywhere in the chain wins. */
    public static RedisOmBatchException classify(Throwable failure) {
        Optional<RedisOmBatchException> ours = findCause(failure, RedisOmBatchException.class);
        if (ours.isPresent()) {
            return ours.get();
        }
        Optional<JobInterruptedException> interrupted = findCause(failure, JobInterruptedException.class);
        if (interrupted.isPresent()) {
            // Ours (StopSignal) are thrown only on request; Spring Batch's own also when a commit's outcome is unknown.
            return SPRING_INTERRUPTION.equals(interrupted.get().getMessage())
                    ? new RedisOmBatchException(Failure.INTERRUPTED, CUT_SHORT, failure)
                    : new RedisOmBatchException(Failure.STOPPED, "stopped: " + describe(failure), failure);
        }
        Optional<Throwable> redisRefusal = findRedisRefusal(failure, message -> permanentRedisProblem(message) != null);
        if (redisRefusal.isPresent()) {
            return new RedisOmBatchException(
                    Failure.CONFIGURATION,
                    "Redis refused: "
                            + firstLine(redisRefusal.get().getMessage()) + ": "
                            + permanentRedisProblem(
                                    String.valueOf(redisRefusal.get().getMessage())),
                    failure);
        }
        Optional<Throwable> tlsFailure = tlsHandshakeFailure(failure);
        if (tlsFailure.isPresent()) {
            String description = describeWith(failure, tlsFailure.get());
            return new RedisOmBatchException(
                    Failure.CONFIGURATION,
                    "TLS handshake with Redis failed: " + description + ": " + tlsAdvice(description),
                    failure);
        }
        Optional<Throwable> unknownHost = unknownHost(failure);
        if (unknownHost.isPresent()) {
            return new RedisOmBatchException(
                    Failure.CONFIGURATION, "unknown host: " + describeWith(failure, unknownHost.get()), failure);
        }
        if (findCause(failure, RedisConnectionException.class).isPresent()) {
            return new RedisOmBatchException(Failure.UNAVAILABLE, describe(failure), failure);
        }
        if (findCause(failure, t -> String.valueOf(t.getMessage()).contains("Database may be already in use"))
                .isPresent()) {
            return new RedisOmBatchException(
                    Failure.LOCKED,
                    "another run holds the job repository (an H2 file" + " admits one process at a time)",
                    failure);
        }
        Optional<String> refusal = jobRepositoryRefusal(failure);
        if (refusal.isPresent()) {
            return new RedisOmBatchException(
                    Failure.CONFIGURATION,
                    "the job repository refused: " + describe(failure) + ": " + refusal.get(),
                    failure);
        }
        if (isJobRepositoryOutage(failure)) {
            return new RedisOmBatchException(
                    Failure.REPOSITORY_UNAVAILABLE,
                    "the job repository cannot be reached: " + describe(failure),
                    failure);
        }
        if (findCause(failure, SQLException.class).isPresent()) {
            return new RedisOmBatchException(
                    Failure.CONFIGURATION, "the job repository cannot be used: " + describe(failure), failure);
        }
        return new RedisOmBatchException(Failure.INTERRUPTED, describe(failure), failure);
    }

    /**
     * Every kind, from the one that says most about what to do to the one that says least: a configuration to fix,
     * then a plan or a target in use, data, a target out of step, a lock, a stop, an unreachable server, an
     * interruption, and last a check's finding.
     */
    static final List<Failure> MOST_TELLING_FIRST = List.of(
            Failure.CONFIGURATION,
            Failure.REFUSED_AFTER_WRITES,
            Failure.PLAN,
            Failure.TARGET_IN_USE,
            Failure.DATA,
            Failure.OUT_OF_STEP,
            Failure.LOCKED,
            Failure.DECLINED,
            Failure.STOPPED,
            Failure.UNAVAILABLE,
            Failure.REPOSITORY_UNAVAILABLE,
            Failure.INTERRUPTED,
            Failure.CHECK);

    /** Of several failures of one run, the one that says most about what to do ({@link #MOST_TELLING_FIRST}). */
    public static Optional<RedisOmBatchException> mostTelling(List<RedisOmBatchException> failures) {
        return failures.stream().min(Comparator.comparingInt(failure -> MOST_TELLING_FIRST.indexOf(failure.failure())));
    }

    /** What to fix for a TLS handshake that failed as {@code description} says. */
    private static String tlsAdvice(String description) {
        if (description.contains("certificate_required") || description.contains("bad_certificate")) {
            return "the server wants a client certificate it trusts: give --redis.tls.cert-file and"
                    + " --redis.tls.key-file";
        }
        if (description.contains("handshake timed out")
                || description.contains("nrecognized SSL message")
                || description.contains("not an SSL/TLS record")) {
            // No TLS came back at all: a plain port (Redis waits for a line ending that a ClientHello never sends),
            // where no CA file would help.
            return "no TLS answer came back: if that port is not a TLS port (Redis's tls-port), use redis:// for it";
        }
        return "check --redis.tls.ca-file (the CA that signed the server's certificate) and that the URL's host name"
                + " is in the certificate";
    }

    /** One readable line for a failure, however deeply Lettuce, Netty or Spring nested the real cause. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        String last = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && (last == null || !last.contains(firstLine(message)))) {
                if (!text.isEmpty()) {
                    text.append(": ");
                }
                text.append(firstLine(message));
                last = text.toString();
            }
        }
        // Lettuce names an address it did not resolve itself "host/<unresolved>:port".
        return Redaction.mask(text.isEmpty() ? failure.getClass().getSimpleName() : text.toString())
                .replace("/<unresolved>", "");
    }

    /**
     * A message's first line, without the class name a wrapper puts before its cause's message (an exception made
     * from a cause alone takes {@code cause.toString()} as its message): the user reads what went wrong, not which
     * Java class said it.
     */
    private static String firstLine(String message) {
        return message == null
                ? ""
                : JAVA_CLASS_PREFIX
                        .matcher(message.lines().findFirst().orElse("").strip())
                        .replaceFirst("");
    }

    /** {@code com.example.SomeException: } at the start of a message. */
    private static final Pattern JAVA_CLASS_PREFIX = Pattern.compile("^(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*: ");
}
