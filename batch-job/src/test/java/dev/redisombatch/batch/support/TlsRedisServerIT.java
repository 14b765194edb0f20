package dev.redisombatch.batch.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link TlsRedisServer} harness: who can and who cannot talk to it over TLS, with Lettuce as the client. */
class TlsRedisServerIT {

    @RegisterExtension
    static final TlsRedisServer tls = new TlsRedisServer();

    @RegisterExtension
    static final TlsRedisServer mutual = TlsRedisServer.requireClientCertificates();

    @Test
    void writesPemFilesWithPkcs8Keys() throws Exception {
        assertThat(tls.url()).isEqualTo("rediss://localhost:" + tls.port());
        for (Path certificate : List.of(tls.caFile(), tls.clientCertFile(), tls.otherCaFile())) {
            assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
        }
        for (Path key : List.of(tls.clientKeyFile(), tls.otherClientKeyFile())) {
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(Files.readString(tls.caFile())).isNotEqualTo(Files.readString(tls.otherCaFile()));
    }

    @Test
    void aClientTrustingTheCaCanPingWithoutAClientCertificate() {
        assertThat(ping(
                        tls.url(),
                        SslOptions.builder().trustManager(tls.caFile().toFile()).build()))
                .isEqualTo("PONG");
        tls.commands().set("tls", "yes");
        assertThat(tls.commands().get("tls")).isEqualTo("yes");
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() {
        Throwable failure = catchThrowable(() -> ping(
                tls.url(),
                SslOptions.builder().trustManager(tls.otherCaFile().toFile()).build()));
        assertThat(failure).isInstanceOf(RedisException.class);
        assertThat(causes(failure)).anyMatch(SSLException.class::isInstance); // PKIX path building failed
    }

    @Test
    void mutualTlsWantsAClientCertificateSignedByTheCa() {
        assertThat(mutual.requiresClientCertificates()).isTrue();
        assertThat(ping(
                        mutual.url(),
                        SslOptions.builder()
                                .trustManager(mutual.caFile().toFile())
                                .keyManager(
                                        mutual.clientCertFile().toFile(),
                                        mutual.clientKeyFile().toFile(),
                                        null)
                                .build()))
                .isEqualTo("PONG");
        assertThat(mutual.commands().ping()).isEqualTo("PONG");

        Throwable withoutCertificate = catchThrowable(() -> ping(
                mutual.url(),
                SslOptions.builder().trustManager(mutual.caFile().toFile()).build()));
        assertThat(withoutCertificate).isInstanceOf(RedisException.class);
        assertThat(causes(withoutCertificate)).anyMatch(SSLException.class::isInstance); // certificate_required

        Throwable foreignCertificate = catchThrowable(() -> ping(
                mutual.url(),
                SslOptions.builder()
                        .trustManager(mutual.caFile().toFile())
                        .keyManager(
                                mutual.otherClientCertFile().toFile(),
                                mutual.otherClientKeyFile().toFile(),
                                null)
                        .build()));
        assertThat(foreignCertificate).isInstanceOf(RedisException.class);
        assertThat(causes(foreignCertificate)).anyMatch(SSLException.class::isInstance); // unknown_ca
    }

    private static String ping(String url, SslOptions ssl) {
        RedisClient client = RedisClient.create();
        try {
            client.setOptions(ClientOptions.builder()
                    .sslOptions(ssl)
                    .socketOptions(SocketOptions.builder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .build())
                    .build());
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(Duration.ofSeconds(20));
            try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
                return connection.sync().ping();
            }
        } finally {
            client.shutdown(0, 5, TimeUnit.SECONDS);
        }
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
