package io.cairn.host.testing;

import io.cairn.ceph.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./cairn --conf DIR ...} command as a separate process, as an operator runs it, that tests can
 * freeze (SIGSTOP), thaw (SIGCONT) and kill (SIGKILL). The launcher {@code exec}s the JVM, so the process is
 * the JVM itself.
 */
public final class CairnProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;
    private final long started = System.nanoTime();

    private CairnProcess(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code ./cairn --conf CONF ARGS}; output goes to files in {@code logs}. */
    public static CairnProcess start(TestConf conf, Path logs, String... args) {
        List<String> command = new ArrayList<>(List.of(TestCluster.projectRoot().resolve("cairn").toString(), "--conf",
                conf.dir().toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            Path out = Files.createTempFile(logs, args[0] + "-", ".out");
            Path err = Files.createTempFile(logs, args[0] + "-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new CairnProcess(command, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end (at most {@code limit}) and returns it, ended. */
    public static CairnProcess run(TestConf conf, Path logs, Duration limit, String... args) {
        CairnProcess process = start(conf, logs, args);
        process.awaitExit(limit);
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the end; fails the test (and kills the process) when it takes longer than {@code limit}. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`cairn " + String.join(" ", command.subList(3, command.size()))
                        + "` did not end within " + limit + "\n" + this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** From start to end (or to now, while it runs). */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    public String out() {
        return read(out);
    }

    public String err() {
        return read(err);
    }

    /** SIGSTOP: the process stays, holding whatever it holds, and does nothing - as a hung or paused host. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    /** SIGKILL, and wait for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            thawQuietly();
            kill();
        }
    }

    private void thawQuietly() {
        try {
            thaw();
        } catch (RuntimeException ignored) {
            // SIGKILL ends a stopped process too.
        }
    }

    @Override
    public String toString() {
        return "cairn " + String.join(" ", command.subList(3, command.size())) + " (pid " + process.pid() + ")"
                + (process.isAlive() ? ", running" : ", exit " + process.exitValue()) + "\n--- stdout\n" + out()
                + "--- stderr\n" + err();
    }
}
