package dev.redisombatch.batch.failure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what the tool prints: the password part of URLs ({@code redis://user:secret@host},
 * {@code jdbc:...;PASSWORD=secret}, {@code ?password=secret}) becomes {@code ***}, and so does any secret value the
 * configuration held (registered when it was read), wherever it appears.
 */
public final class Redaction {

    public static final String MASK = "***";
    // A password typed into a URL without encoding may hold '@', ':', '/' or '%': the user-info ends at the last '@'
    // before the next white space, so everything up to there is masked (more than the password, never less).
    private static final List<Pattern> URL_SECRETS = List.of(
            // scheme://user:password@host  and  scheme://:password@host
            Pattern.compile("(?<=[a-zA-Z][a-zA-Z0-9+.-]{0,20}://[^/@\\s:]{0,200}:)\\S+(?=@)"),
            // redis://password@host (Lettuce reads a lone user-info as the password)
            Pattern.compile("(?<=rediss?://)[^\\s:]+(?=@)"),
            // ;PASSWORD=x (H2), ?password=x&... (PostgreSQL), password: x
            Pattern.compile("(?i)(?<=password[=:]\\s{0,3})[^;&\\s,]+"));
    private static final Set<String> KNOWN_SECRETS = new CopyOnWriteArraySet<>();

    private Redaction() {}

    /** A secret value the configuration holds; it is masked wherever it shows up later. */
    public static void registerSecret(String secret) {
        if (secret != null && secret.length() >= 3) {
            KNOWN_SECRETS.add(secret);
        }
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (Pattern pattern : URL_SECRETS) {
            masked = pattern.matcher(masked).replaceAll(MASK);
        }
        for (String secret : KNOWN_SECRETS) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
