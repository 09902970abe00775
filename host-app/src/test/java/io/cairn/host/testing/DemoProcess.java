package io.cairn.host.testing;

import io.cairn.devtools.ceph.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./cairn demo} running as a process of its own, in a process group of its own (as in a terminal),
 * so a test can do to it what a person does: wait for a phase, kill its OSD, press Ctrl-C (SIGINT to the
 * group), send SIGTERM - and then look for anything it left behind.
 */
public final class DemoProcess implements AutoCloseable {

    private static final Pattern WORK_DIR = Pattern.compile("starting a throwaway Ceph cluster in (/\\S+)/ceph ");
    /** Installing Ceph's packages on a fresh machine comes first; the phases up to serve take ~30 s. */
    private static final Duration OUTPUT_LIMIT = Duration.ofMinutes(10);

    private final Process process;
    private final StringBuffer stderr = new StringBuffer();
    private final StringBuffer stdout = new StringBuffer();

    private DemoProcess(Process process) {
        this.process = process;
        collect(process.getErrorStream(), stderr);
        collect(process.getInputStream(), stdout);
    }

    /** Starts {@code setsid ./cairn demo}: the launcher execs the JVM, so the pid is the demo's and leads its group. */
    public static DemoProcess start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", TestCluster.projectRoot().resolve("cairn").toString(), "demo");
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new DemoProcess(builder.start());
    }

    /**
     * Waits until one of the demo's {@code rbd bench} writers runs: the first data (a few seconds) or, if
     * that is missed, the scheduled phase's writers (every 4 s, about 20 s later).
     */
    public void awaitRbdWriter() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (processesMentioning(workDir()).stream().noneMatch(line -> line.contains("rbd ") && line.contains(" bench "))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no rbd bench writer of the demo ran within 90 s\n" + stderr);
            }
            Thread.sleep(20);
        }
    }

    /** Sends {@code signal} (KILL, SEGV, ...) to the demo cluster's OSD. */
    public void signalOsd(String signal) throws IOException, InterruptedException {
        String pid = Files.readString(workDir().resolve("ceph/run/ceph-osd.0.pid")).strip();
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + signal + " " + pid).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " (the demo's OSD) failed");
        }
    }

    /** Removes a directory the demo left on purpose (the logs of a failed run). */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Ctrl-C: SIGINT to every process of the demo's group, as a terminal sends it. */
    public void interruptProcessGroup() throws IOException, InterruptedException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        long group = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        if (group != process.pid()) {
            throw new AssertionError("the demo (pid " + process.pid() + ") does not lead its process group " + group);
        }
        // A test run started in the background of a shell without job control (`nohup ... &`) inherits SIGINT
        // ignored, and so does every process it starts: Ctrl-C could not reach the demo. Say so, not "did not end".
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:") && (Long.parseLong(line.substring(7).strip(), 16) & 0x2) != 0) {
                throw new AssertionError("SIGINT is ignored by the demo (pid " + process.pid() + "), as by this test"
                        + " run: it was started where Ctrl-C cannot reach it (the background of a shell without job"
                        + " control, e.g. `nohup mvn ... &`); run the tests in the foreground or under `set -m`");
            }
        }
        // bash's own kill: a process group as target, and no procps needed.
        Process kill = new ProcessBuilder("bash", "-c", "kill -INT -- -" + group).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -INT -" + group + " failed");
        }
    }

    /** SIGTERM to the demo alone, as {@code kill PID} sends it. */
    public void terminate() {
        // Through the handle: Process.destroy() would also close the pipes this test reads the demo's output from.
        process.toHandle().destroy();
    }

    /** The exit code; fails if the demo has not ended within {@code bound}. */
    public int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the demo did not end within " + bound.toSeconds() + " s\n" + stderr);
        }
        return process.exitValue();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** The demo's work directory (its cluster is in {@code ceph/} below it), from its first step. */
    public Path workDir() {
        return workDir(stderr());
    }

    /** The work directory named in a demo's stderr. */
    public static Path workDir(String stderr) {
        Matcher matcher = WORK_DIR.matcher(stderr);
        if (!matcher.find()) {
            throw new AssertionError("the demo did not say where its cluster is\n" + stderr);
        }
        return Path.of(matcher.group(1));
    }

    /** Command lines of the running processes that name {@code dir}: a demo's daemons, rbd and cairn processes. */
    public static List<String> processesMentioning(Path dir) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String commandLine = Files.readString(entry.resolve("cmdline")).replace('\0', ' ');
                    if (commandLine.contains(dir.toString())) {
                        found.add(entry.getFileName() + ": " + commandLine);
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Waits until the demo has printed {@code text} on stderr. */
    public void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + OUTPUT_LIMIT.toNanos();
        while (!stderr.toString().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the demo did not print \"" + text + "\" within " + OUTPUT_LIMIT.toSeconds() + " s\n"
                        + stderr + stdout);
            }
            Thread.sleep(50);
        }
    }

    private static void collect(java.io.InputStream stream, StringBuffer sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    sink.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the demo ended
            }
        }, "demo-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** A demo a test left running gets SIGTERM (it tears down), and SIGKILL if it has not ended a minute later. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
