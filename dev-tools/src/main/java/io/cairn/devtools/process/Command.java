package io.cairn.devtools.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One external program, run to its end with a deadline: a hung cluster must end a test, the demo or the
 * benchmark with an error naming the program, never stall it. At the deadline the program and every
 * process it started are killed and reaped.
 *
 * <p>Configure, then run once:
 * <pre>{@code
 * String json = Command.of("rbd", "--conf", conf, "ls", "volumes").timeout(Duration.ofSeconds(60)).runOrThrow();
 * }</pre>
 * stdin is empty unless {@link #input} feeds it; stdout is collected (or streamed to a {@link StdoutReader});
 * stderr is collected unless it is {@linkplain #inheritStderr() inherited} or {@linkplain #stderrTo copied}.
 */
public final class Command {

    /** How long a program may run unless {@link #timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(10);

    /** Exit code and output of a program that ended. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Reads a program's stdout as it comes (for example to checksum an {@code rbd export}). */
    @FunctionalInterface
    public interface StdoutReader<T> {
        T read(InputStream stdout) throws IOException;
    }

    private final List<String> command;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Consumer<OutputStream> input;
    private boolean inheritStderr;
    private OutputStream stderrSink;
    private ChildProcesses children = ChildProcesses.untracked();

    private Command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        this.command = List.copyOf(command);
    }

    public static Command of(List<String> command) {
        return new Command(command);
    }

    public static Command of(String... command) {
        return new Command(List.of(command));
    }

    /** Runs a program with a deadline and collects its output, whatever its exit code. */
    public static Result run(List<String> command, long timeoutSeconds) {
        return of(command).timeout(Duration.ofSeconds(timeoutSeconds)).run();
    }

    /** The deadline, from the start. */
    public Command timeout(Duration limit) {
        this.timeout = Objects.requireNonNull(limit);
        return this;
    }

    /** Writes the program's stdin (on a thread of its own); stdin is closed when {@code feeder} returns. */
    public Command input(Consumer<OutputStream> feeder) {
        this.input = Objects.requireNonNull(feeder);
        return this;
    }

    /** stderr goes where this process's goes, as it comes (so a person sees what a long step does). */
    public Command inheritStderr() {
        this.inheritStderr = true;
        return this;
    }

    /** stderr is copied to {@code sink} as it comes, instead of being collected. */
    public Command stderrTo(OutputStream sink) {
        this.stderrSink = Objects.requireNonNull(sink);
        return this;
    }

    /** Starts the program through {@code owner}, which can end it early (see {@link ChildProcesses#endAll}). */
    public Command in(ChildProcesses owner) {
        this.children = Objects.requireNonNull(owner);
        return this;
    }

    public List<String> command() {
        return command;
    }

    /** Runs the program; its exit code is the caller's business. */
    public Result run() {
        Outcome<String> outcome = execute(Command::text);
        return new Result(outcome.exitCode, outcome.stdout, outcome.stderr);
    }

    /**
     * Runs the program and returns its stdout.
     *
     * @throws IllegalStateException naming the command, its exit code and its stderr when it exits non-zero
     */
    public String runOrThrow() {
        return read(Command::text);
    }

    /**
     * Runs the program, handing its stdout to {@code reader} as it comes, and returns what the reader made.
     *
     * @throws IllegalStateException naming the command when it exits non-zero
     */
    public <T> T read(StdoutReader<T> reader) {
        Outcome<T> outcome = execute(reader);
        if (outcome.exitCode != 0) {
            throw new IllegalStateException(describe() + " failed (exit " + outcome.exitCode + ")"
                    + (outcome.stderr.isBlank() ? "" : ": " + outcome.stderr.strip()));
        }
        return outcome.stdout;
    }

    private record Outcome<T>(T stdout, int exitCode, String stderr) {
    }

    private <T> Outcome<T> execute(StdoutReader<T> reader) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        if (inheritStderr) {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process;
        try {
            process = children.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        daemon("deadline of " + command.get(0), () -> {
            try {
                if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut.set(true);
                    ProcessTrees.end(List.of(process.toHandle()), Duration.ZERO);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        Thread stderrPump = inheritStderr ? null
                : pump(process.getErrorStream(), stderrSink != null ? stderrSink : collected);
        AtomicReference<RuntimeException> feedFailure = new AtomicReference<>();
        Thread feeder = input == null ? null : daemon("stdin of " + command.get(0), () -> {
            try (OutputStream stdin = process.getOutputStream()) {
                input.accept(stdin);
            } catch (IOException | RuntimeException e) {
                // The program stopped reading, most likely because it failed: its exit code and stderr say
                // why better than "Broken pipe". Reported below if it exits 0 all the same.
                feedFailure.set(e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e));
            }
        });
        try {
            T stdout;
            try (InputStream out = process.getInputStream()) {
                stdout = reader.read(out);
                out.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                if (!timedOut.get()) {
                    throw new UncheckedIOException("reading the output of " + describe() + ": " + e.getMessage(), e);
                }
                stdout = null;
            }
            int exitCode = process.waitFor();
            join(stderrPump);
            join(feeder);
            done.countDown();
            if (timedOut.get()) {
                throw new IllegalStateException(describe() + " did not finish within " + seconds(timeout)
                        + " s and was killed");
            }
            if (exitCode == 0 && feedFailure.get() != null) {
                throw new IllegalStateException("feeding " + describe() + " failed: " + feedFailure.get().getMessage(),
                        feedFailure.get());
            }
            return new Outcome<>(stdout, exitCode, collected.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            ProcessTrees.end(List.of(process.toHandle()), Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + describe(), e);
        } catch (RuntimeException e) {
            ProcessTrees.end(List.of(process.toHandle()), Duration.ZERO);
            throw e;
        } finally {
            done.countDown();
        }
    }

    private String describe() {
        return String.join(" ", command);
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, duration.toSeconds());
    }

    private static Thread pump(InputStream in, OutputStream sink) {
        return daemon("stderr pump", () -> {
            try (in) {
                in.transferTo(sink);
                sink.flush();
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        });
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Output threads end with the program; a grandchild still holding a pipe must not stall us for long. */
    private static void join(Thread thread) throws InterruptedException {
        if (thread != null) {
            thread.join(JOIN_LIMIT.toMillis());
        }
    }
}
