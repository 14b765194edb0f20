package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexDefinitionTest {

    @Test
    void theHashKeptForRedisOmIsTheSha1OfTheSchemaText() {
        // sha1sum of the recorded FT.CREATE schema text, computed outside Java
        assertThat(IndexKeys.sha1Hex(LiveIndexTest.RECORDED_USERS.schemaText()))
                .isEqualTo("a50d957865d317cd4c22dc6f60f70a34e04b5521");
    }

    @Test
    void namesAndPrefixesStayOneArgumentEachWhateverTheyHold() {
        IndexDefinition definition = new IndexDefinition(
                IndexDefinition.KeyType.HASH,
                List.of("users with space:", "x\" SCHEMA evil TEXT"),
                "@age > 1",
                List.of(IndexField.of("age", FieldType.NUMERIC)));

        assertThat(definition.createCommand("my index"))
                .containsExactly(
                        "FT.CREATE",
                        "my index",
                        "ON",
                        "HASH",
                        "PREFIX",
                        "2",
                        "users with space:",
                        "x\" SCHEMA evil TEXT",
                        "FILTER",
                        "@age > 1",
                        "SCHEMA",
                        "age",
                        "NUMERIC");
    }

    @Test
    void jsonFieldsAndVectorsRenderAsRedisOmWritesThem() {
        IndexDefinition definition = new IndexDefinition(
                IndexDefinition.KeyType.JSON,
                List.of("doc:"),
                null,
                List.of(
                        new IndexField(
                                "$.name", "name", FieldType.TAG, true, false, "|", true, 1, false, null, Map.of()),
                        new IndexField(
                                "$.bio", "bio", FieldType.TEXT, false, false, null, false, 2.5, true, null, Map.of()),
                        new IndexField(
                                null,
                                "embedding",
                                FieldType.VECTOR,
                                false,
                                false,
                                null,
                                false,
                                1,
                                false,
                                "hnsw",
                                Map.of("M", "16", "distance_metric", "COSINE", "TYPE", "FLOAT32", "DIM", "4"))));

        assertThat(definition.schemaText())
                .isEqualTo("ON JSON PREFIX 1 doc: SCHEMA"
                        + " $.name AS name TAG SEPARATOR | CASESENSITIVE SORTABLE"
                        + " $.bio AS bio TEXT WEIGHT 2.5 NOSTEM"
                        + " embedding VECTOR HNSW 8 TYPE FLOAT32 DIM 4 DISTANCE_METRIC COSINE M 16");
        assertThat(SchemaTokens.parseSchemaText(definition.schemaText())).isEqualTo(definition);
    }

    @Test
    void differencesAreListedPerFieldAndOrderOfFieldsDoesNotMatter() {
        IndexDefinition before = LiveIndexTest.RECORDED_USERS;
        List<IndexField> reordered = new ArrayList<>(before.fields());
        Collections.reverse(reordered);
        assertThat(new IndexDefinition(before.keyType(), before.prefixes(), null, reordered).sameAs(before))
                .isTrue();

        List<IndexField> changed = new ArrayList<>(before.fields());
        changed.remove(4);
        changed.add(IndexField.of("nickname", FieldType.TEXT));
        changed.set(0, IndexField.of("pk", FieldType.TEXT));
        IndexDefinition after = new IndexDefinition(before.keyType(), List.of("other:"), null, changed);

        assertThat(after.differencesFrom(before))
                .containsExactly(
                        "prefixes [:app.models.User:] -> [other:]",
                        "field age removed",
                        "field pk: type TAG -> TEXT",
                        "field pk: separator | -> null",
                        "field nickname added (TEXT)");
    }

    @Test
    void aVectorWhoseParametersAreUnknownCannotBeCreated() {
        IndexField unknown = IndexField.of("v", FieldType.VECTOR);

        assertThatThrownBy(unknown::schemaTokens).hasMessageContaining("VECTOR parameters are unknown");
    }
}
