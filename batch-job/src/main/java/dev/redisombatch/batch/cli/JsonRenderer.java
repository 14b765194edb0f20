package dev.redisombatch.batch.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.results.Result;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Results as one JSON document on standard output (logs go to standard error), for programs: docs/json-output.md
 * describes the format, which only grows. Numbers are numbers; a failure is {@code {"kind", "exitCode", "message"}}.
 */
final class JsonRenderer {

    /** Bumped only when a field changes meaning or goes away. */
    static final int FORMAT_VERSION = 1;

    private final PrintStream out;
    private final JsonMapper mapper;

    JsonRenderer(PrintStream out) {
        this.out = out;
        SimpleModule failures = new SimpleModule()
                .addSerializer(RedisOmBatchException.class, new ValueSerializer<RedisOmBatchException>() {
                    @Override
                    public void serialize(
                            RedisOmBatchException failure, JsonGenerator json, SerializationContext context) {
                        json.writeStartObject();
                        json.writeStringProperty(
                                "kind", failure.failure().name().toLowerCase(Locale.ROOT));
                        json.writeNumberProperty("exitCode", failure.failure().exitCode());
                        json.writeStringProperty("message", Redaction.mask(failure.getMessage()));
                        json.writeEndObject();
                    }
                });
        this.mapper = JsonMapper.builder()
                .addModule(failures)
                .addMixIn(DataMigrationOutcome.class, OutcomeWithUnfinished.class)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    /** An outcome's components, and what it read in pages left unfinished, which a program would else work out. */
    private abstract static class OutcomeWithUnfinished {
        @JsonProperty("unfinished")
        abstract long unfinished();
    }

    /** A job that failed before it had a result (a bad option, an unreachable Redis, a plan refused). */
    void renderFailure(String job, RedisOmBatchException failure) {
        write(job, "failure", failure);
    }

    void render(String job, Result result) {
        write(job, "result", result);
    }

    private void write(String job, String name, Object value) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("formatVersion", FORMAT_VERSION);
        document.put("job", job);
        document.put(name, value);
        out.println(mapper.writeValueAsString(document));
    }
}
