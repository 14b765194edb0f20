package dev.redisombatch.batch.support;

import static dev.redisombatch.batch.support.ChildProcesses.WAIT;
import static dev.redisombatch.batch.support.ChildProcesses.command;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} that speaks TLS only, for one test class:
 * {@code @RegisterExtension static final TlsRedisServer tls = new TlsRedisServer();} (client certificates optional) or
 * {@code = TlsRedisServer.requireClientCertificates();} (mutual TLS: {@code --tls-auth-clients yes}).
 *
 * <p>Before the server starts, {@code openssl} makes, in a temp folder, a throwaway CA, a server certificate for
 * {@code localhost} / 127.0.0.1 / ::1 signed by it, and a client certificate signed by it, as PEM files; keys are
 * unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), which Netty (and so Lettuce) reads. The server listens on
 * 127.0.0.1 only, on {@code --tls-port} (plain {@code --port 0}), so {@link #url()} is {@code rediss://localhost:P}
 * with full hostname verification. {@link #otherCaFile()} (and {@link #otherClientCertFile()} /
 * {@link #otherClientKeyFile()}) come from a second, unrelated CA, for negative tests.
 *
 * <p>The class is skipped, with the reason, when {@code redis-server} or {@code openssl} is missing, or when this
 * {@code redis-server} was built without TLS (it rejects {@code --tls-port}).
 */
public final class TlsRedisServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final String HOST = "127.0.0.1";
    private static final Duration OPENSSL_TIMEOUT = Duration.ofMinutes(1);
    private static final String OPENSSL_CONFIG = """
            [ req ]
            distinguished_name = subject
            prompt = no
            [ subject ]
            CN = redis-om-batch test
            [ ca ]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [ server ]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [ client ]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """;
    private static volatile Optional<String> tlsProbe;

    private final boolean requireClientCertificates;
    private String startedBy;
    private Path openssl;
    private Path directory;
    private Path config;
    private int port;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private boolean otherMade;

    /** TLS with {@code --tls-auth-clients optional}: a client may present a certificate, and need not. */
    public TlsRedisServer() {
        this(false);
    }

    private TlsRedisServer(boolean requireClientCertificates) {
        this.requireClientCertificates = requireClientCertificates;
    }

    /** Mutual TLS: {@code --tls-auth-clients yes}, a client must present a certificate signed by {@link #caFile()}. */
    public static TlsRedisServer requireClientCertificates() {
        return new TlsRedisServer(true);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return missing()
                .map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("redis-server with TLS and openssl are at hand"));
    }

    private static Optional<String> missing() {
        if (ChildProcesses.findOnPath("redis-server") == null) {
            return Optional.of("redis-server is not installed (apt-get install redis-server;"
                    + " scripts/install-test-deps.sh does it)");
        }
        if (ChildProcesses.findOnPath("openssl") == null) {
            return Optional.of("openssl is not installed, so no test certificates can be made (apt-get install"
                    + " openssl; scripts/install-test-deps.sh does it)");
        }
        Optional<String> probe = tlsProbe;
        if (probe == null) {
            probe = probeTls();
            tlsProbe = probe;
        }
        return probe;
    }

    /**
     * A redis-server built with TLS accepts {@code --tls-port}; with no port to listen on it then exits with "not
     * listen anywhere". One built without TLS exits at once with "Bad directive" (a config error).
     */
    private static Optional<String> probeTls() {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("redis-tls-probe");
            ChildProcesses.Result result = ChildProcesses.run(
                    command(
                            ChildProcesses.findOnPath("redis-server"),
                            "--port",
                            0,
                            "--tls-port",
                            0,
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            folder),
                    folder,
                    Duration.ofSeconds(30));
            if (result.output().contains("Bad directive") || result.output().contains("FATAL CONFIG")) {
                return Optional.of("this redis-server was built without TLS (it rejects --tls-port): "
                        + result.output()
                                .lines()
                                .filter(line -> !line.isBlank())
                                .reduce((a, b) -> b)
                                .orElse(""));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("could not check whether redis-server has TLS: " + e);
        } finally {
            ChildProcesses.deleteRecursively(folder);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (startedBy != null) {
            return; // a @Nested class of the class that started it
        }
        Optional<String> missing = missing();
        Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
        startedBy = context.getUniqueId();
        openssl = ChildProcesses.findOnPath("openssl");
        directory = Files.createTempDirectory("redis-tls");
        config = directory.resolve("openssl.cnf");
        Files.writeString(config, OPENSSL_CONFIG, StandardCharsets.US_ASCII);
        makeCa("ca", "redis-om-batch test CA");
        makeCertificate("server", "localhost", "server", "ca");
        makeCertificate("client", "redis-om-batch test client", "client", "ca");
        port = ServerPorts.free();
        for (int attempt = 1; ; attempt++) {
            launch();
            if (awaitReady()) {
                break;
            }
            if (attempt >= 5 || !ChildProcesses.tail(log(), 20).contains("Address already in use")) {
                throw new IllegalStateException("redis-server (TLS) exited at start\n" + diagnostics());
            }
            port = ServerPorts.free();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (startedBy == null || !startedBy.equals(context.getUniqueId())) {
            return;
        }
        startedBy = null;
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(0, 5, TimeUnit.SECONDS);
        }
        ChildProcesses.stop(process, Duration.ofSeconds(20));
        ChildProcesses.deleteRecursively(directory);
    }

    /** {@code rediss://localhost:P} */
    public String url() {
        return "rediss://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public boolean requiresClientCertificates() {
        return requireClientCertificates;
    }

    /** The CA (PEM) that signed the server's and the client's certificates. */
    public Path caFile() {
        return directory.resolve("ca.crt");
    }

    /** The server's certificate (PEM): CN and SAN localhost, SAN 127.0.0.1 and ::1. */
    public Path serverCertFile() {
        return directory.resolve("server.crt");
    }

    /** A client certificate (PEM) signed by {@link #caFile()}, for mutual TLS. */
    public Path clientCertFile() {
        return directory.resolve("client.crt");
    }

    /** The key of {@link #clientCertFile()}: unencrypted PKCS#8 PEM. */
    public Path clientKeyFile() {
        return directory.resolve("client.key");
    }

    /** A second CA that signed nothing the server has: trusting only it must fail. Made on first use. */
    public Path otherCaFile() {
        makeOther();
        return directory.resolve("other-ca.crt");
    }

    /** A client certificate signed by {@link #otherCaFile()}: a server requiring client certificates refuses it. */
    public Path otherClientCertFile() {
        makeOther();
        return directory.resolve("other-client.crt");
    }

    public Path otherClientKeyFile() {
        makeOther();
        return directory.resolve("other-client.key");
    }

    /** Lettuce's TLS options for this server: trust {@link #caFile()}, present {@link #clientCertFile()}. */
    public SslOptions sslOptions() {
        return SslOptions.builder()
                .jdkSslProvider()
                .trustManager(caFile().toFile())
                .keyManager(clientCertFile().toFile(), clientKeyFile().toFile(), null)
                .build();
    }

    /** A connection for the tests' own assertions, made with {@link #sslOptions()}. */
    public RedisCommands<String, String> commands() {
        if (connection == null) {
            client = newClient();
            connection = client.connect(uri());
        }
        return connection.sync();
    }

    /** {@link #url()} with a 30 s command timeout. */
    public RedisURI uri() {
        RedisURI uri = RedisURI.create(url());
        uri.setTimeout(Duration.ofSeconds(30));
        return uri;
    }

    private RedisClient newClient() {
        RedisClient created = RedisClient.create();
        created.setOptions(ClientOptions.builder()
                .sslOptions(sslOptions())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .build())
                .build());
        return created;
    }

    private void launch() throws IOException {
        List<String> command = command(
                ChildProcesses.findOnPath("redis-server"),
                "--port",
                0,
                "--tls-port",
                port,
                "--bind",
                HOST,
                "--tls-cert-file",
                serverCertFile(),
                "--tls-key-file",
                directory.resolve("server.key"),
                "--tls-ca-cert-file",
                caFile(),
                "--tls-auth-clients",
                requireClientCertificates ? "yes" : "optional",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory,
                "--daemonize",
                "no",
                "--logfile",
                log());
        process = ChildProcesses.startServer(command, directory, directory.resolve("stdout.log"));
    }

    private Path log() {
        return directory.resolve("redis.log");
    }

    /** True once a TLS client trusting the CA (and presenting the client certificate) gets PONG. */
    private boolean awaitReady() {
        RedisClient probe = newClient();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    return false;
                }
                try (StatefulRedisConnection<String, String> probing = probe.connect(uri())) {
                    if ("PONG".equals(probing.sync().ping())) {
                        return true;
                    }
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("redis-server (TLS) on port " + port + " did not answer"
                                + " within " + WAIT.toSeconds() + " s: " + notYet + "\n" + diagnostics());
                    }
                }
                ChildProcesses.sleep(100);
            }
        } finally {
            probe.shutdown(0, 5, TimeUnit.SECONDS);
        }
    }

    private String diagnostics() {
        return "--- " + log() + ":\n" + ChildProcesses.tail(log(), 30) + "\n--- stdout/stderr:\n"
                + ChildProcesses.tail(directory.resolve("stdout.log"), 10);
    }

    // ---------------------------------------------------------------------------------------------------- certificates

    private synchronized void makeOther() {
        if (otherMade) {
            return;
        }
        makeCa("other-ca", "redis-om-batch unrelated test CA");
        makeCertificate("other-client", "redis-om-batch other client", "client", "other-ca");
        otherMade = true;
    }

    private void makeCa(String name, String commonName) {
        Path key = makeKey(name);
        openssl(
                "req",
                "-config",
                config,
                "-new",
                "-x509",
                "-key",
                key,
                "-sha256",
                "-days",
                30,
                "-subj",
                "/CN=" + commonName,
                "-extensions",
                "ca",
                "-out",
                directory.resolve(name + ".crt"));
    }

    private void makeCertificate(String name, String commonName, String extensions, String ca) {
        Path key = makeKey(name);
        Path request = directory.resolve(name + ".csr");
        openssl("req", "-config", config, "-new", "-key", key, "-subj", "/CN=" + commonName, "-out", request);
        openssl(
                "x509",
                "-req",
                "-in",
                request,
                "-CA",
                directory.resolve(ca + ".crt"),
                "-CAkey",
                directory.resolve(ca + ".key"),
                "-set_serial",
                new BigInteger(63, new SecureRandom()),
                "-days",
                30,
                "-sha256",
                "-extfile",
                config,
                "-extensions",
                extensions,
                "-out",
                directory.resolve(name + ".crt"));
    }

    /** An RSA 2048 key, unencrypted PKCS#8 PEM (what {@code genpkey} writes; converted if an old one did not). */
    private Path makeKey(String name) {
        Path key = directory.resolve(name + ".key");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
        try {
            if (!Files.readString(key, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----")) {
                Path converted = directory.resolve(name + ".pk8");
                openssl("pkcs8", "-topk8", "-nocrypt", "-in", key, "-out", converted);
                Files.move(converted, key, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    private void openssl(Object... arguments) {
        ChildProcesses.run(command(openssl, List.of(arguments)), directory, OPENSSL_TIMEOUT)
                .orThrow();
    }
}
