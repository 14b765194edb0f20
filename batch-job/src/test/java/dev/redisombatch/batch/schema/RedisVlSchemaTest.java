package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RedisVL schema files in {@code models/}, read with the meaning RedisVL gives them. */
class RedisVlSchemaTest {

    /** A RedisVL document index as its docs show one: hash storage, every field type, HNSW with defaults. */
    static final String DOCS_HASH = """
            version: '0.1.0'
            index:
              name: rvl-docs
              prefix: rvl-doc
              key_separator: ":"
              storage_type: hash
            fields:
              - name: title
                type: text
                attrs: {weight: 2, no_stem: true, sortable: true, unf: true, withsuffixtrie: true}
              - name: tags
                type: tag
                attrs: {separator: "|", case_sensitive: true}
              - name: year
                type: numeric
                attrs: {sortable: true}
              - name: where
                type: geo
              - name: embedding
                type: vector
                attrs: {algorithm: hnsw, dims: 4, distance_metric: l2}
            """;

    @TempDir
    Path root;

    @Test
    void aHashSchemaGivesTheIndexRedisVlCreates() throws Exception {
        write("docs.yaml", DOCS_HASH);

        IndexModel model = SchemaFiles.models(root).get(0);

        assertThat(model.index()).isEqualTo("rvl-docs");
        assertThat(model.mode()).isEmpty();
        assertThat(model.definition().schemaText())
                .isEqualTo("ON HASH PREFIX 1 rvl-doc SCHEMA"
                        + " title TEXT WEIGHT 2 NOSTEM WITHSUFFIXTRIE SORTABLE UNF"
                        + " tags TAG SEPARATOR | CASESENSITIVE year NUMERIC SORTABLE where GEO"
                        + " embedding VECTOR HNSW 14 TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2 EF_CONSTRUCTION 200 EF_RUNTIME 10"
                        + " EPSILON 0.01 M 16");
    }

    @Test
    void aJsonSchemaGetsDollarPathsAndDefaults() throws Exception {
        write("users.yaml", """
                index: {name: user-index, prefix: [user, member], storage_type: json, stopwords: []}
                fields:
                  - {name: user, type: tag}
                  - {name: city, type: text, path: $.address.city, attrs: {phonetic_matcher: "dm:en"}}
                  - {name: embedding, type: vector, attrs: {algorithm: flat, dims: 3, block_size: 100}}
                """);

        IndexDefinition definition = SchemaFiles.models(root).get(0).definition();

        assertThat(definition.schemaText())
                .isEqualTo(
                        "ON JSON PREFIX 2 user member STOPWORDS 0 SCHEMA"
                                + " $.user AS user TAG SEPARATOR , $.address.city AS city TEXT PHONETIC dm:en"
                                + " $.embedding AS embedding VECTOR FLAT 8 TYPE FLOAT32 DIM 3 DISTANCE_METRIC COSINE BLOCK_SIZE 100");
    }

    @Test
    void defaultsAreRedisVlsPrefixRvlAndHashStorage() throws Exception {
        write("min.yaml", "index: {name: m}\nfields: [{name: a, type: numeric}]\n");

        IndexDefinition definition = SchemaFiles.models(root).get(0).definition();

        assertThat(definition.keyType()).isEqualTo(IndexDefinition.KeyType.HASH);
        assertThat(definition.prefixes()).containsExactly("rvl");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "3|  - {name: a, type: txt}|type txt, expected text, tag, numeric, geo or vector",
                "3|  - {name: a, type: text, attrs: {separator: x}}|unknown key separator",
                "3|  - {name: a, type: vector, attrs: {algorithm: svs-vamana, dims: 4}}|algorithm svs-vamana",
                "3|  - {name: a, type: vector, attrs: {algorithm: flat, dims: four}}|dims four",
                "3|  - {name: a, type: vector, attrs: {algorithm: flat, dims: 4, m: 8}}|m is no attribute of FLAT",
                "3|  - {name: a, type: tag, attrs: {sortable: yes please}}|sortable: expected true or false",
                "3|  - {name: a, type: vector}|a vector needs attrs"
            })
    void aBadFieldIsNamedAtItsLine(int line, String field, String problem) throws Exception {
        Path file = write("bad.yaml", "index: {name: x, prefix: x}\nfields:\n" + field + "\n");

        assertThatThrownBy(() -> SchemaFiles.models(root))
                .isInstanceOf(SchemaFileException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void aBadIndexSectionIsNamedAtItsLine() throws Exception {
        Path file = write("bad.yaml", "index:\n  name: x\n  storage_type: redis\nfields: [{name: a, type: tag}]\n");

        assertThatThrownBy(() -> SchemaFiles.models(root))
                .hasMessageStartingWith(file + ":3: ")
                .hasMessageContaining("storage_type redis: expected hash or json");
    }

    private Path write(String name, String text) throws Exception {
        Path models = Files.createDirectories(root.resolve(SchemaFiles.MODELS_FOLDER));
        return Files.writeString(models.resolve(name), text);
    }
}
