package dev.redisombatch.batch.redis;

import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.PasswordFile;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --redis.url}, parsed once, when the settings are bound: the server, or every seed node of a cluster, and the
 * password {@code --redis.password-file} holds in place of the URL's own, read once at start. Lettuce's URIs can be
 * changed by whoever holds one, so each caller gets copies.
 */
public final class RedisUrl {

    private static final Pattern CLUSTER_URL = Pattern.compile("redis(s)?-cluster://([^@/]*@)?([^/?]+)/?(0)?");

    private final String text;
    /** As parsed from {@link #text}; never handed out, never changed. */
    private final List<RedisURI> seeds;
    /** From {@code --redis.password-file}; null when none is given. */
    private final String passwordFromFile;

    private final String target;

    private RedisUrl(String text, List<RedisURI> seeds, String passwordFromFile) {
        this.text = text;
        this.seeds = seeds;
        this.passwordFromFile = passwordFromFile;
        this.target = cluster()
                ? "cluster:"
                        + String.join(
                                ",",
                                seeds.stream()
                                        .map(seed -> seed.getHost() + ":" + seed.getPort())
                                        .sorted()
                                        .toList())
                : seeds.get(0).getHost() + ":" + seeds.get(0).getPort() + "/"
                        + seeds.get(0).getDatabase();
    }

    /** Parses {@code text}, or refuses it naming what is wrong; the option's value is bound through this. */
    public static RedisUrl of(String text) {
        return of("redis.url", text);
    }

    /** Parses {@code text} given as {@code --option}, or refuses it naming that option and what is wrong. */
    public static RedisUrl of(String option, String text) {
        if ((text.startsWith("redis-cluster://") || text.startsWith("rediss-cluster://"))
                && !CLUSTER_URL.matcher(text).matches()) {
            throw new InvalidSettingException(
                    option,
                    "not a cluster URL: expected"
                            + " redis-cluster://[user:password@]host:port[,host:port...] (a cluster has only database 0)");
        }
        return new RedisUrl(
                text, seedUrls(text).stream().map(seed -> parse(option, seed)).toList(), null);
    }

    /**
     * The same URL with the password in {@code file} in place of its own; the file is read here, once, and a problem
     * with it names {@code --option}.
     */
    public RedisUrl withPasswordFrom(String option, Path file) {
        return new RedisUrl(text, seeds, PasswordFile.read(option, file));
    }

    boolean tls() {
        return text.startsWith("rediss://") || text.startsWith("rediss-cluster://");
    }

    boolean cluster() {
        return text.startsWith("redis-cluster://") || text.startsWith("rediss-cluster://");
    }

    /** host:port/db, or {@code cluster:host:port,...} with the seeds sorted; no credentials. */
    String target() {
        return target;
    }

    /** Copies of the parsed URIs, the one server's or every seed's, with the password from the file if one is given. */
    List<RedisURI> seeds() {
        return seeds.stream()
                .map(seed -> {
                    RedisURI copy = RedisURI.builder(seed).build();
                    if (passwordFromFile != null) {
                        copy.setPassword(passwordFromFile.toCharArray());
                    }
                    return copy;
                })
                .toList();
    }

    /**
     * The URL as one plain URL per server: a cluster URL's comma-separated hosts become one {@code redis://} (or
     * {@code rediss://}) URL each, with the same credentials.
     */
    private static List<String> seedUrls(String url) {
        Matcher cluster = CLUSTER_URL.matcher(url);
        if (!cluster.matches()) {
            return List.of(url);
        }
        String scheme = cluster.group(1) == null ? "redis://" : "rediss://";
        String credentials = cluster.group(2) == null ? "" : cluster.group(2);
        return Arrays.stream(cluster.group(3).split(","))
                .map(String::strip)
                .map(host -> scheme + credentials + host)
                .toList();
    }

    /** Lettuce accepts nearly anything (a missing host becomes part of the host name), so the shape is checked first. */
    private static RedisURI parse(String option, String url) {
        String problem;
        try {
            URI uri = new URI(url);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                problem = "expected redis://, rediss://, redis-cluster:// or rediss-cluster://";
            } else if (uri.getHost() == null) {
                problem = "no host, or a port that is not a number from 1 to 65535";
            } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                problem = "port " + uri.getPort() + " is out of range";
            } else if (uri.getPath() != null
                    && !uri.getPath().isEmpty()
                    && !uri.getPath().matches("/\\d{1,5}")) {
                problem = "the path must be a database number, like /0";
            } else if (uri.getQuery() != null
                    && uri.getQuery().toLowerCase(Locale.ROOT).contains("verifypeer")) {
                problem = "verifyPeer in the URL is not honoured here: use --redis.tls.verify";
            } else {
                RedisURI parsed = RedisURI.create(url);
                if (parsed.getPassword() != null) {
                    Redaction.registerSecret(new String(parsed.getPassword()));
                }
                return parsed;
            }
        } catch (URISyntaxException | RuntimeException e) {
            problem = Redaction.mask(e.getMessage());
        }
        throw new InvalidSettingException(
                option,
                "not a Redis URL (" + problem
                        + "; expected redis://host:port[/db], with credentials before the host as user:password@)");
    }

    /** Two URLs are the same when their text and the password that replaces the text's are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RedisUrl url
                && text.equals(url.text)
                && Objects.equals(passwordFromFile, url.passwordFromFile);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The URL as given (never the password from the file). */
    @Override
    public String toString() {
        return text;
    }
}
