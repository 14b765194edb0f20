package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexReplacementTest {

    @Test
    void versionsFollowThePlainIndexThenCountUp() {
        assertThat(IndexReplacement.nextVersion(":app.models.User:index", ":app.models.User:index"))
                .isEqualTo(":app.models.User:index:v2");
        assertThat(IndexReplacement.nextVersion(":app.models.User:index", ":app.models.User:index:v2"))
                .isEqualTo(":app.models.User:index:v3");
        assertThat(IndexReplacement.nextVersion("users", "users:v41")).isEqualTo("users:v42");
        // an alias pointing at an index named otherwise starts the numbering afresh
        assertThat(IndexReplacement.nextVersion("users", "people:v7")).isEqualTo("users:v2");
    }
}
