package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.redis.RedisUrl;
import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.OptionDefaults;
import dev.redisombatch.batch.settings.Secret;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** Where {@code migrateData} copies the data to, when it copies: another Redis, the target. */
public record CopySettings(
        @Name(CopySettings.TARGET_URL)
        @Secret
        @Help(
                value = "migrateData: copy every key of --redis.url (the source, only read) to this Redis, then apply"
                        + " the pending migrations there (redis://, rediss://, redis-cluster://); status: show this"
                        + " Redis' migrations; verify: check the checksums of this Redis' migrations only, and with"
                        + " --check-data compare it with the source (every key as the applied migrations make it of"
                        + " the source's, and its expiry). Reached with the same --redis.timeout and --redis.tls.*"
                        + " options as the source, unless --target.tls.* are given. Other jobs refuse it.",
                placeholder = "URL")
        String targetUrl,

        @Name("target.password-file")
        @Help(value = "Read the target's password from this file instead of its URL.", placeholder = "FILE")
        Path targetPasswordFile,

        @Name("target.tls.ca-file")
        @Help(
                value = "rediss:// target: trust the CA certificates in this PEM file (default: as the source,"
                        + " --redis.tls.ca-file).",
                placeholder = "FILE")
        Path targetTlsCaFile,

        @Name("target.tls.cert-file")
        @Help(
                value = "rediss:// target: client certificate (PEM) for mutual TLS, with --target.tls.key-file"
                        + " (default: as the source).",
                placeholder = "FILE")
        Path targetTlsCertFile,

        @Name("target.tls.key-file")
        @Help(value = "rediss:// target: that certificate's private key (PKCS#8 PEM).", placeholder = "FILE")
        Path targetTlsKeyFile,

        @Name("target.tls.verify")
        @Help(
                value = "rediss:// target: full, ca or none, as --redis.tls.verify (default: as the source).",
                placeholder = "MODE")
        RedisSettings.TlsVerification targetTlsVerify,

        @Name("target.overwrite")
        @DefaultValue("" + CopySettings.DEFAULT_OVERWRITE)
        @Help(
                value = "Copy to a target that already holds keys this copy did not write, replacing those of the same"
                        + " names (without it, such a target is refused).",
                placeholder = "BOOL")
        boolean overwrite,

        @Name("target.indexes")
        @DefaultValue(CopySettings.DEFAULT_INDEXES)
        @Help(
                value = "none, or copy: create on the target every RediSearch index the source has and the target"
                        + " lacks, from the source's FT.INFO, before the keys are copied (a single server target"
                        + " only).",
                placeholder = "MODE")
        Indexes indexes,

        @Name("target.copy")
        @DefaultValue(CopySettings.DEFAULT_COPY)
        @Help(
                value = "all: copy every key of the source; migrated: only the documents a data migration known to"
                        + " the run selects (its patterns and types), so the target holds the migrated model and"
                        + " nothing else. Recorded on the target: a copy is resumed, followed and verified the way it"
                        + " began.",
                placeholder = "KEYS")
        Copied copied,

        @Name(CopySettings.FOLLOW)
        @DefaultValue("" + CopySettings.DEFAULT_FOLLOW)
        @Help(
                value =
                        "After the copy and the migrations, keep the target in step with the source's changes (from"
                                + " its keyspace notifications, heard from before the copy begins: notify-keyspace-events"
                                + " must hold E and A) until SIGTERM or Ctrl-C; then write what was heard and exit 0, or 7 when"
                                + " the target may have missed a change. A server or a cluster (every master subscribed to) as the source.",
                placeholder = "BOOL")
        boolean follow) {

    public static final String TARGET_URL = "target.url";
    public static final boolean DEFAULT_OVERWRITE = false;
    public static final String DEFAULT_INDEXES = "none";
    public static final String FOLLOW = "follow";
    public static final String DEFAULT_COPY = "all";
    public static final boolean DEFAULT_FOLLOW = false;

    /** Which of the source's keys are copied. */
    public enum Copied {
        ALL,
        MIGRATED
    }

    /** What becomes of the source's RediSearch indexes. */
    public enum Indexes {
        NONE,
        COPY
    }

    public CopySettings {
        InvalidSettingException.requireBothOrNeither(
                "target.tls.cert-file", targetTlsCertFile, "target.tls.key-file", targetTlsKeyFile);
        InvalidSettingException.requireReadable("target.password-file", targetPasswordFile);
        InvalidSettingException.requireReadable("target.tls.ca-file", targetTlsCaFile);
        InvalidSettingException.requireReadable("target.tls.cert-file", targetTlsCertFile);
        InvalidSettingException.requireReadable("target.tls.key-file", targetTlsKeyFile);
        if (targetUrl != null) {
            RedisUrl.of(TARGET_URL, targetUrl);
        } else if (follow) {
            throw new InvalidSettingException(FOLLOW, "follows a copy's source: give --target.url too");
        }
    }

    public static CopySettings none() {
        return new CopySettings(
                null,
                null,
                null,
                null,
                null,
                null,
                DEFAULT_OVERWRITE,
                OptionDefaults.constant(Indexes.class, DEFAULT_INDEXES),
                OptionDefaults.constant(Copied.class, DEFAULT_COPY),
                DEFAULT_FOLLOW);
    }

    /**
     * The target, reached like the source (timeout, retries, and the TLS settings it is not given its own of) but at
     * its own URL, with its own credentials; empty without a copy.
     */
    public Optional<RedisSettings> target(RedisSettings source) {
        if (targetUrl == null) {
            return Optional.empty();
        }
        RedisUrl url = RedisUrl.of(TARGET_URL, targetUrl);
        RedisSettings target = source.forOtherServer(
                targetPasswordFile == null ? url : url.withPasswordFrom("target.password-file", targetPasswordFile));
        boolean ownCertificate = targetTlsCertFile != null;
        return Optional.of(target.withTls(
                targetTlsCaFile != null ? targetTlsCaFile : source.tlsCaFile(),
                ownCertificate ? targetTlsCertFile : source.tlsCertFile(),
                ownCertificate ? targetTlsKeyFile : source.tlsKeyFile(),
                targetTlsVerify != null ? targetTlsVerify : source.tlsVerify()));
    }
}
