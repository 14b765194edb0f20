package dev.redisombatch.batch.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged {@code redis-om-batch.jar} run as a separate JVM, as a user or a CronJob runs it. */
public final class JarProcess {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("redisombatch.jar", "target/redis-om-batch.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged jar at " + jar + ": run the tests with mvn verify");
        }
        return jar;
    }

    public static JarProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    /** Started with {@code environment} added to this JVM's environment. */
    public static JarProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "stdout", ".log");
        Path err = Files.createTempFile(workDir, "stderr", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new JarProcess(builder.start(), out, err);
    }

    /** Runs to the end (at most 3 minutes) and returns the exit code. */
    public static Finished run(Path workDir, String... args) throws IOException, InterruptedException {
        JarProcess started = start(workDir, args);
        return started.waitFor();
    }

    public Finished waitFor() throws IOException, InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("redis-om-batch did not finish within 3 minutes:\n" + stdout());
        }
        return new Finished(process.exitValue(), stdout(), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code text} to its standard input, a pipe (never a terminal), and closes it: what {@code echo n |}
     * gives a command.
     */
    public JarProcess input(String text) throws IOException {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or marked. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as Kubernetes sends it before killing a pod. */
    public void terminate() {
        process.destroy();
    }

    /** What ps shows: /proc/PID/cmdline (NUL-separated), and ProcessHandle's view of it. */
    public String commandLine() throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        String proc = Files.exists(cmdline)
                ? new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ')
                : "";
        String handle = process.toHandle().info().commandLine().orElse("");
        return proc + "\n" + handle;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far, results (standard output) then logs and errors (standard error). */
    public String output() throws IOException {
        return stdout() + Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** How a run ended. */
    public record Finished(int exitCode, String stdout, String stderr) {

        /** Results and logs together. */
        public String output() {
            return stdout + stderr;
        }
    }
}
