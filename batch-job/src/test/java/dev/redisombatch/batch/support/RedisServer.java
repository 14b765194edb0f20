package dev.redisombatch.batch.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process on a free loopback port, in a folder of its own, for one test class:
 * {@code @RegisterExtension static final RedisServer redis = new RedisServer();}. The class is skipped, with the
 * reason, when no {@code redis-server} is installed ({@code bash .ci/run} installs Debian's package).
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private int port;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Assumptions.assumeTrue(findExecutable() != null,
                "redis-server is not installed (apt-get install redis-server; bash .ci/run does it)");
        directory = Files.createTempDirectory("redis-test");
        port = freePort();
        launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeClient();
        if (process != null) {
            process.destroy();
            waitForExit();
        }
    }

    private static String findExecutable() {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File candidate = new File(folder, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void launch() throws IOException {
        // No automatic snapshots, so runs are not slowed by forks; restart() saves explicitly.
        process = new ProcessBuilder(List.of(findExecutable(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(), "--logfile",
                "redis.log"))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .start();
        client = RedisClient.create("redis://127.0.0.1:" + port);
        client.setDefaultTimeout(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                connection = client.connect();
                connection.sync().ping();
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start on port " + port, notYet);
                }
                sleep(50);
            }
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Saves the dataset, stops the process and starts a new one on the same port: same data, new run_id. */
    public void restart() throws IOException {
        try {
            connection.sync().shutdown(true);
        } catch (RuntimeException expected) {
            // the server closes the connection as it exits
        }
        waitForExit();
        closeClient();
        launch();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClient() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
