package dev.redisombatch.batch.settings;

import dev.redisombatch.batch.failure.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password kept in a file (a Kubernetes secret volume): the file's content without the white space around it. An
 * empty file is a bad setting, never an empty password: a secret volume mounted without its key, or a file not yet
 * written, would otherwise be sent as "no password" and fail later with a misleading refusal.
 */
public final class PasswordFile {

    private PasswordFile() {}

    /** The password in {@code file}, registered as a secret; {@code key} names the option in the error. */
    public static String read(String key, Path file) {
        String password;
        try {
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidSettingException(key, file + ": " + e.getMessage());
        }
        if (password.isEmpty()) {
            throw new InvalidSettingException(key, file + ": the file is empty; it must hold the password");
        }
        Redaction.registerSecret(password);
        return password;
    }
}
