package dev.redisombatch.batch.support;

import dev.redisombatch.batch.RedisOmBatchApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the tool's real entry point in this JVM (no System.exit) and keeps what it printed, while still showing it:
 * {@code output} is standard output and error together, {@code stdout} the results alone.
 */
public record InProcessRun(int exitCode, String output, String stdout) {

    public static InProcessRun of(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream results = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(originalOut, new Tee(captured, results)), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        try {
            int exitCode = RedisOmBatchApplication.run(args);
            return new InProcessRun(
                    exitCode, captured.toString(StandardCharsets.UTF_8), results.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
