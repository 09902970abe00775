package io.cairn.benchmark;

import static io.cairn.benchmark.RandomWrites.GIB;
import static io.cairn.benchmark.RandomWrites.KIB;
import static io.cairn.benchmark.RandomWrites.MIB;

import io.cairn.devtools.process.ChildProcesses;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 16's volume bigger than RAM ({@code benchmark/run --large}): a 16 GiB image holding 8 GiB of random data,
 * on the bluestore OSD's sparse file. Cairn's full backup against the copy ceiling measured just before (a read
 * stream and a write stream of the same size at once, {@code rbd bench}), an incremental after 1% of the data
 * changed (1311 random 64 KiB writes) against the CLI pipe, the restore of that incremental against
 * {@code rbd export | rbd import}, each Cairn command's peak RSS, and the peak RSS of {@code cairn serve} backing
 * up four such volumes at once. Both restores are compared by SHA-256 with the source snapshot.
 *
 * <p>Beside them, what bounds the incremental: the OSD alone writing as many 64 KiB pieces at random into data that
 * has snapshots ({@code rbd bench}, as a backup image's head has its restore points), and Cairn's backup of the same
 * volume when nothing changed - the part of its incremental that does not grow with the data.
 *
 * <p>Its own conf directory and catalog (under {@code large/}), so the other steps' backups do not mix in.
 */
final class LargeVolume {

    private static final long IMAGE = 16 * GIB;
    private static final long DATA = 8 * GIB;
    private static final int CHANGE_SIZE = 64 * KIB;
    private static final int CHANGED_WRITES = (int) (DATA / 100 / CHANGE_SIZE);
    private static final int SERVE_VOLUMES = 4;
    /** Data in each of serve's other three volumes: peak memory does not grow with the data moved. */
    private static final long SERVE_DATA = GIB;

    private final Path root;
    private final Path work;
    private final Path cephConf;
    private final RbdReference rbd;
    private final Timed timed;
    private final ChildProcesses children;
    private final List<String> mismatches = new ArrayList<>();

    LargeVolume(Path root, Path work, Path cephConf, RbdReference rbd, Timed timed, ChildProcesses children) {
        this.root = root;
        this.work = work;
        this.cephConf = cephConf;
        this.rbd = rbd;
        this.timed = timed;
        this.children = children;
    }

    /** What one run measured (seconds, bytes). */
    record Result(double copyCeiling, Step full, Step incremental, double incrementalCli, double incrementalOsdWrites,
                  Step nothingChanged, Step restore, double restoreCli, long servePeakRss, List<String> mismatches) {

        List<Target> targets() {
            return List.of(
                    new Target("16 GiB image holding 8 GiB: full backup rate / copy ceiling rate", copyCeiling
                            / full.seconds(), 0.90, false, "%.2f"),
                    new Target("incremental of 1% changed, Cairn / CLI pipe", incremental.seconds() / incrementalCli,
                            0.50, true, "%.2f"),
                    new Target("restore, Cairn / the rbd export-import pipe", restore.seconds() / restoreCli, 0.80, true,
                            "%.2f"),
                    new Target("peak RSS of one cairn backup of the 16 GiB image", Math.max(
                            full.cost().peakRssBytes(), incremental.cost().peakRssBytes()) / (double) MIB, 300, true,
                            "%.0f MiB"),
                    new Target("peak RSS of cairn serve backing up 4 such volumes at once", servePeakRss
                            / (double) MIB, 400, true, "%.0f MiB"));
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "%nA volume bigger than RAM: 16 GiB image holding 8 GiB (one run)%n%n");
            out.println("| work | Cairn | rbd CLI | Cairn / CLI |");
            out.println("| --- | --- | --- | --- |");
            out.printf(Locale.ROOT, "| copy ceiling: read and write 8 GiB at once (rbd bench 4M x16 each) | | %.2f s"
                    + " (%.0f MiB/s) | |%n", copyCeiling, DATA / copyCeiling / MIB);
            out.printf(Locale.ROOT, "| full backup | %.2f s (record %.2f s), peak RSS %.0f MiB | | %.2f of the"
                    + " ceiling's rate |%n", full.seconds(), full.transferSeconds(), full.cost().peakRssBytes()
                    / (double) MIB, copyCeiling / full.seconds());
            out.printf(Locale.ROOT, "| incremental, %d x 64 KiB changed (%.0f MiB read, %.0f MiB written) | %.2f s"
                    + " (record %.2f s), peak RSS %.0f MiB | %.2f s | %.2f |%n", CHANGED_WRITES, incremental.bytesRead()
                    / (double) MIB, incremental.bytesWritten() / (double) MIB, incremental.seconds(),
                    incremental.transferSeconds(), incremental.cost().peakRssBytes() / (double) MIB, incrementalCli,
                    incremental.seconds() / incrementalCli);
            out.printf(Locale.ROOT, "| the OSD alone writing the incremental's %d x 64 KiB (rbd bench, random, 16 in"
                    + " flight, into snapshotted data) | | %.2f s | |%n", CHANGED_WRITES, incrementalOsdWrites);
            out.printf(Locale.ROOT, "| incremental, nothing changed (what does not grow with the data) | %.2f s (record"
                    + " %.2f s) | | |%n", nothingChanged.seconds(), nothingChanged.transferSeconds());
            out.printf(Locale.ROOT, "| restore of the incremental into a new image | %.2f s, peak RSS %.0f MiB | %.2f s"
                    + " | %.2f |%n", restore.seconds(), restore.cost().peakRssBytes() / (double) MIB, restoreCli,
                    restore.seconds() / restoreCli);
            out.printf(Locale.ROOT, "| cairn serve, one firing over 4 volumes of 16 GiB at once | peak RSS %.0f MiB |"
                    + " | |%n", servePeakRss / (double) MIB);
            out.printf(Locale.ROOT, "%nThe incremental target allows %.2f s (0.50 x the CLI pipe's %.2f s); the OSD alone"
                    + " took %.2f s for its writes, and a backup that moves nothing %.2f s: together %.2f of the CLI"
                    + " pipe.%n", 0.5 * incrementalCli, incrementalCli, incrementalOsdWrites, nothingChanged.seconds(),
                    (incrementalOsdWrites + nothingChanged.seconds()) / incrementalCli);
        }
    }

    Result run() {
        System.out.printf(Locale.ROOT, "%nvolume bigger than RAM: a 16 GiB image holding 8 GiB of random data%n");
        Path large = work.resolve("large");
        Cairn cairn = Cairn.configure(root, large, cephConf, timed);
        String image = "volumes/large";
        String cliBase = "backups/cli-large";
        rbd.cli().create(image, IMAGE);
        rbd.write(image, RandomWrites.contiguous(0, DATA), 19_001);
        rbd.cli().create(cliBase, IMAGE);

        double ceiling = copyCeiling(image);
        Cairn.Run fullRun = cairn.backup(image, true);
        Step full = step(fullRun);
        print("full backup", "cairn backup --full", full);
        rbd.cli().snapshot(image, "cli-full");
        rbd.exportDiffImportDiff(image, null, "cli-full", cliBase);

        rbd.write(image, RandomWrites.randomPlaces(CHANGED_WRITES, CHANGE_SIZE, DATA, 19_002), 19_003);
        Cairn.Run incrementalRun = cairn.backup(image, false);
        Step incremental = step(incrementalRun);
        print("incremental, 1% changed", "cairn backup", incremental);
        rbd.cli().snapshot(image, "cli-incremental");
        Measurement cli = rbd.exportDiffImportDiff(image, "cli-full", "cli-incremental", cliBase);
        System.out.printf(Locale.ROOT, "  %-27s %-31s %7.2f s, peak RSS %.0f MiB%n", "incremental, 1% changed",
                "rbd export-diff | import-diff", cli.wallSeconds(), cli.peakRssBytes() / (double) MIB);

        String source = image + "@" + incrementalRun.text("snapshot");
        String expected = rbd.cli().sha256(source);
        String cairnTarget = "volumes/large-restore-cairn";
        Cairn.Run restoreRun = cairn.restore(incrementalRun.text("id"), cairnTarget);
        Step restore = Step.of(restoreRun.cost(), -1, restoreRun.number("bytes_written"));
        print("restore of the incremental", "cairn restore", restore);
        check(cairnTarget, expected, source);
        String cliTarget = "volumes/large-restore-cli";
        Measurement restoreCli = rbd.exportImport(cliBase + "@cli-incremental", cliTarget);
        System.out.printf(Locale.ROOT, "  %-27s %-31s %7.2f s%n", "restore of the incremental", "rbd export | import",
                restoreCli.wallSeconds());
        check(cliTarget, expected, source);
        // The CLI's backup image has snapshots, as Cairn's base has its restore points: each first write into an
        // object makes the OSD clone it. It is checked already and removed next, so it can take the bench's writes.
        double osdWrites = incrementalWrites(cliBase);
        // After the restores: this backup removes the incremental's source snapshot, which they were checked against.
        Step nothingChanged = step(cairn.backup(image, false));
        print("incremental, nothing changed", "cairn backup", nothingChanged);
        // The OSD's file holds what is written: the CLI's backup image goes before serve writes 11 GiB more.
        rbd.cli().run("snap", "purge", "--no-progress", cliBase);
        rbd.cli().remove(cliBase);

        long servePeak = serveFourAtOnce(large, image);
        return new Result(ceiling, full, incremental, cli.wallSeconds(), osdWrites, nothingChanged, restore,
                restoreCli.wallSeconds(), servePeak, List.copyOf(mismatches));
    }

    /**
     * The OSD alone writing as many bytes as the incremental, in its 64 KiB pieces at random places, librbd's cache
     * off and 16 in flight (twice Cairn's default): what no client of this OSD can do faster.
     */
    private double incrementalWrites(String image) {
        Measurement cost = timed.run(rbd.cli().argv("bench", "--rbd-cache=false", "--io-type", "write", "--io-size",
                CHANGE_SIZE + "B", "--io-pattern", "rand", "--io-threads", "16", "--io-total",
                (long) CHANGED_WRITES * CHANGE_SIZE + "B", image), null);
        System.out.printf(Locale.ROOT, "  the OSD alone: rbd bench writing %d x 64 KiB at random into snapshotted data:"
                + " %.2f s%n", CHANGED_WRITES, cost.wallSeconds());
        return cost.wallSeconds();
    }

    /** A read stream of the data and a write stream of as much into a new image, at once. */
    private double copyCeiling(String image) {
        String target = "volumes/large-ceiling";
        rbd.cli().create(target, IMAGE);
        try {
            List<String> read = rbd.cli().argv("bench", "--io-type", "read", "--io-size", "4M", "--io-threads", "16",
                    "--io-total", DATA + "B", image);
            List<String> write = rbd.cli().argv("bench", "--io-type", "write", "--io-size", "4M", "--io-threads", "16",
                    "--io-total", DATA + "B", target);
            Measurement cost = timed.run(List.of("bash", "-c", quote(read) + " >/dev/null & r=$!; " + quote(write)
                    + " >/dev/null & w=$!; wait $r && wait $w"), null);
            System.out.printf(Locale.ROOT, "  copy ceiling: rbd bench read and write of 8 GiB at once: %.2f s%n",
                    cost.wallSeconds());
            return cost.wallSeconds();
        } finally {
            rbd.cli().remove(target);
        }
    }

    /**
     * {@code cairn serve} with {@code max_parallel_backups_per_cluster: 4}, one firing over the large volume and
     * three more 16 GiB images (1 GiB of data each): its peak RSS.
     */
    private long serveFourAtOnce(Path large, String image) {
        List<String> volumes = new ArrayList<>(List.of(image));
        for (int i = 2; i <= SERVE_VOLUMES; i++) {
            String volume = "volumes/large-" + i;
            rbd.cli().create(volume, IMAGE);
            rbd.write(volume, RandomWrites.spreadObjects((int) (SERVE_DATA / RandomWrites.OBJECT_SIZE), IMAGE),
                    19_100 + i);
            volumes.add(volume);
        }
        Path conf = large.resolve("conf");
        try {
            Files.writeString(conf.resolve("cairn.yaml"), "max_parallel_backups_per_cluster: " + SERVE_VOLUMES + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.createDirectories(conf.resolve("schedules"));
            // Full backups: the most data in flight at once.
            Files.writeString(conf.resolve("schedules").resolve("large.yaml"), "cluster: " + Cairn.CLUSTER
                    + "\nvolumes: [" + String.join(", ", volumes) + "]\ncron: \"0 0 0 1 1 ? 2099\"\n"
                    + "chain: {full_every: 1}\nretention: {keep_last: 10}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ServeProcess serve = ServeProcess.start(root, conf, large.resolve("serve.log"), children)) {
            serve.fire("large", Duration.ofMinutes(20));
            long peak = serve.peakRssBytes();
            System.out.printf(Locale.ROOT, "  cairn serve, one firing over %d volumes of 16 GiB at once: peak RSS %.0f"
                    + " MiB%n", SERVE_VOLUMES, peak / (double) MIB);
            return peak;
        }
    }

    private static Step step(Cairn.Run run) {
        return new Step(run.cost(), run.number("bytes_transferred"), run.number("bytes_written"),
                run.recordedSeconds());
    }

    private static void print(String what, String command, Step step) {
        System.out.printf(Locale.ROOT, "  %-27s %-31s %7.2f s%s, peak RSS %.0f MiB%n", what, command, step.seconds(),
                Double.isNaN(step.transferSeconds()) ? "" : String.format(Locale.ROOT, " (record %.2f s)",
                        step.transferSeconds()), step.cost().peakRssBytes() / (double) MIB);
    }

    private void check(String target, String expected, String source) {
        String actual = rbd.cli().sha256(target);
        rbd.cli().remove(target);
        System.out.printf(Locale.ROOT, "  check     %-44s sha256 %s... %s%n", target, actual.substring(0, 16),
                actual.equals(expected) ? "= source snapshot" : "!= SOURCE SNAPSHOT " + expected.substring(0, 16));
        if (!actual.equals(expected)) {
            mismatches.add("large volume: " + target + " has sha256 " + actual + ", but its source " + source + " has "
                    + expected);
        }
    }

    private static String quote(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }
}
