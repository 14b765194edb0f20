package dev.redisombatch.batch.results;

import java.util.List;

/**
 * What a check of the data ({@code verify --check-data}) found; {@code examples} names a few keys of either kind,
 * printable.
 */
public record DataCheckFindings(
        String migrationId, long documents, long wouldChange, long rejected, List<String> examples) {

    public boolean clean() {
        return wouldChange == 0 && rejected == 0;
    }
}
