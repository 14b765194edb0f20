package dev.redisombatch.batch.redis;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.OptionDefaults;
import dev.redisombatch.batch.settings.Secret;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationUnit;

/** Where the Redis to migrate is and how to talk to it. */
public record RedisSettings(
        @Name("redis.url")
        @DefaultValue(RedisSettings.DEFAULT_URL)
        @Secret
        @Help(
                value = "Redis to migrate: redis://[user:password@]host:port[/db], or rediss:// for TLS; a Redis"
                        + " Cluster as redis-cluster://[user:password@]host:port[,host:port...] (rediss-cluster:// for TLS),"
                        + " any of its nodes as seeds.",
                placeholder = "URL")
        RedisUrl url,

        @Name("redis.password-file")
        @Help(
                value = "Read the Redis password from this file (a Kubernetes secret volume) instead of the URL.",
                placeholder = "FILE")
        Path passwordFile,

        @Name("redis.timeout")
        @DefaultValue("" + RedisSettings.DEFAULT_TIMEOUT_SECONDS)
        @DurationUnit(ChronoUnit.SECONDS)
        @Help(value = "How long to wait for one reply, and for a connection.", placeholder = "SECONDS")
        Duration timeout,

        @Name("redis.retries")
        @DefaultValue("" + RedisSettings.DEFAULT_RETRIES)
        @Help(
                value = "Retries, with backoff, of a call that failed transiently; --help=how-a-run-works says which"
                        + " faults and how long (\"Transient faults\").",
                placeholder = "N")
        int retries,

        @Name("redis.tls.ca-file")
        @Help(
                value = "rediss://: trust the CA certificates in this PEM file (default: the JVM's trust store).",
                placeholder = "FILE")
        Path tlsCaFile,

        @Name("redis.tls.cert-file")
        @Help(
                value = "rediss://: client certificate (PEM) for mutual TLS; goes with --redis.tls.key-file.",
                placeholder = "FILE")
        Path tlsCertFile,

        @Name("redis.tls.key-file")
        @Help(value = "rediss://: the client certificate's private key (PKCS#8 PEM).", placeholder = "FILE")
        Path tlsKeyFile,

        @Name("redis.tls.verify")
        @DefaultValue(RedisSettings.DEFAULT_TLS_VERIFY)
        @Help(
                value = "rediss://: full (certificate and host name, the default), ca (certificate only) or none"
                        + " (no verification at all: logged as a warning).",
                placeholder = "MODE")
        TlsVerification tlsVerify,

        @Name("redis.slot-grouping")
        @DefaultValue(RedisSettings.DEFAULT_SLOT_GROUPING)
        @Help(
                value =
                        "auto (group writes by hash slot where the server refuses a script over several slots: a"
                                + " cluster, a sharded database behind one endpoint; asked once per migration), always, or never.",
                placeholder = "MODE")
        SlotGrouping slotGrouping) {

    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_RETRIES = 8;
    public static final String DEFAULT_TLS_VERIFY = "full";
    public static final String DEFAULT_SLOT_GROUPING = "auto";

    /** Whether a write script's keys are grouped by hash slot ({@link RedisEndpoint#groupsWritesBySlot}). */
    public enum SlotGrouping {
        AUTO,
        ALWAYS,
        NEVER
    }

    /** How much of the server's certificate a TLS connection checks. */
    public enum TlsVerification {
        FULL(SslVerifyMode.FULL),
        CA(SslVerifyMode.CA),
        NONE(SslVerifyMode.NONE);

        private final SslVerifyMode lettuceMode;

        TlsVerification(SslVerifyMode lettuceMode) {
            this.lettuceMode = lettuceMode;
        }

        SslVerifyMode lettuceMode() {
            return lettuceMode;
        }
    }

    public RedisSettings {
        InvalidSettingException.requirePositive("redis.timeout", timeout);
        InvalidSettingException.requireAtLeast("redis.retries", retries, 0);
        InvalidSettingException.requireBothOrNeither(
                "redis.tls.cert-file", tlsCertFile, "redis.tls.key-file", tlsKeyFile);
        InvalidSettingException.requireReadable("redis.password-file", passwordFile);
        InvalidSettingException.requireReadable("redis.tls.ca-file", tlsCaFile);
        InvalidSettingException.requireReadable("redis.tls.cert-file", tlsCertFile);
        InvalidSettingException.requireReadable("redis.tls.key-file", tlsKeyFile);
        if (passwordFile != null) {
            url = url.withPasswordFrom("redis.password-file", passwordFile);
        }
    }

    /** The defaults, pointing at {@code url} (tests, and the demo). */
    public static RedisSettings of(String url) {
        return new RedisSettings(
                RedisUrl.of(url),
                null,
                Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS),
                DEFAULT_RETRIES,
                null,
                null,
                null,
                OptionDefaults.constant(TlsVerification.class, DEFAULT_TLS_VERIFY),
                OptionDefaults.constant(SlotGrouping.class, DEFAULT_SLOT_GROUPING));
    }

    public RedisSettings withTimeout(Duration timeout) {
        return new RedisSettings(
                url, passwordFile, timeout, retries, tlsCaFile, tlsCertFile, tlsKeyFile, tlsVerify, slotGrouping);
    }

    /**
     * Another server reached the same way (timeout, TLS files and verification) but with its own URL and the
     * credentials in it: the password file belongs to the Redis to migrate.
     */
    public RedisSettings forOtherServer(RedisUrl otherUrl) {
        return new RedisSettings(
                otherUrl, null, timeout, retries, tlsCaFile, tlsCertFile, tlsKeyFile, tlsVerify, slotGrouping);
    }

    /** The same, with other TLS files and verification: a target of a copy with certificates of its own. */
    public RedisSettings withTls(Path caFile, Path certFile, Path keyFile, TlsVerification verify) {
        return new RedisSettings(url, passwordFile, timeout, retries, caFile, certFile, keyFile, verify, slotGrouping);
    }

    public RedisSettings withRetries(int retries) {
        return new RedisSettings(
                url, passwordFile, timeout, retries, tlsCaFile, tlsCertFile, tlsKeyFile, tlsVerify, slotGrouping);
    }

    public boolean tls() {
        return url.tls();
    }

    /** Whether the URL names a Redis Cluster. */
    public boolean cluster() {
        return url.cluster();
    }

    /**
     * The connection URI Lettuce uses: the URL as parsed when the settings were bound, the password from
     * {@link #passwordFile} when one is given (read then, at start: a rotated secret is picked up by the next run), and
     * the TLS verification mode.
     */
    public RedisURI uri() {
        return seeds().get(0);
    }

    /** The URIs to connect with: the one server, or every seed node of a cluster, each set up like {@link #uri()}. */
    public List<RedisURI> seeds() {
        return url.seeds().stream().map(this::configured).toList();
    }

    private RedisURI configured(RedisURI uri) {
        if (tls()) {
            uri.setVerifyPeer(tlsVerify.lettuceMode());
        }
        uri.setTimeout(timeout);
        return uri;
    }

    /**
     * host:port/db, or {@code cluster:host:port,...} with the seeds sorted; no credentials: safe to log and to use as a
     * job parameter.
     */
    public String target() {
        return url.target();
    }
}
