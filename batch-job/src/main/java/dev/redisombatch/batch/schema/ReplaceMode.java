package dev.redisombatch.batch.schema;

import java.util.Arrays;
import java.util.Optional;

/** How an index gets its new definition. */
public enum ReplaceMode {
    /** Redis OM Python's way: FT.DROPINDEX then FT.CREATE under the same name; queries see partial results until it is rebuilt. */
    RECREATE("recreate"),
    /** Build a versioned index beside the old one, wait for it, then point the alias queries use at it. */
    ZERO_DOWNTIME("zero-downtime");

    private final String cliName;

    ReplaceMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }

    public static Optional<ReplaceMode> of(String name) {
        return Arrays.stream(values()).filter(mode -> mode.cliName.equals(name)).findFirst();
    }
}
