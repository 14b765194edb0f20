package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.results.SchemaResults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code status --desired-from}: each index of the reference Redis against the live index of the same name (or
 * alias) on the target, seen as {@code create --desired-from} sees it, so an index said to differ is one create would
 * write a file for. Reads both servers, writes neither.
 */
final class ReferenceComparison {

    private final SchemaMigrations migrations;
    private final ReferenceIndexes.Reference reference;

    ReferenceComparison(SchemaMigrations migrations, ReferenceIndexes.Reference reference) {
        this.migrations = migrations;
        this.reference = reference;
    }

    /** @param limited whether {@code --index} named the indexes; else the target's own indexes are listed too */
    SchemaResults.ReferenceDrift compare(boolean limited) {
        List<SchemaResults.ReferenceIndexState> states = new ArrayList<>();
        try (SearchCommands search = migrations.openSearch()) {
            Set<String> accounted = new HashSet<>(reference.listed());
            for (IndexModel model : reference.indexes()) {
                Optional<LiveIndex> live = search.info(model.index());
                live.ifPresent(index -> accounted.add(index.name()));
                states.add(state(model, live));
            }
            for (String name : reference.absent()) {
                states.add(new SchemaResults.ReferenceIndexState(
                        name,
                        "missing-on-reference",
                        search.info(name).map(LiveIndex::name).orElse(null),
                        List.of()));
            }
            if (!limited) {
                // An index behind an alias the reference names is that index, not one the reference lacks.
                search.indexNames().stream()
                        .filter(name -> !accounted.contains(name))
                        .forEach(name -> states.add(
                                new SchemaResults.ReferenceIndexState(name, "missing-on-reference", name, List.of())));
            }
        }
        return new SchemaResults.ReferenceDrift(reference.target(), states);
    }

    private SchemaResults.ReferenceIndexState state(IndexModel model, Optional<LiveIndex> live) {
        if (live.isEmpty()) {
            return new SchemaResults.ReferenceIndexState(model.index(), "missing-on-target", null, List.of());
        }
        IndexDefinition compared = LiveDefinitions.toCompare(model.index(), live.get(), migrations.indexKeys());
        List<String> differences = model.definition().differencesFrom(compared);
        return new SchemaResults.ReferenceIndexState(
                model.index(),
                differences.isEmpty() ? "in-step" : "differs",
                live.get().name(),
                differences);
    }
}
