package io.cairn.host.testing;

import io.cairn.ceph.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./cairn --conf DIR serve} as a separate process, as an operator (or systemd) runs it: stopped
 * with SIGTERM, or killed with SIGKILL to play a crash. Its stderr (the log) goes to a file the test
 * shows when something fails.
 */
public final class ServeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ServeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ServeProcess start(TestConf conf, Path log) {
        return start(conf, log, java.util.Map.of());
    }

    /** With extra environment variables (such as {@code CAIRN_HOST_NAME}, to play one of several hosts). */
    public static ServeProcess start(TestConf conf, Path log, java.util.Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(List.of(TestCluster.projectRoot().resolve("cairn").toString(),
                "--conf", conf.dir().toString(), "serve"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new ServeProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until it serves (has opened the catalog and started its scheduler). Tests read the catalog only
     * after this, so that the serving process owns the embedded database file and they connect to it.
     */
    public ServeProcess awaitServing(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!log().contains("cairn: serving ")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("cairn serve did not start serving within " + seconds + " s\n" + log());
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT}, as it logged when it started listening. */
    public String httpUrl() {
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("cairn: http: (http://\\S+)").matcher(log());
        if (!url.find()) {
            throw new AssertionError("cairn serve logged no HTTP address\n" + log());
        }
        return url.group(1);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then the exit code (waits at most {@code seconds}). */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cairn serve did not stop within " + seconds + " s of SIGTERM\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown of any kind, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What it logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
