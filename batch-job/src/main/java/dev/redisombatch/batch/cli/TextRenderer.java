package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.SkippedKeys;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.results.ChangeExample;
import dev.redisombatch.batch.results.CopyComparisonFindings;
import dev.redisombatch.batch.results.CopyOutcome;
import dev.redisombatch.batch.results.DataCheckFindings;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.results.FollowOutcome;
import dev.redisombatch.batch.results.Result;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.results.SchemaResults;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Results as lines of text for a person; {@link JsonRenderer} gives the same for programs. */
final class TextRenderer implements Result.Renderer {

    private final PrintStream out;

    TextRenderer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void create(Results.Create create) {
        out.println("created " + create.id() + " in " + create.source() + ", registered in "
                + create.registration() + "; build it with: mvn -B package -f " + create.project()
                + " (migration-api is in " + create.installedApi() + "), then pass the jar with"
                + " --migrations.jars");
    }

    @Override
    public void demo(Results.Demo demo) {
        out.printf(
                Locale.ROOT,
                "wrote %d demo %ss under %s in %.1f s%n",
                demo.written(),
                demo.model(),
                demo.keyPattern(),
                demo.seconds());
    }

    @Override
    public void worker(Results.Worker worker) {
        out.printf(
                Locale.ROOT,
                "worker on %s: %d partition(s) completed, %d ended otherwise, %d request(s)"
                        + " dropped (their partition or job no longer running)%n",
                worker.target(),
                worker.completed(),
                worker.notCompleted(),
                worker.dropped());
    }

    @Override
    public void schemaCreated(SchemaResults.Created created) {
        created.notes().forEach(out::println);
        created.written().forEach(file -> out.println("wrote " + file));
    }

    @Override
    public void rollback(Results.Rollback rollback) {
        data(rollback.outcome());
    }

    @Override
    public void migrate(Results.Migrate migrate) {
        if (migrate.copy() != null) {
            copy(migrate.copy(), migrate.follow() != null);
        }
        schemaRun(migrate.schema());
        migrate.data().forEach(this::data);
        migrate.waiting().forEach(why -> out.println("skipped, stays pending: " + why));
        if (migrate.data().isEmpty()
                && migrate.schema().migrations().isEmpty()
                && migrate.schema().waiting().isEmpty()
                && migrate.failure() == null) {
            out.println("nothing pending on " + migrate.redis());
        }
        if (migrate.follow() != null) {
            follow(migrate.follow());
        }
    }

    /** @param followed whether the run went on to follow the source: it says itself what may be missing */
    private void copy(CopyOutcome copy, boolean followed) {
        if (copy.alreadyCopied()) {
            out.println("copy of " + copy.source() + " to " + copy.target() + ": done earlier, not copied again");
            if (!followed) {
                out.println(
                        copy.sourceChanges() == null
                                ? "  whether the source changed since the target last held all of it ("
                                        + copy.changesSince()
                                        + ") cannot be told: it restarted, saved an RDB or moved slots since"
                                : copy.sourceChanges() == 0
                                        ? "  the source has not changed since the target last held all of it ("
                                                + copy.changesSince() + ")"
                                        : "  the source changed " + copy.sourceChanges() + " times since the target"
                                                + " last held all of it (" + copy.changesSince() + "): those changes"
                                                + " are not on the target");
            }
            return;
        }
        out.printf(
                Locale.ROOT,
                "copy of %s to %s: %s; this execution read %d keys and wrote %d (%d gone from the source before"
                        + " they were read)%n",
                copy.source(),
                copy.target(),
                copy.completed() ? "complete" : "not complete",
                copy.read(),
                copy.written(),
                copy.gone());
        if (copy.completed() && !followed) {
            out.println(
                    copy.sourceChanges() == null
                            ? "  the source restarted, saved an RDB or moved slots during the copy: whether it changed meanwhile"
                                    + " cannot be told (changes are not followed)"
                            : copy.sourceChanges() == 0
                                    ? "  the source did not change during the copy: every key was copied as the source holds it"
                                    : "  the source changed " + copy.sourceChanges() + " times during the copy"
                                            + " (writes, expiries, evictions): those to keys already copied are not"
                                            + " on the target");
        }
    }

    private void follow(FollowOutcome follow) {
        out.printf(
                Locale.ROOT,
                "followed the source from %s to %s: %d changes heard; %d keys copied again (%d conversions by the migrations%s),"
                        + " %d deleted; at the stop %d keys waited, the oldest for %d ms; %s%n",
                follow.from(),
                follow.to(),
                follow.noticed(),
                follow.copied(),
                follow.converted(),
                follow.skipped() == 0
                        ? ""
                        : ", " + follow.skipped() + " skipped, left as the source holds them: XRANGE"
                                + " redis-om-batch:skipped:<id> - + on the target lists them",
                follow.deleted(),
                follow.waitingAtStop(),
                follow.lagAtStopMillis(),
                follow.unwritten() == 0 ? "all written" : follow.unwritten() + " not written");
        if (follow.inStep()) {
            out.println("  the target holds every change the source made while followed");
            return;
        }
        follow.gaps().forEach(gap -> out.println("  the target may differ from the source: " + gap));
    }

    private void data(DataMigrationOutcome outcome) {
        String verb = switch (outcome.direction()) {
            case APPLY -> "applied";
            case ROLLBACK -> "rolled back";
            case REWALK -> "walked again";
        };
        String status = !outcome.completed()
                ? outcome.status()
                : outcome.dryRun() ? "dry run complete" : outcome.leftPending() ? "left pending" : verb;
        DocumentCounts counts = outcome.counts();
        out.printf(
                Locale.ROOT,
                "%s: %s (%sexecution %d): %s%s%n",
                outcome.migrationId(),
                outcome.madeDuringCopy() ? status + " on the way, as the documents were copied" : status,
                outcome.madeDuringCopy() ? "copy " : "",
                outcome.executionId(),
                counts(counts, outcome.dryRun(), outcome.unfinished()),
                counts.skipped() > 0 && !outcome.dryRun()
                        ? " (XRANGE " + SkippedKeys.streamKey(outcome.migrationId()) + " - + lists them)"
                        : "");
        if (outcome.leftPending()) {
            out.println("  matched no key at all, so it stays pending and runs once such keys exist: check the key"
                    + " patterns and the database number (--allow-empty marks it applied anyway)");
        } else if (outcome.completed() && counts.read() == 0) {
            out.println("  matched no key at all: check the key patterns and the database number");
        }
        for (ChangeExample example : outcome.examples()) {
            out.println("  e.g. " + example.key() + ": " + example.before() + " -> "
                    + (example.after() == null ? "deleted" : example.after())
                    + (example.fieldExpiry().isEmpty() ? "" : ", " + example.fieldExpiry()));
        }
    }

    /**
     * @param unfinished documents read in pages left unfinished ({@link DataMigrationOutcome#unfinished()}); 0 for a
     *     record (one written by an older version or another tool may lack a count, and is not taken for them)
     */
    static String counts(DocumentCounts counts, boolean dryRun, long unfinished) {
        return String.format(
                Locale.ROOT,
                "%d read, %d %s, %d unchanged, %d skipped (%d conflict), %d gone%s",
                counts.read(),
                counts.changed(),
                dryRun ? "would change" : "changed",
                counts.unchanged(),
                counts.skipped(),
                counts.conflict(),
                counts.gone(),
                // Said, so that the counts add up: read = changed + unchanged + skipped + gone + these.
                unfinished > 0 ? ", " + unfinished + " in pages left unfinished (read again by the next run)" : "");
    }

    @Override
    public void status(Results.Status status) {
        if (status.copy() != null) {
            out.println(
                    status.copy().lost() != null
                            ? "COPY     of " + status.copy().source() + ", completed at "
                                    + status.copy().completedAt()
                                    + ", then found lost at " + status.copy().lost()
                                    + ": flush the target and copy again"
                            : status.copy().complete()
                                    ? "COPY     of " + status.copy().source()
                                            + ("migrated".equals(status.copy().keys())
                                                    ? " (migrated documents only)"
                                                    : "")
                                            + ", completed at " + status.copy().completedAt()
                                            + (status.copy().inStepAt() == null
                                                    ? ""
                                                    : "; in step with it as of "
                                                            + status.copy().inStepAt() + " (a follow's clean end)")
                                    : "COPY     of " + status.copy().source() + ", started at "
                                            + status.copy().startedAt()
                                            + ", not complete: migrateData with the same --redis.url and --target.url"
                                            + " resumes it");
        }
        for (Results.DataMigrationState state : status.data()) {
            StringBuilder line =
                    new StringBuilder(String.format("%-8s %s", state.state().toUpperCase(Locale.ROOT), state.id()));
            AppliedRecord record = state.record();
            if (record != null) {
                line.append("  ").append(record.how()).append(" at ").append(record.appliedAt());
                if (!record.how().equals("stamped")) {
                    line.append(String.format(
                            Locale.ROOT,
                            ", %.1f s, %s",
                            record.durationMillis() / 1000.0,
                            counts(record.counts(), false, 0)));
                }
            } else if (state.appliedByAnotherTool()) {
                // Only Redis OM's set of applied ids says so: which of these made it so, the data cannot tell.
                line.append("  (in Redis OM's applied set, no record of this tool's: applied by another tool, copied"
                        + " from another Redis, or the record deleted)");
            }
            if (state.codeChanged()) {
                line.append("  [code or configuration changed since it was applied]");
            }
            if (!state.known()) {
                line.append("  (its code is not on the classpath)");
            }
            if (state.details() != null) {
                line.append(String.format(
                        "%n         %s; depends on %s; canRun %s; down %s",
                        state.details().description(),
                        state.details().dependencies(),
                        state.details().canRun(),
                        state.details().hasDown() ? "yes" : "no"));
            }
            out.println(line);
        }
        status.unfinished().forEach(this::unfinished);
        if (status.jobRepositoryInUse() != null) {
            out.println(status.jobRepositoryInUse());
        }
        if (status.schema() != null) {
            schemaStatus(status.schema());
        }
        // An unfinished run of a migration loaded here (a rollback stopped part way, say) is shown above; only one of
        // a migration this command's options did not load needs that run's options to be seen.
        Set<String> loadedHere = status.data().stream()
                .filter(Results.DataMigrationState::known)
                .map(Results.DataMigrationState::id)
                .collect(Collectors.toSet());
        long unfinishedElsewhere = status.unfinished().stream()
                .filter(Results.UnfinishedRun::resumable)
                .filter(run -> !loadedHere.contains(run.migrationId()))
                .count();
        if (!status.pending().isEmpty()) {
            out.println(status.pending().size() + " pending");
        } else if (unfinishedElsewhere > 0 || status.jobRepositoryInUse() != null) {
            out.println("nothing pending among the migrations loaded here, but a run is unfinished or in progress:"
                    + " give the options of that run (--datetime.*, --migrations.jars) to see its migrations");
        } else {
            out.println("nothing pending");
        }
    }

    private void unfinished(Results.UnfinishedRun run) {
        out.printf(
                Locale.ROOT,
                "unfinished %s run of %s (%s, generation %d): execution %d %s since %s, %d/%d"
                        + " partitions complete, about %.0f%% walked; %s%n",
                run.kind(),
                run.migrationId(),
                run.mode(),
                run.generation(),
                run.executionId(),
                run.status(),
                run.started(),
                run.partitionsComplete(),
                run.partitions(),
                100 * run.fractionWalked(),
                run.inProgress() != null
                        ? "it " + run.inProgress()
                        : run.resumable() ? "the same command resumes it" : run.whyNotResumable());
    }

    @Override
    public void verify(Results.Verify verify) {
        for (Results.Verified verified : verify.migrations()) {
            switch (verified.checksum()) {
                case "changed" ->
                    out.println(verified.id() + ": its code or configuration changed since it was"
                            + " applied (checksum "
                            + verified.recordedChecksum().substring(0, 12) + " now "
                            + verified.currentChecksum().substring(0, 12) + ")");
                case "none recorded" ->
                    out.println(verified.id() + ": applied without a checksum (by Redis OM, or"
                            + " before checksums were kept)");
                case "no code" ->
                    out.println(verified.id() + ": applied; its code is not on the classpath, nothing" + " to compare");
                default -> out.println(verified.id() + ": checksum matches");
            }
            DataCheckFindings data = verified.data();
            if (data != null) {
                out.println(
                        data.clean()
                                ? verified.id() + ": " + data.documents() + " documents checked, none left"
                                        + " to migrate"
                                : verified.id() + ": " + data.documents() + " documents checked, "
                                        + data.wouldChange() + " would still change, " + data.rejected()
                                        + " rejected; e.g. "
                                        + data.examples());
            }
        }
        if (verify.copy() != null) {
            copyComparison(verify.copy());
        }
        out.println(verify.problems() == 0 ? "verify: clean" : "verify: " + verify.problems() + " problem(s)");
    }

    private void copyComparison(CopyComparisonFindings copy) {
        out.println("copy of " + copy.source() + " on " + copy.target() + ": " + copy.compared()
                + " source keys compared"
                + (copy.sampled() ? " (--sample: the first of each master)" : "") + ", " + copy.equal() + " equal, "
                + (copy.compared() - copy.equal()) + " differ");
        CopyComparisonFindings.Examples examples = copy.examples();
        differences(copy.missingOnTarget(), "missing on the target", examples.missingOnTarget());
        differences(copy.valueDiffers(), "with another value (or type) on the target", examples.valueDiffers());
        differences(copy.ttlDiffers(), "with another expiry on the target (by more than 2 s)", examples.ttlDiffers());
        if (copy.extraOnTarget() == null) {
            out.println("  keys only on the target: not looked for (--sample)");
        } else {
            differences(
                    copy.extraOnTarget(),
                    "key(s) only on the target (deleted on the source, or never there)",
                    examples.extraOnTarget());
        }
    }

    private void differences(long count, String what, List<String> examples) {
        if (count > 0) {
            out.println("  " + count + " " + what + "; e.g. " + examples);
        }
    }

    @Override
    public void stamp(Results.Stamp stamp) {
        stamp.stamped().forEach(id -> out.println(id + ": stamped as applied (nothing was run)"));
        stamp.alreadyApplied().forEach(id -> out.println(id + ": already applied, nothing to stamp"));
        if (stamp.stamped().isEmpty() && stamp.alreadyApplied().isEmpty()) {
            out.println("nothing to stamp: nothing pending");
        }
    }

    @Override
    public void repair(Results.Repair repair) {
        repair.checksums()
                .forEach(repaired -> out.println(repaired.id() + ": checksum re-baselined to the code at"
                        + " hand (" + repaired.before().substring(0, 12) + " when applied, "
                        + repaired.after().substring(0, 12)
                        + " now)"));
        repair.unfinished().forEach(this::unfinished);
        // A run still walking in its process is never abandoned (its process records its own end).
        long running = repair.unfinished().stream()
                .filter(run -> run.inProgress() != null)
                .count();
        long idle = repair.unfinished().size() - running;
        if (repair.unfinished().isEmpty()) {
            out.println("no unfinished runs");
        } else if (repair.abandoned() > 0) {
            out.println(repair.abandoned() + " run(s) marked abandoned: none of them will be resumed"
                    + (running == 0 ? "" : "; " + running + " still running, left alone"));
        } else if (idle == 0) {
            out.println(running + " run(s) still running: --abandon leaves them alone");
        } else {
            out.println(idle + " unfinished run(s); --abandon marks them abandoned"
                    + (running == 0 ? "" : "; " + running + " more still running, which it leaves alone"));
        }
    }

    @Override
    public void schemaRun(SchemaResults.Run run) {
        for (SchemaResults.Outcome outcome : run.migrations()) {
            outcome.dryRunCommands().forEach(out::println);
            if (outcome.dryRunCommands().isEmpty()) {
                out.println(outcome.id() + ": " + outcome.status() + " (index " + outcome.index() + ", "
                        + outcome.mode() + ")");
            }
        }
        run.waiting().forEach(why -> out.println("schema migration stays pending: " + why));
        if (run.stillPending() > 0) {
            out.println(run.stillPending() + " schema migration(s) still pending");
        }
    }

    @Override
    public void schemaStatus(SchemaResults.Status status) {
        out.printf(
                "schema migrations in %s: %d, %d applied, %d pending%n",
                status.folder(),
                status.migrations().size(),
                status.migrations().size() - status.pending(),
                status.pending());
        for (SchemaResults.FileState file : status.migrations()) {
            out.printf(
                    "  %-8s %s  %s%s%n",
                    file.applied() ? "applied" : "pending",
                    file.id(),
                    file.index(),
                    file.edited() ? "  [file edited since it was applied: checksum differs]" : "");
        }
        status.appliedWithoutFile().forEach(id -> out.printf("  applied  %s  (no file here)%n", id));
        for (SchemaResults.IndexState index : status.indexes()) {
            String line = switch (index.state()) {
                case "in-sync" ->
                    "in sync with " + index.lastApplied() + " (index " + index.liveIndex() + ", " + index.documents()
                            + " documents" + (index.stillIndexing() ? ", still indexing" : "") + ")";
                case "missing" -> "DRIFT: no such index (dropped by hand?)";
                case "drift" -> "DRIFT from " + index.lastApplied() + ": " + String.join("; ", index.differences());
                default -> "unknown: " + String.join("; ", index.differences());
            };
            out.printf("index %s: %s%n", index.index(), line);
        }
        if (status.reference() != null) {
            referenceDrift(status.reference());
        }
    }

    private void referenceDrift(SchemaResults.ReferenceDrift drift) {
        out.printf("indexes against the reference %s (--desired-from):%n", drift.reference());
        for (SchemaResults.ReferenceIndexState index : drift.indexes()) {
            String line = switch (index.state()) {
                case "in-step" -> "in step" + behind(index);
                case "differs" ->
                    "DIFFERS" + behind(index) + ": " + String.join("; ", index.differences())
                            + " (target -> reference)";
                case "missing-on-target" -> "MISSING on the target (only the reference has it)";
                default ->
                    "missing on the reference"
                            + (index.liveIndex() == null ? " (and on the target)" : " (only the target has it)");
            };
            out.printf("  index %s: %s%n", index.index(), line);
        }
    }

    /** The live index an alias points at, when it is not the index of that name. */
    private static String behind(SchemaResults.ReferenceIndexState index) {
        return index.index().equals(index.liveIndex()) ? "" : " (live index " + index.liveIndex() + ")";
    }
}
