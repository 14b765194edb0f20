package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.failure.Failure;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void theSwitchIsRefusedForABuiltIndexThatCouldNotIndexDocuments() throws Exception {
        // the recording: 3 user hashes, 1 indexed, 2 that the index could not read
        LiveIndex built = LiveIndex.fromInfoReply(RecordedReplies.ftInfo());
        assertThat(built.built()).isTrue();

        assertThatThrownBy(() -> IndexReplacement.refuseSwitchIfDocumentsFailed("users", "users:v1", built))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessage("index :app.models.User:index could not index 2 documents (FT.INFO"
                        + " hash_indexing_failures; 1 indexed), so users still points at users:v1 and"
                        + " :app.models.User:index is kept for inspection")
                .satisfies(
                        e -> assertThat(((SchemaMigrationException) e).failure().exitCode())
                                .isEqualTo(4));
        assertThat(IndexReplacement.failuresWarning(built))
                .hasValueSatisfying(warning -> assertThat(warning).contains("could not index 2 documents"));
    }

    @Test
    void anIndexThatIndexedEveryDocumentIsSwitchedTo() throws Exception {
        List<Object> reply = new ArrayList<>(RecordedReplies.ftInfo());
        reply.set(reply.indexOf("hash_indexing_failures") + 1, "0");
        LiveIndex built = LiveIndex.fromInfoReply(reply);

        assertThatCode(() -> IndexReplacement.refuseSwitchIfDocumentsFailed("users", "users:v1", built))
                .doesNotThrowAnyException();
        assertThat(IndexReplacement.failuresWarning(built)).isEmpty();
        assertThat(Failure.DATA.exitCode()).isEqualTo(4);
    }
}
