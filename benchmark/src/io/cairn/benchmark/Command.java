package io.cairn.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one external program and waits for it, with a time limit: a hung cluster must end the
 * benchmark with an error, not stall it.
 *
 * <p>{@link #measured} runs the program under GNU {@code time}, which reports what only the parent of
 * a process can know once it has ended: its CPU time and its peak resident set size (the largest of
 * the process and the children it waited for). That is how the benchmark measures {@code ./cairn}
 * (the launcher {@code exec}s the JVM, so the JVM is the process being measured) and the rbd pipes
 * (the largest of the two {@code rbd} processes).
 */
final class Command {

    private static final long TIMEOUT_SECONDS = 1800;

    private Command() {
    }

    /** What a program printed and how it ended. */
    record Outcome(int exitCode, String stdout, String stderr) {
        Outcome orThrow(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                        + (stderr.isBlank() ? "" : "\n" + stderr.strip()));
            }
            return this;
        }
    }

    /** Runs a program; fails when it exits non-zero. */
    static String run(List<String> command) {
        return start(command, null).orThrow(command).stdout();
    }

    /** Runs a program that reads {@code input} on its stdin; fails when it exits non-zero. */
    static String run(List<String> command, Consumer<OutputStream> input) {
        return start(command, input).orThrow(command).stdout();
    }

    /**
     * Runs a program under GNU time and returns its wall time (from just before the start to just after
     * the end, as an operator waiting for it sees it), CPU time and peak RSS.
     *
     * @param stdout receives the program's stdout, may be {@code null}
     */
    static Measurement measured(List<String> command, StringBuilder stdout, CpuClock clock) {
        Path report = tempFile();
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S %M", "-o", report.toString(), "--"));
        timed.addAll(command);
        try {
            clock.awaitQuietCluster();
            CpuClock.Reading before = clock.read();
            long started = System.nanoTime();
            Outcome outcome = start(timed, null);
            double wall = (System.nanoTime() - started) / 1e9;
            CpuClock.Reading after = clock.read();
            outcome.orThrow(command);
            if (stdout != null) {
                stdout.append(outcome.stdout());
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

    private static Outcome start(List<String> command, Consumer<OutputStream> input) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        try {
            Process process = builder.start();
            Drain out = new Drain(process.getInputStream());
            Drain err = new Drain(process.getErrorStream());
            if (input != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    input.accept(stdin);
                } catch (UncheckedIOException e) {
                    // The program stopped reading, most likely because it failed: its exit code and
                    // stderr say why better than "Broken pipe".
                    process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    throw new IllegalStateException("feeding " + String.join(" ", command) + " failed: "
                            + e.getMessage() + "\n" + err.text(), e);
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command did not end within " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", command));
            }
            return new Outcome(process.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads one output stream of a process on its own thread, so a program that fills one pipe while
     * we wait on the other cannot block.
     */
    private static final class Drain {
        private final Thread thread;
        private volatile String text = "";

        Drain(InputStream stream) {
            thread = new Thread(() -> {
                try (stream) {
                    text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    text = "(could not read the output: " + e.getMessage() + ")";
                }
            }, "drain");
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws InterruptedException {
            thread.join();
            return text;
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("cairn-benchmark-time-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
