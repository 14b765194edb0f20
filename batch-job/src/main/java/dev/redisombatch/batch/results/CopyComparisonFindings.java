package dev.redisombatch.batch.results;

import java.util.List;

/**
 * What {@code verify --check-data --target.url} found comparing a copy's target with its source: each source key
 * compared lands in one count (a key whose value and TTL both differ counts as a value that differs).
 *
 * @param sampled only the first {@code --sample} keys of each source master were compared, and the target was not
 *        walked for keys the source lacks
 * @param extraOnTarget keys the target holds and the source does not (not this tool's own); null when sampled
 * @param examples up to 5 printable keys of each kind of difference
 */
public record CopyComparisonFindings(
        String source,
        String target,
        boolean sampled,
        long compared,
        long equal,
        long missingOnTarget,
        long valueDiffers,
        long ttlDiffers,
        Long extraOnTarget,
        Examples examples) {

    /** Up to 5 printable keys of each kind. */
    public record Examples(
            List<String> missingOnTarget,
            List<String> valueDiffers,
            List<String> ttlDiffers,
            List<String> extraOnTarget) {}

    public long differ() {
        return missingOnTarget + valueDiffers + ttlDiffers + (extraOnTarget == null ? 0 : extraOnTarget);
    }

    public boolean clean() {
        return differ() == 0;
    }
}
