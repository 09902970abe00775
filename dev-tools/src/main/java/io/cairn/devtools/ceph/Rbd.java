package io.cairn.devtools.ceph;

import io.cairn.devtools.process.ChildProcesses;
import io.cairn.devtools.process.Command;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code rbd} CLI as client.admin of one cluster: setting up test data, and the independent check -
 * checksums read by another program than the one that wrote the backup. Every call has a deadline
 * and fails with an exception naming the command and quoting its stderr.
 */
public final class Rbd {

    private final Path conf;
    private final Duration timeout;
    private final ChildProcesses children;

    /** {@code rbd} on the cluster of {@code conf}, each call limited to {@link Command#DEFAULT_TIMEOUT}. */
    public Rbd(Path conf) {
        this(conf, Command.DEFAULT_TIMEOUT, ChildProcesses.untracked());
    }

    /**
     * @param timeout  the deadline of each call
     * @param children starts the {@code rbd} processes (the demo's own, so it can end them all)
     */
    public Rbd(Path conf, Duration timeout, ChildProcesses children) {
        this.conf = conf;
        this.timeout = timeout;
        this.children = children;
    }

    /** Runs {@code rbd ARGS} and returns its stdout; fails on a non-zero exit. */
    public String run(String... args) {
        return command(args).runOrThrow();
    }

    /** Runs {@code rbd ARGS} and returns exit code, stdout and stderr, whatever the exit code. */
    public Command.Result tryRun(String... args) {
        return command(args).run();
    }

    /** {@code rbd ARGS} as a command to configure further (stdin, stderr); the deadline and owner are set. */
    public Command command(String... args) {
        return Command.of(argv(args)).timeout(timeout).in(children);
    }

    /** The full command line of {@code rbd ARGS} on this cluster, for pipes and timers. */
    public List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of("rbd", "--conf", conf.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Creates {@code pool/image} with the cluster's default features. */
    public void create(String image, long bytes) {
        run("create", "--size", bytes + "B", image);
    }

    /** Removes an image and all its snapshots. */
    public void remove(String image) {
        run("snap", "purge", "--no-progress", image);
        run("rm", "--no-progress", image);
    }

    public void snapshot(String image, String snapshot) {
        run("snap", "create", "--no-progress", image + "@" + snapshot);
    }

    /** Whether {@code pool/image} exists. */
    public boolean exists(String image) {
        return tryRun("info", image).exitCode() == 0;
    }

    /** The images of a pool. */
    public List<String> list(String pool) {
        return run("ls", pool).lines().filter(line -> !line.isBlank()).toList();
    }

    /** Snapshot names of {@code pool/image}, in creation order. */
    public List<String> snapshots(String image) {
        List<String> names = new ArrayList<>();
        for (String line : run("snap", "ls", "--format", "plain", image).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].matches("\\d+")) {
                names.add(fields[1]);
            }
        }
        return names;
    }

    /**
     * Writes {@code total} bytes ({@code rbd bench --io-type write}, {@code ioSize} at a time, in
     * {@code pattern} {@code seq} or {@code rand} order), for example {@code benchWrite(image, "rand", "64K", "48M")}.
     * rbd bench writes one repeated byte per IO: use {@link #importDiff} where the data must not compress.
     */
    public void benchWrite(String image, String pattern, String ioSize, String total) {
        run("bench", "--io-type", "write", "--io-pattern", pattern, "--io-size", ioSize, "--io-threads", "16",
                "--io-total", total, image);
    }

    /** Feeds an {@code rbd diff v1} stream to {@code rbd import-diff - IMAGE}: writes exactly what the stream says. */
    public void importDiff(String image, Consumer<OutputStream> stream) {
        command("import-diff", "--no-progress", "-", image).input(stream).runOrThrow();
    }

    /** SHA-256 of every byte of {@code pool/image} or {@code pool/image@snap}, read with {@code rbd export}. */
    public String sha256(String spec) {
        return command("export", "--no-progress", spec, "-").read(Checksums::sha256);
    }
}
