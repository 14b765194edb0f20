package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each FT.CREATE option this tool models, as text: the definition's FT.CREATE words read back give the same
 * definition, and a definition without the option differs from it by named lines. IndexOptionsIT does the same
 * through a real RediSearch's FT.INFO.
 */
class IndexOptionsTest {

    /** Schema texts, each with one option (or one field option) that is not the default. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "ON HASH PREFIX 1 p: LANGUAGE german SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: LANGUAGE_FIELD lang SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: SCORE 0.5 SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: SCORE_FIELD sc SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: PAYLOAD_FIELD pl SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: MAXTEXTFIELDS SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: NOOFFSETS SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: NOHL SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: NOFIELDS SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: NOFREQS SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: STOPWORDS 2 bar foo SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: STOPWORDS 0 SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: FILTER @n>1 SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT SORTABLE UNF",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT PHONETIC dm:en",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT WITHSUFFIXTRIE",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT NOINDEX",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT WEIGHT 2",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT NOSTEM",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT INDEXMISSING",
                "ON HASH PREFIX 1 p: SCHEMA t TEXT INDEXEMPTY",
                "ON HASH PREFIX 1 p: SCHEMA t TAG SEPARATOR |",
                "ON HASH PREFIX 1 p: SCHEMA t TAG SEPARATOR , CASESENSITIVE",
                "ON HASH PREFIX 1 p: SCHEMA t TAG SEPARATOR , WITHSUFFIXTRIE SORTABLE UNF",
                "ON HASH PREFIX 1 p: SCHEMA t TAG SEPARATOR , INDEXEMPTY INDEXMISSING",
                "ON HASH PREFIX 1 p: SCHEMA t NUMERIC INDEXMISSING SORTABLE NOINDEX",
                "ON HASH PREFIX 1 p: SCHEMA t GEO INDEXMISSING",
                "ON HASH PREFIX 1 p: SCHEMA t VECTOR HNSW 10 TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2 EF_RUNTIME 20 M 8"
            })
    void everyOptionIsWrittenAsReadAndDiffersFromTheDefault(String schemaText) {
        IndexDefinition definition = SchemaTokens.parseSchemaText(schemaText);

        assertThat(definition.schemaText()).isEqualTo(schemaText);
        assertThat(SchemaTokens.parseSchemaText(definition.schemaText())).isEqualTo(definition);
        IndexDefinition plain = SchemaTokens.parseSchemaText(
                schemaText.contains("VECTOR")
                        ? "ON HASH PREFIX 1 p: SCHEMA t VECTOR HNSW 6 TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2"
                        : "ON HASH PREFIX 1 p: SCHEMA t "
                                + definition.fields().get(0).type());
        assertThat(definition.differencesFrom(plain)).isNotEmpty();
    }

    @Test
    void optionsThatMeanTheDefaultCompareEqualToNone() {
        IndexDefinition plain = SchemaTokens.parseSchemaText("ON HASH SCHEMA t TEXT n NUMERIC SORTABLE");

        assertThat(SchemaTokens.parseSchemaText(
                                "ON HASH LANGUAGE English SCORE 1 SCHEMA t TEXT WEIGHT 1" + " n NUMERIC SORTABLE UNF")
                        .sameAs(plain))
                .as("english, score 1, weight 1, NUMERIC's UNF")
                .isTrue();
        assertThat(SchemaTokens.parseSchemaText("ON HASH NOOFFSETS NOHL SCHEMA t TEXT")
                        .options())
                .isEqualTo(SchemaTokens.parseSchemaText("ON HASH NOOFFSETS SCHEMA t TEXT")
                        .options());
        assertThat(SchemaTokens.parseSchemaText("ON HASH STOPWORDS 2 Foo bar SCHEMA t TEXT")
                        .options()
                        .stopwords())
                .containsExactly("bar", "foo");
    }

    @Test
    void temporaryAndUnknownWordsAreRefused() {
        assertThatThrownBy(() -> SchemaTokens.parseSchemaText("ON HASH TEMPORARY 60 SCHEMA t TEXT"))
                .hasMessageContaining("TEMPORARY");
        assertThatThrownBy(() -> SchemaTokens.parseSchemaText("ON HASH SKIPINITIALSCAN SCHEMA t TEXT"))
                .hasMessageContaining("SKIPINITIALSCAN");
        assertThatThrownBy(() -> SchemaTokens.parseSchemaText("ON HASH SCHEMA t TEXT SOMETHINGNEW"))
                .hasMessageContaining("SOMETHINGNEW");
    }

    /** RediSearch 2.6.37's FT.INFO of an index created with every option it has (recorded on this machine). */
    @Test
    void infoOfRediSearch26IsReadIntoEveryOption() {
        List<Object> reply = List.of(
                "index_name",
                "a",
                "index_options",
                List.of("NOFREQS", "NOFIELDS", "NOOFFSETS", "NOHL", "MAXTEXTFIELDS"),
                "index_definition",
                List.of(
                        "key_type",
                        "HASH",
                        "prefixes",
                        List.of("a:"),
                        "filter",
                        "@n>1",
                        "default_language",
                        "german",
                        "language_field",
                        "lang",
                        "default_score",
                        "0.5",
                        "score_field",
                        "sc",
                        "payload_field",
                        "pl"),
                "attributes",
                List.of(
                        List.of(
                                "identifier",
                                "t",
                                "attribute",
                                "t",
                                "type",
                                "TEXT",
                                "WEIGHT",
                                "2",
                                "SORTABLE",
                                "UNF",
                                "NOSTEM",
                                "WITHSUFFIXTRIE"),
                        List.of(
                                "identifier",
                                "g",
                                "attribute",
                                "g",
                                "type",
                                "TAG",
                                "SEPARATOR",
                                "|",
                                "CASESENSITIVE",
                                "SORTABLE",
                                "UNF",
                                "WITHSUFFIXTRIE"),
                        List.of("identifier", "n", "attribute", "n", "type", "NUMERIC", "SORTABLE", "NOINDEX")),
                "num_docs",
                "0",
                "indexing",
                "0",
                "percent_indexed",
                "1",
                "stopwords_list",
                List.of("bar", "foo"));
        IndexDefinition created = SchemaTokens.parseSchemaText("ON HASH PREFIX 1 a: FILTER @n>1 LANGUAGE german"
                + " LANGUAGE_FIELD lang SCORE 0.5 SCORE_FIELD sc PAYLOAD_FIELD pl MAXTEXTFIELDS NOOFFSETS NOFIELDS"
                + " NOFREQS STOPWORDS 2 foo bar SCHEMA t TEXT WEIGHT 2 NOSTEM PHONETIC dm:en WITHSUFFIXTRIE SORTABLE"
                + " UNF g TAG SEPARATOR | CASESENSITIVE WITHSUFFIXTRIE SORTABLE UNF n NUMERIC SORTABLE NOINDEX");

        LiveIndex live = LiveIndex.fromInfoReply(reply);

        assertThat(live.definition().differencesFrom(created)).isEmpty();
        assertThat(live.definition().fields().get(0).phonetic()).isEqualTo(IndexField.PHONETIC_UNREPORTED);
        assertThat(live.unmodelled()).isEmpty();
        assertThat(live.definition().phoneticMaybeLostIn(SchemaTokens.parseSchemaText("ON HASH SCHEMA t TEXT")))
                .containsExactly("t");
        assertThat(live.definition().phoneticMaybeLostIn(created))
                .as("the new definition says dm:en")
                .isEmpty();
    }

    @Test
    void whatFtInfoReportsBeyondTheModelIsNamedNotDropped() {
        List<Object> reply = List.of(
                "index_name",
                "a",
                "index_options",
                List.of("SOMEFLAG"),
                "index_definition",
                List.of("key_type", "HASH", "prefixes", List.of(""), "indexes_all", "false", "new_rule", "x"),
                "attributes",
                List.of(
                        List.of("identifier", "g", "attribute", "g", "type", "TAG", "SEPARATOR", ",", "NEWFLAG"),
                        List.of(
                                "identifier",
                                "v",
                                "attribute",
                                "v",
                                "type",
                                "VECTOR",
                                "algorithm",
                                "HNSW",
                                "data_type",
                                "FLOAT32",
                                "dim",
                                "4",
                                "distance_metric",
                                "COSINE",
                                "M",
                                "16",
                                "ef_construction",
                                "200",
                                "new_param",
                                "1")),
                "num_docs",
                "0",
                "indexing",
                "0",
                "percent_indexed",
                "1");

        LiveIndex live = LiveIndex.fromInfoReply(reply);

        assertThat(live.unmodelled())
                .containsExactlyInAnyOrder(
                        "index_definition new_rule x",
                        "index option SOMEFLAG",
                        "field g option NEWFLAG",
                        "field v vector parameter new_param 1");
        assertThat(live.definition().fields().get(1).vectorAttributes())
                .isEqualTo(Map.of(
                        "TYPE",
                        "FLOAT32",
                        "DIM",
                        "4",
                        "DISTANCE_METRIC",
                        "COSINE",
                        "M",
                        "16",
                        "EF_CONSTRUCTION",
                        "200"));
    }
}
