package dev.redisombatch.batch.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What {@link RedisCluster}, {@link PostgresServer} and {@link TlsRedisServer} share: servers started as child
 * processes of the test JVM, short-lived helper commands with a deadline, free ports, waiting with a deadline, and log
 * tails for failure messages.
 *
 * <p>A child process does not die with its parent on Linux (it is re-parented to init), so every server started here
 * is also registered with one JVM shutdown hook that kills what is still running when the JVM exits normally or on
 * SIGTERM/SIGINT. Only a SIGKILLed test JVM leaves servers behind.
 */
public final class ChildProcesses {

    /** How long the harnesses wait for a server or a cluster to settle: generous, for a busy 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Process process : RUNNING) {
                                process.destroyForcibly();
                            }
                        },
                        "test-servers-reaper"));
    }

    private ChildProcesses() {}

    /** Starts a long-running server, its output (stdout and stderr) appended to {@code log}. */
    static Process startServer(List<String> command, Path workingDirectory, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once it is gone. */
    static void stop(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        waitForExit(process, grace);
    }

    /** SIGKILL, then waits until it is gone. */
    static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitForExit(process, WAIT);
    }

    private static void waitForExit(Process process, Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(process);
        }
    }

    /** How a helper command ended: its exit code ({@code -1} when it was killed at the deadline) and its output. */
    record Result(List<String> command, int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }

        Result orThrow() {
            if (!succeeded()) {
                throw new IllegalStateException(describe());
            }
            return this;
        }

        String describe() {
            return String.join(" ", command) + (exitCode < 0 ? " did not finish in time" : " exited with " + exitCode)
                    + ", its output ended with:\n" + lastLines(output, 40);
        }
    }

    /** Runs a helper command to its end (killed after {@code timeout}); stdout and stderr together, via a file. */
    static Result run(List<String> command, Path workingDirectory, Duration timeout) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile(workingDirectory, "command", ".log");
            process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            RUNNING.add(process);
            int exitCode;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exitCode = process.exitValue();
            } else {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                exitCode = -1;
            }
            return new Result(command, exitCode, Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
                RUNNING.remove(process);
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover log file in a temp folder that is deleted anyway
                }
            }
        }
    }

    /** The first executable {@code name} on the PATH, or null. */
    public static Path findOnPath(String name) {
        for (String folder : System.getenv()
                .getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin")
                .split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether a listening socket can be bound on 127.0.0.1:{@code port} right now. */
    static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The last {@code lines} lines of a log file, or a note that there is none. */
    static String tail(Path file, int lines) {
        try {
            if (file == null || !Files.exists(file)) {
                return "(no " + file + ")";
            }
            return lastLines(Files.readString(file, StandardCharsets.ISO_8859_1), lines);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static String lastLines(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** A condition polled until it holds: {@link #pending()} returns null when done, or what is still missing. */
    @FunctionalInterface
    interface Check {
        String pending() throws Exception;
    }

    /** Thrown by a {@link Check} when waiting longer is pointless (the process it waits for has exited). */
    static final class Hopeless extends RuntimeException {
        Hopeless(String message) {
            super(message);
        }
    }

    /**
     * Polls {@code check} every {@code pollMillis} until it returns null. An exception from the check counts as "not
     * yet" (its message is the reason), except {@link Hopeless}, which ends the wait at once. At the deadline, throws
     * with the last reason and {@code diagnostics}.
     */
    static void await(String what, Duration timeout, long pollMillis, Check check, Supplier<String> diagnostics) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String reason = "never checked";
        while (true) {
            try {
                reason = check.pending();
            } catch (Hopeless hopeless) {
                throw new IllegalStateException(what + " failed: " + hopeless.getMessage() + "\n" + diagnostics.get());
            } catch (Exception notYet) {
                reason = notYet.toString();
            }
            if (reason == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + timeout.toSeconds() + " s; last"
                        + " seen: " + reason + "\n" + diagnostics.get());
            }
            sleep(pollMillis);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes a folder and everything in it; what cannot be deleted is left behind silently. */
    static void deleteRecursively(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a test for
        }
    }

    static List<String> command(Object... parts) {
        List<String> command = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(item -> command.add(String.valueOf(item)));
            } else {
                command.add(String.valueOf(part));
            }
        }
        return command;
    }
}
