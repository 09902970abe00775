package io.cairn.devtools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.process.ChildProcesses;
import io.cairn.devtools.process.Command;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code ./cairn --conf DIR ...} as the demo runs it: each command a new process, exactly as an operator
 * types it, so the demo shows the product and nothing else. What a command prints for people (progress,
 * notes, serve's log) goes to the demo's stderr; its {@code --json} output is read back for the report.
 */
final class CairnCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path launcher;
    private final Path conf;
    private final ChildProcesses children;
    private final Duration timeout;
    private final PrintStream err;

    CairnCommands(Path launcher, Path conf, ChildProcesses children, Duration timeout, PrintStream err) {
        this.launcher = launcher;
        this.conf = conf;
        this.children = children;
        this.timeout = timeout;
        this.err = err;
    }

    /** Shows the command, runs it with {@code --json} and returns what it printed. */
    JsonNode json(String... args) {
        err.println("demo: $ cairn " + String.join(" ", args));
        String out = Command.of(argv(args, "--json")).timeout(timeout).inheritStderr().in(children).runOrThrow();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("cairn " + String.join(" ", args) + " printed no JSON: " + out, e);
        }
    }

    /**
     * Starts {@code cairn serve}. What it logs about firings, backups and retention is shown on the demo's
     * stderr, each line marked {@code serve|}; its other INFO lines are left out.
     */
    Serve serve() {
        err.println("demo: $ cairn serve");
        ProcessBuilder builder = new ProcessBuilder(argv(new String[] {"serve"}))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            return new Serve(children.start(builder), err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + launcher + ": " + e.getMessage(), e);
        }
    }

    /** A running {@code cairn serve}. */
    static final class Serve {

        /** Lines worth a demo viewer's time: the host's own, problems, backups made and pruned. */
        private static final Pattern SHOWN = Pattern.compile(
                "^cairn:| WARN | ERROR |ScheduleFiring: .* is available|RetentionPruner: .*deleted backup");

        private final Process process;
        private final Thread log;

        private Serve(Process process, PrintStream err) {
            this.process = process;
            this.log = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (SHOWN.matcher(line).find()) {
                            err.println("  serve| " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // serve ended
                }
            }, "serve-log");
            log.setDaemon(true);
            log.start();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        int exitValue() {
            return process.exitValue();
        }

        /**
         * SIGTERM, as an operator stops it, and its exit code; SIGKILL when it has not exited within {@code limit}.
         *
         * @throws IllegalStateException when it had to be killed
         */
        int stop(Duration limit) {
            // Through the handle: Process.destroy() would also close our end of its stderr, losing what
            // serve logs while it stops.
            process.toHandle().destroy();
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IllegalStateException("cairn serve did not exit within " + limit.toSeconds()
                            + " s of SIGTERM; killed it");
                }
                log.join(Duration.ofSeconds(5).toMillis());
                return process.exitValue();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping cairn serve", e);
            }
        }
    }

    private List<String> argv(String[] args, String... extra) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), "--conf", conf.toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of(extra));
        return argv;
    }
}
