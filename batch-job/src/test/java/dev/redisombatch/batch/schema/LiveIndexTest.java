package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveIndexTest {

    /** The index the recording created, as a definition file would state it. */
    static final IndexDefinition RECORDED_USERS = new IndexDefinition(
            IndexDefinition.KeyType.HASH,
            List.of(":app.models.User:"),
            null,
            List.of(
                    tag("pk"),
                    tag("name"),
                    tag("email"),
                    new IndexField(
                            null, "created_at", FieldType.NUMERIC, true, false, null, false, 1, false, null, Map.of()),
                    IndexField.of("age", FieldType.NUMERIC)));

    static IndexField tag(String name) {
        return new IndexField(null, name, FieldType.TAG, false, false, "|", false, 1, false, null, Map.of());
    }

    @Test
    void readsTheRecordedFtInfoReplyOfRediSearch2637() throws Exception {
        LiveIndex live = LiveIndex.fromInfoReply(RecordedReplies.ftInfo());

        assertThat(live.name()).isEqualTo(":app.models.User:index");
        assertThat(live.definition()).isEqualTo(RECORDED_USERS);
        assertThat(live.numDocs()).isEqualTo(1);
        assertThat(live.hashIndexingFailures()).isEqualTo(2);
        assertThat(live.built()).isTrue();
    }

    @Test
    void theRecordedFtCreateIsWhatTheDefinitionRenders() throws Exception {
        String recorded = RecordedReplies.text()
                .lines()
                .filter(line -> line.startsWith("$ FT.CREATE :app.models.User:index ON HASH"))
                .findFirst()
                .orElseThrow()
                .substring("$ FT.CREATE :app.models.User:index ".length());

        assertThat(RECORDED_USERS.schemaText()).isEqualTo(recorded);
        assertThat(SchemaTokens.parseSchemaText(recorded)).isEqualTo(RECORDED_USERS);
    }

    @Test
    void progressWhileIndexingIsNotBuilt() {
        List<Object> reply = List.of(
                "index_name",
                "bulkidx",
                "index_definition",
                List.of("key_type", "HASH", "prefixes", List.of("bulk:"), "default_score", "1"),
                "attributes",
                List.of(List.of("identifier", "n", "attribute", "n", "type", "NUMERIC")),
                // values copied from the recording's background-indexing poll
                "num_docs",
                "58346",
                "indexing",
                "1",
                "percent_indexed",
                "0.1944880551194488");

        LiveIndex live = LiveIndex.fromInfoReply(reply);

        assertThat(live.built()).isFalse();
        assertThat(live.percentIndexed()).isEqualTo(0.1944880551194488);
        assertThat(live.numDocs()).isEqualTo(58346);
    }

    @Test
    void anIndexWithoutPrefixesReportsTheEmptyPrefixWhichMeansNone() {
        List<Object> reply = List.of(
                "index_name",
                "all",
                "index_definition",
                List.of("key_type", "HASH", "prefixes", List.of(""), "default_score", "1"),
                "attributes",
                List.of(),
                "num_docs",
                0L,
                "indexing",
                0L,
                "percent_indexed",
                "1");

        assertThat(LiveIndex.fromInfoReply(reply).definition().prefixes()).isEmpty();
    }

    @Test
    void optionWordsOfEveryFieldTypeAreRead() {
        // as RediSearch 2.6.37 lists them (checked against a server built from its source)
        List<Object> reply = List.of(
                "index_name",
                "idx",
                "index_definition",
                List.of("key_type", "HASH", "prefixes", List.of("p:", "q:"), "filter", "@age>1", "default_score", "1"),
                "attributes",
                List.of(
                        List.of(
                                "identifier",
                                "name",
                                "attribute",
                                "name",
                                "type",
                                "TEXT",
                                "WEIGHT",
                                "2",
                                "SORTABLE",
                                "NOSTEM"),
                        List.of(
                                "identifier",
                                "name",
                                "attribute",
                                "n2",
                                "type",
                                "TAG",
                                "SEPARATOR",
                                ";",
                                "CASESENSITIVE"),
                        List.of("identifier", "age", "attribute", "age", "type", "NUMERIC", "SORTABLE", "NOINDEX"),
                        List.of("identifier", "v", "attribute", "v", "type", "VECTOR")),
                "num_docs",
                "1",
                "indexing",
                "0",
                "percent_indexed",
                "1");

        IndexDefinition definition = LiveIndex.fromInfoReply(reply).definition();

        assertThat(definition.prefixes()).containsExactly("p:", "q:");
        assertThat(definition.filter()).isEqualTo("@age>1");
        assertThat(definition.fields().get(0))
                .isEqualTo(new IndexField(
                        "name",
                        "name",
                        FieldType.TEXT,
                        true,
                        false,
                        null,
                        false,
                        2,
                        true,
                        null,
                        Map.of(),
                        false,
                        IndexField.PHONETIC_UNREPORTED,
                        false,
                        false,
                        false));
        assertThat(definition.fields().get(1))
                .isEqualTo(
                        new IndexField("name", "n2", FieldType.TAG, false, false, ";", true, 1, false, null, Map.of()));
        assertThat(definition.fields().get(2).sortable()).isTrue();
        assertThat(definition.fields().get(2).noIndex()).isTrue();
        assertThat(definition.fields().get(3).complete())
                .as("2.6 does not report vector parameters")
                .isFalse();
    }
}
