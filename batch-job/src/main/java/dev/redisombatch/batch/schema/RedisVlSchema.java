package dev.redisombatch.batch.schema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A RedisVL index schema file ({@code index: {name, prefix, key_separator, storage_type}} and {@code fields: [{name,
 * type, path, attrs}]}) read as the definition RedisVL's {@code SearchIndex.create()} would give the index, so a team
 * that keeps its schema in RedisVL's format writes it once. What RedisVL does, as read in redis-vl-python's
 * {@code redisvl/schema/schema.py}, {@code fields.py} and {@code index/index.py}:
 * <ul>
 * <li>the index's only key prefix is {@code prefix} as written (default {@code rvl}); {@code key_separator} only
 * joins prefix and id in the keys RedisVL writes, so it is checked but is no part of the index;</li>
 * <li>a JSON field's path defaults to {@code $.<name>}; a HASH field's path is ignored (RedisVL warns and drops it);</li>
 * <li>an HNSW vector always gets M, EF_CONSTRUCTION, EF_RUNTIME and EPSILON, defaults 16, 200, 10 and 0.01; every
 * vector gets TYPE (default FLOAT32), DIM and DISTANCE_METRIC (default COSINE).</li>
 * </ul>
 * Unlike RedisVL, an unknown key is refused at {@code file:line} rather than passed over.
 */
final class RedisVlSchema {

    private static final Set<String> TOP_KEYS = Set.of("version", "index", "fields");
    private static final Set<String> INDEX_KEYS =
            Set.of("name", "prefix", "key_separator", "storage_type", "stopwords");
    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "path", "attrs");
    private static final Set<String> COMMON_ATTRS = Set.of("sortable", "index_missing", "no_index");
    private static final Map<FieldType, Set<String>> ATTRS = Map.of(
            FieldType.TEXT,
                    union(
                            COMMON_ATTRS,
                            Set.of("weight", "no_stem", "withsuffixtrie", "phonetic_matcher", "index_empty", "unf")),
            FieldType.TAG, union(COMMON_ATTRS, Set.of("separator", "case_sensitive", "withsuffixtrie", "index_empty")),
            FieldType.NUMERIC, union(COMMON_ATTRS, Set.of("unf")),
            FieldType.GEO, COMMON_ATTRS);
    private static final Set<String> VECTOR_ATTRS = Set.of(
            "dims",
            "algorithm",
            "datatype",
            "distance_metric",
            "initial_cap",
            "index_missing",
            "block_size",
            "m",
            "ef_construction",
            "ef_runtime",
            "epsilon");
    private static final Map<String, String> HNSW_DEFAULTS =
            Map.of("M", "16", "EF_CONSTRUCTION", "200", "EF_RUNTIME", "10", "EPSILON", "0.01");

    private RedisVlSchema() {}

    /** A RedisVL schema has {@code index} as a mapping; this tool's model file has it as the index's name. */
    static boolean isOne(YamlMapping yaml) {
        return yaml.isMapping("index");
    }

    static IndexModel read(YamlMapping yaml, Path file) {
        yaml.onlyKeys(TOP_KEYS);
        YamlMapping index = yaml.mapping("index").onlyKeys(INDEX_KEYS);
        String name = index.string("name");
        List<String> prefixes = index.has("prefix") ? index.oneOrList("prefix") : List.of("rvl");
        index.string("key_separator", ":");
        IndexDefinition.KeyType keyType = storageType(index);
        IndexOptions.Builder options = IndexOptions.builder();
        if (index.has("stopwords")) {
            options.stopwords(index.stringList("stopwords"));
        }
        List<YamlMapping> fieldMappings = yaml.mappingList("fields");
        if (fieldMappings.isEmpty()) {
            throw yaml.problemAt("fields", "fields: a RedisVL schema needs at least one field");
        }
        Set<String> names = new HashSet<>();
        List<IndexField> fields = new ArrayList<>();
        for (YamlMapping field : fieldMappings) {
            IndexField read = field(field.onlyKeys(FIELD_KEYS), keyType);
            if (!names.add(read.name())) {
                throw field.problemAt("name", "two fields are named " + read.name());
            }
            fields.add(read);
        }
        return new IndexModel(
                name, new IndexDefinition(keyType, prefixes, null, options.build(), fields), Optional.empty(), file);
    }

    private static IndexDefinition.KeyType storageType(YamlMapping index) {
        String storage = index.string("storage_type", "hash");
        return switch (storage.toLowerCase(Locale.ROOT)) {
            case "hash" -> IndexDefinition.KeyType.HASH;
            case "json" -> IndexDefinition.KeyType.JSON;
            default -> throw index.problemAt("storage_type", "storage_type " + storage + ": expected hash or json");
        };
    }

    private static IndexField field(YamlMapping yaml, IndexDefinition.KeyType keyType) {
        String name = yaml.string("name");
        String typeName = yaml.string("type");
        FieldType type;
        try {
            type = SchemaTokens.fieldType(typeName, name);
        } catch (IllegalArgumentException e) {
            throw yaml.problemAt(
                    "type", "field " + name + ": type " + typeName + ", expected text, tag, numeric, geo or vector");
        }
        String path = keyType == IndexDefinition.KeyType.JSON ? yaml.string("path", "$." + name) : null;
        YamlMapping attrs = yaml.mapping("attrs");
        if (type == FieldType.VECTOR) {
            if (attrs == null) {
                throw yaml.problemAt("name", "field " + name + ": a vector needs attrs with algorithm and dims");
            }
            return vector(path, name, attrs.onlyKeys(VECTOR_ATTRS));
        }
        if (attrs == null) {
            return new IndexField(path, name, type, false, false, null, false, 1.0, false, null, Map.of());
        }
        YamlMapping a = attrs.onlyKeys(ATTRS.get(type));
        String phonetic = a.string("phonetic_matcher", null);
        return new IndexField(
                path,
                name,
                type,
                a.flag("sortable"),
                a.flag("no_index"),
                a.string("separator", null),
                a.flag("case_sensitive"),
                a.number("weight", 1.0),
                a.flag("no_stem"),
                null,
                Map.of(),
                a.flag("unf"),
                phonetic,
                a.flag("withsuffixtrie"),
                a.flag("index_missing"),
                a.flag("index_empty"));
    }

    private static IndexField vector(String path, String name, YamlMapping attrs) {
        String algorithm = attrs.string("algorithm").toUpperCase(Locale.ROOT);
        if (!algorithm.equals("FLAT") && !algorithm.equals("HNSW")) {
            throw attrs.problemAt(
                    "algorithm",
                    "field " + name + ": algorithm " + attrs.string("algorithm")
                            + ", expected flat or hnsw (RediSearch before 8.2 has no other)");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("TYPE", attrs.string("datatype", "float32").toUpperCase(Locale.ROOT));
        String dims = attrs.string("dims");
        if (!dims.matches("[1-9][0-9]*")) {
            throw attrs.problemAt("dims", "field " + name + ": dims " + dims + ", expected a whole number above 0");
        }
        attributes.put("DIM", dims);
        attributes.put(
                "DISTANCE_METRIC", attrs.string("distance_metric", "cosine").toUpperCase(Locale.ROOT));
        if (attrs.has("initial_cap")) {
            attributes.put("INITIAL_CAP", attrs.string("initial_cap"));
        }
        if (algorithm.equals("FLAT")) {
            refuseOtherAlgorithmsAttrs(attrs, name, algorithm, Set.of("m", "ef_construction", "ef_runtime", "epsilon"));
            if (attrs.has("block_size")) {
                attributes.put("BLOCK_SIZE", attrs.string("block_size"));
            }
        } else {
            refuseOtherAlgorithmsAttrs(attrs, name, algorithm, Set.of("block_size"));
            HNSW_DEFAULTS.forEach(
                    (key, fallback) -> attributes.put(key, attrs.string(key.toLowerCase(Locale.ROOT), fallback)));
        }
        return new IndexField(
                path,
                name,
                FieldType.VECTOR,
                false,
                false,
                null,
                false,
                1.0,
                false,
                algorithm,
                attributes,
                false,
                null,
                false,
                attrs.flag("index_missing"),
                false);
    }

    private static void refuseOtherAlgorithmsAttrs(
            YamlMapping attrs, String name, String algorithm, Set<String> others) {
        for (String key : others) {
            if (attrs.has(key)) {
                throw attrs.problemAt(key, "field " + name + ": " + key + " is no attribute of " + algorithm);
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
