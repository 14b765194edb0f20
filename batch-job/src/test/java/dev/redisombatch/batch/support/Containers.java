package dev.redisombatch.batch.support;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The servers Testcontainers gives where a Docker engine answers, the harness's last source before skipping (see
 * {@link ServerSource}). The build machines of this project have no Docker engine: this path is not exercised there.
 */
final class Containers {

    static final int REDIS_PORT = 6379;
    static final int POSTGRES_PORT = 5432;
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static volatile Boolean dockerReachable;

    private Containers() {}

    /** This machine as {@link ServerSource} sees it; Docker is asked at most once per JVM, and only when needed. */
    static ServerSource.Machine machine() {
        Path redisServer = ChildProcesses.findOnPath("redis-server");
        return new ServerSource.Machine(
                System::getenv,
                file -> Files.isRegularFile(Path.of(file)),
                file -> new File(file).canExecute(),
                redisServer == null ? null : redisServer.toString(),
                Containers::dockerReachable);
    }

    private static boolean dockerReachable() {
        Boolean known = dockerReachable;
        if (known == null) {
            known = DockerClientFactory.instance().isDockerAvailable();
            dockerReachable = known;
        }
        return known;
    }

    /** A started Redis container; {@code GenericContainer.stop()} removes it. */
    static GenericContainer<?> startRedis(String image) {
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1))
                .withStartupTimeout(STARTUP);
        redis.start();
        return redis;
    }

    /**
     * A started PostgreSQL container published on {@code hostPort} of 127.0.0.1, so that stopping and starting it
     * (fault tests) keeps the address; {@link #stopKeeping} and {@link #startAgain} do that.
     */
    static GenericContainer<?> startPostgres(
            String image, int hostPort, String database, String user, String password) {
        GenericContainer<?> postgres = new GenericContainer<>(DockerImageName.parse(image))
                .withEnv(Map.of("POSTGRES_DB", database, "POSTGRES_USER", user, "POSTGRES_PASSWORD", password))
                .withExposedPorts(POSTGRES_PORT)
                .withCreateContainerCmdModifier(command -> command.getHostConfig()
                        .withPortBindings(new PortBinding(
                                Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), new ExposedPort(POSTGRES_PORT))))
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2))
                .withStartupTimeout(STARTUP);
        postgres.start();
        return postgres;
    }

    /** Stops the container's process (fast shutdown on SIGTERM) and keeps the container and its data. */
    static void stopKeeping(GenericContainer<?> container) {
        DockerClientFactory.instance()
                .client()
                .stopContainerCmd(container.getContainerId())
                .withTimeout(30)
                .exec();
    }

    static void startAgain(GenericContainer<?> container) {
        DockerClientFactory.instance()
                .client()
                .startContainerCmd(container.getContainerId())
                .exec();
    }
}
