package io.cairn.host.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code cairn} command in a JVM of its own (the test's class path, the real plugin JAR from
 * {@code plugins/}), so that the model can kill it with SIGKILL at any moment, as a crash or an OOM kill
 * would, or stop {@code serve} with SIGTERM. Its stdout and stderr go to files kept in the run's
 * directory.
 */
final class ChildCairn implements AutoCloseable {

    /** Processes of killed children that outlived them. */
    private static final java.util.Set<ProcessHandle> ORPHANS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path out;
    private final Path err;
    private final long startedNanos = System.nanoTime();

    private ChildCairn(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code cairn --conf CONF ARGS}; output goes to {@code logs/NAME.out} and {@code .err}. */
    static ChildCairn start(Path conf, Path logs, String name, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // As the ./cairn launcher starts it: a command ends before C2 would pay off.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m",
                "-cp", System.getProperty("java.class.path"), "io.cairn.host.cli.CairnCli", "--conf", conf.toString(),
                // What the host does goes to stderr: the model times its kills from it.
                "-v"));
        command.addAll(List.of(args));
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        try {
            Files.createDirectories(logs);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            return new ChildCairn(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The processes killed children left behind that still run. */
    static java.util.List<ProcessHandle> orphansAlive() {
        return ORPHANS.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Ends (SIGKILL) every process a killed child left behind that still runs. */
    static void endOrphans() {
        ORPHANS.forEach(ProcessHandle::destroyForcibly);
        ORPHANS.clear();
    }

    /** Waits up to {@code millis} for it to end by itself; true if it did. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until its stderr contains {@code text}; false if it ended first.
     *
     * @throws AssertionError if neither happens within {@code seconds}
     */
    boolean awaitStderr(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!stderr().contains(text)) {
            if (!process.isAlive()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cairn did not log '" + text + "' within " + seconds + " s:\n" + stderr());
            }
            Thread.sleep(20);
        }
        return true;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    /**
     * SIGKILL: no shutdown hook, no finally block, no clean-up of any kind. Processes it started (the rbd
     * CLI of an rbd-cli transfer) live on, as they would after a crash; they are remembered, so that the
     * run can end any still running when it ends.
     */
    void kill() throws InterruptedException {
        process.descendants().forEach(ORPHANS::add);
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " still runs 60 s after SIGKILL");
        }
    }

    /** SIGTERM, then its exit code; fails if it does not stop within {@code seconds}. */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("cairn did not stop within " + seconds + " s of SIGTERM\n" + stderr());
        }
        return process.exitValue();
    }

    /** Seconds since it was started. */
    double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
