package io.cairn.benchmark;

import io.cairn.devtools.process.ChildProcesses;
import io.cairn.devtools.process.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one measured program under GNU {@code time}, which reports what only the parent of a process can
 * know once it has ended: its CPU time and its peak resident set size (the largest of the process and
 * the children it waited for). That is how the benchmark measures {@code ./cairn} (the launcher
 * {@code exec}s the JVM, so the JVM is the process being measured) and the rbd pipes (the largest of the
 * two {@code rbd} processes).
 */
final class Timed {

    /** A hung cluster must end the benchmark with an error, not stall it. */
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final CpuClock clock;
    private final ChildProcesses children;

    /**
     * @param clock    reads the cluster's and the machine's CPU time around each run
     * @param children the benchmark's processes, ended on Ctrl-C
     */
    Timed(CpuClock clock, ChildProcesses children) {
        this.clock = clock;
        this.children = children;
    }

    /**
     * Runs a program and returns its wall time (from just before the start to just after the end, as an
     * operator waiting for it sees it), CPU time and peak RSS.
     *
     * @param stdout receives the program's stdout, may be {@code null}
     */
    Measurement run(List<String> command, StringBuilder stdout) {
        Path report = tempFile();
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S %M", "-o", report.toString(), "--"));
        timed.addAll(command);
        try {
            clock.awaitQuietCluster();
            CpuClock.Reading before = clock.read();
            long started = System.nanoTime();
            Command.Result result = Command.of(timed).timeout(TIMEOUT).in(children).run();
            double wall = (System.nanoTime() - started) / 1e9;
            CpuClock.Reading after = clock.read();
            if (result.exitCode() != 0) {
                throw new IllegalStateException("command failed (exit " + result.exitCode() + "): "
                        + String.join(" ", command) + (result.stderr().isBlank() ? "" : "\n" + result.stderr().strip()));
            }
            if (stdout != null) {
                stdout.append(result.stdout());
            }
            // GNU time prints notes such as "Command exited with non-zero status" before its line.
            String[] fields = lastLine(Files.readString(report)).split(" ");
            double client = Double.parseDouble(fields[0]) + Double.parseDouble(fields[1]);
            double cluster = after.clusterSeconds() - before.clusterSeconds();
            double machine = after.machineBusySeconds() - before.machineBusySeconds();
            return new Measurement(wall, client, Long.parseLong(fields[2]) * 1024, cluster,
                    Math.max(0, machine - client - cluster));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            report.toFile().delete();
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("cairn-benchmark-time-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
