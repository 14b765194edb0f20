package dev.redisombatch.batch.schema;

/**
 * The live definition a desired one is compared with, by {@code create} and by {@code status} against a reference,
 * so that both see the same differences.
 */
final class LiveDefinitions {

    private LiveDefinitions() {}

    /**
     * RediSearch 2.6's FT.INFO leaves out a vector field's parameters; they are taken from the schema text kept in
     * {@code <index>:schema} when it otherwise matches.
     *
     * @param index the name asked for (an alias, perhaps), under which the schema text is kept
     */
    static IndexDefinition toCompare(String index, LiveIndex live, IndexKeys indexKeys) {
        IndexDefinition reported = live.definition();
        if (reported.fields().stream().allMatch(IndexField::complete)) {
            return reported;
        }
        return indexKeys
                .keptDefinition(index)
                .filter(definition -> definition.sameAs(reported))
                .orElseThrow(() -> new SchemaMigrationException("index " + index + " has VECTOR fields whose"
                        + " parameters FT.INFO does not report, and " + index + ":schema does not describe it;"
                        + " write this migration by hand"));
    }
}
