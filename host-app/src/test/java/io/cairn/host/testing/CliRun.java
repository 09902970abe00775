package io.cairn.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.host.cli.CairnCli;
import io.cairn.host.cli.CliEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI in this JVM, as {@code ./cairn --conf DIR ARGS} would, and keeps exit code and output.
 *
 * @param exitCode the exit code
 * @param out      what went to stdout
 * @param err      what went to stderr
 */
public record CliRun(int exitCode, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stdout of a command that must have succeeded (exit 0, else the test fails showing the run), as JSON. */
    public static JsonNode json(CliRun run) throws IOException {
        org.junit.jupiter.api.Assertions.assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out());
    }

    public static CliRun of(TestConf conf, String... args) {
        List<String> all = new ArrayList<>(List.of("--conf", conf.dir().toString()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    /** Without {@code --conf}: the arguments exactly as given. */
    public static CliRun raw(String... args) {
        return withEnv(Map.of(), args);
    }

    public static CliRun withEnv(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = CairnCli.execute(new CliEnvironment(outStream, errStream, env, false), args);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
