package io.cairn.benchmark;

import static io.cairn.benchmark.RandomWrites.GIB;
import static io.cairn.benchmark.RandomWrites.KIB;
import static io.cairn.benchmark.RandomWrites.MIB;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Issue 16's scheduled path: one firing of a schedule over six volumes in {@code cairn serve}, against the loop an
 * operator would cron instead - per volume {@code rbd snap create}, then {@code rbd export-diff | rbd import-diff}
 * into a backup image - run one volume after another and two at a time; the better of the two loops is the
 * reference.
 *
 * <p>Each volume is a 1 GiB image holding 256 MiB of random data. The full firing is followed by 256 random
 * 64 KiB writes (16 MiB) into each volume's data and an incremental firing. Cairn's time is the catalog's: from
 * the firing's first backup record created to its last one finished. Cairn fires twice per phase, through two
 * cluster files over the same cluster: with {@code record_digests} (the default) and without, so what digests
 * cost is the difference. The order of the four runs alternates between the phases, so neither tool always
 * finds the OSD's caches warmer.
 *
 * <p>Correct results first: the incremental backup of one volume from each Cairn firing is restored into a new
 * image and compared by SHA-256 with its source snapshot, and the digested one is verified against its digests.
 */
final class ScheduledFiring {

    private static final int VOLUMES = 6;
    private static final long IMAGE = GIB;
    private static final long DATA = 256L * MIB;
    private static final int CHANGED_WRITES = 256;
    private static final int CHANGE_SIZE = 64 * KIB;
    private static final String SCHEDULE = "fire";
    private static final String PLAIN_SCHEDULE = "fire-plain";
    private static final Duration FIRING_LIMIT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path conf;
    private final Path work;
    private final RbdReference rbd;
    private final Timed timed;
    private final ChildProcesses children;
    private final List<String> mismatches = new ArrayList<>();

    ScheduledFiring(Path root, Path conf, Path work, RbdReference rbd, Timed timed, ChildProcesses children) {
        this.root = root;
        this.conf = conf;
        this.work = work;
        this.rbd = rbd;
        this.timed = timed;
        this.children = children;
    }

    /** The figures of one run: seconds per firing or loop, and the OSD's ceilings for the same work. */
    record Result(double fullCairn, double fullCairnPlain, double fullCliSequential, double fullCliPairs,
                  double incrementalCairn, double incrementalCairnPlain, double incrementalCliSequential,
                  double incrementalCliPairs, double dataWriteCeiling, double changeWriteCeiling,
                  List<String> mismatches) {

        double fullCli() {
            return Math.min(fullCliSequential, fullCliPairs);
        }

        double incrementalCli() {
            return Math.min(incrementalCliSequential, incrementalCliPairs);
        }

        List<Target> targets() {
            return List.of(
                    new Target("scheduled full firing, Cairn / better CLI loop", fullCairn / fullCli(), 0.80, true,
                            "%.2f"),
                    new Target("scheduled incremental firing, Cairn / better CLI loop", incrementalCairn
                            / incrementalCli(), 0.60, true, "%.2f"));
        }

        void print(java.io.PrintStream out) {
            out.printf(Locale.ROOT, "%nScheduled path: one firing over %d volumes (1 GiB images, 256 MiB of random data"
                    + " each), then an incremental firing after %d random 64 KiB writes (16 MiB) per volume%n%n",
                    VOLUMES, CHANGED_WRITES);
            out.println("| firing | Cairn (record_digests on) | Cairn (off) | CLI loop, one at a time | CLI loop, two at"
                    + " a time | Cairn / better CLI | OSD ceiling for the writes |");
            out.println("| --- | --- | --- | --- | --- | --- | --- |");
            out.printf(Locale.ROOT, "| full | %.2f s | %.2f s | %.2f s | %.2f s | %.2f (off: %.2f) | %.2f s |%n",
                    fullCairn, fullCairnPlain, fullCliSequential, fullCliPairs, fullCairn / fullCli(),
                    fullCairnPlain / fullCli(), dataWriteCeiling);
            out.printf(Locale.ROOT, "| incremental | %.2f s | %.2f s | %.2f s | %.2f s | %.2f (off: %.2f) | %.2f s |%n",
                    incrementalCairn, incrementalCairnPlain, incrementalCliSequential, incrementalCliPairs,
                    incrementalCairn / incrementalCli(), incrementalCairnPlain / incrementalCli(), changeWriteCeiling);
            out.printf(Locale.ROOT, "%nOSD ceiling: rbd bench writing as many bytes in the same IO size, 16 in flight,"
                    + " no client cache (full: 4 MiB sequential, %d x 256 MiB; incremental: 64 KiB random, %d x 16 MiB,"
                    + " into data that has a snapshot) - what the writes alone take, without reading the source.%n",
                    VOLUMES, VOLUMES);
        }
    }

    Result run() {
        List<String> volumes = IntStream.rangeClosed(1, VOLUMES).mapToObj(i -> "volumes/fire-" + i).toList();
        System.out.printf(Locale.ROOT, "%nscheduled path: %d volumes of 1 GiB, 256 MiB of random data each%n", VOLUMES);
        for (int i = 0; i < VOLUMES; i++) {
            rbd.cli().create(volumes.get(i), IMAGE);
            rbd.write(volumes.get(i), RandomWrites.contiguous(0, DATA), 16_000 + i);
            rbd.cli().create(cliTarget("seq", i), IMAGE);
            rbd.cli().create(cliTarget("pair", i), IMAGE);
        }
        writeSchedules(volumes);
        ServeProcess serve = ServeProcess.start(root, conf, work.resolve("serve.log"), children);
        try {
            double dataCeiling = writeCeiling("4M", "seq", VOLUMES * DATA, false);
            double pairs = cliLoop(volumes, "pair", null, "full", true);
            double cairn = fire(serve, SCHEDULE, volumes, "full");
            double sequential = cliLoop(volumes, "seq", null, "full", false);
            double plain = fire(serve, PLAIN_SCHEDULE, volumes, "full");

            System.out.printf(Locale.ROOT, "  writing %d random 64 KiB pieces into each volume's data%n",
                    CHANGED_WRITES);
            for (int i = 0; i < VOLUMES; i++) {
                rbd.write(volumes.get(i), RandomWrites.randomPlaces(CHANGED_WRITES, CHANGE_SIZE, DATA, 17_000 + i),
                        18_000 + i);
            }
            double changeCeiling = writeCeiling("64K", "rand", VOLUMES * (long) CHANGED_WRITES * CHANGE_SIZE, true);
            double incrementalCairn = fire(serve, SCHEDULE, volumes, "incremental");
            double incrementalSequential = cliLoop(volumes, "seq", "full", "incremental", false);
            double incrementalPlain = fire(serve, PLAIN_SCHEDULE, volumes, "incremental");
            double incrementalPairs = cliLoop(volumes, "pair", "full", "incremental", true);
            checkRestores();
            return new Result(cairn, plain, sequential, pairs, incrementalCairn, incrementalPlain,
                    incrementalSequential, incrementalPairs, dataCeiling, changeCeiling, List.copyOf(mismatches));
        } finally {
            serve.close();
        }
    }

    private static String cliTarget(String loop, int i) {
        return "backups/cli-" + loop + "-fire-" + (i + 1);
    }

    /**
     * The operator's loop as one shell script, timed as a whole: per volume a snapshot, then the pipe into its
     * backup image; with {@code pairs}, volumes 1, 3, 5 and 2, 4, 6 in two loops side by side.
     */
    private double cliLoop(List<String> volumes, String loop, String fromSnapshot, String phase, boolean pairs) {
        String rbdLine = rbdLine();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < VOLUMES; i++) {
            String snapshot = loop + "-" + phase;
            String from = fromSnapshot == null ? "" : " --from-snap " + loop + "-" + fromSnapshot;
            lines.add(rbdLine + " snap create --no-progress " + volumes.get(i) + "@" + snapshot + " && " + rbdLine
                    + " export-diff --no-progress" + from + " " + volumes.get(i) + "@" + snapshot + " - | " + rbdLine
                    + " import-diff --no-progress - " + cliTarget(loop, i));
        }
        String script;
        if (pairs) {
            String odd = String.join(" && ", IntStream.range(0, VOLUMES).filter(i -> i % 2 == 0).mapToObj(lines::get)
                    .toList());
            String even = String.join(" && ", IntStream.range(0, VOLUMES).filter(i -> i % 2 == 1).mapToObj(lines::get)
                    .toList());
            script = "set -o pipefail; (" + odd + ") & a=$!; (" + even + ") & b=$!; wait $a && wait $b";
        } else {
            script = "set -eo pipefail; " + String.join("; ", lines);
        }
        Measurement cost = timed.run(List.of("bash", "-c", script), null);
        System.out.printf(Locale.ROOT, "  %-12s CLI loop, %-15s %6.2f s  CPU %.1f + cluster %.1f s (others %.1f)%n",
                phase, pairs ? "two at a time" : "one at a time", cost.wallSeconds(), cost.clientCpuSeconds(),
                cost.clusterCpuSeconds(), cost.otherCpuSeconds());
        return cost.wallSeconds();
    }

    /**
     * {@code rbd bench} writing {@code bytes} without librbd's cache, 16 IOs in flight: the OSD's rate for the
     * firing's writes. With {@code snapshotFirst}, into an image whose data has a snapshot, as a backup image's has
     * (its restore point): the first write into each object after a snapshot makes the OSD clone the object.
     */
    private double writeCeiling(String ioSize, String pattern, long bytes, boolean snapshotFirst) {
        String image = "volumes/fire-ceiling";
        rbd.cli().create(image, snapshotFirst ? VOLUMES * DATA : Math.max(IMAGE, bytes));
        try {
            if (snapshotFirst) {
                rbd.cli().benchWrite(image, "seq", "4M", VOLUMES * DATA + "B");
                rbd.cli().snapshot(image, "restore-point");
            }
            Measurement cost = timed.run(rbd.cli().argv("bench", "--rbd-cache=false", "--io-type", "write", "--io-size",
                    ioSize, "--io-pattern", pattern, "--io-threads", "16", "--io-total", bytes + "B", image), null);
            System.out.printf(Locale.ROOT, "  write ceiling: rbd bench %s %s x16, %.0f MiB%s: %.2f s%n", ioSize, pattern,
                    bytes / (double) MIB, snapshotFirst ? " into snapshotted data" : "", cost.wallSeconds());
            return cost.wallSeconds();
        } finally {
            rbd.cli().run("snap", "purge", "--no-progress", image);
            rbd.cli().remove(image);
        }
    }

    /**
     * Runs a schedule now through serve's HTTP API, waits for the firing to end, and returns the catalog's time
     * from its first backup record created to its last one finished.
     */
    private double fire(ServeProcess serve, String schedule, List<String> volumes, String kind) {
        Instant asked = Instant.now();
        serve.fire(schedule, FIRING_LIMIT);
        Instant first = null;
        Instant last = null;
        long written = 0;
        List<JsonNode> newest = newestBackups(schedule);
        for (String volume : volumes) {
            JsonNode backup = newest(newest, volume).orElseThrow(() -> new IllegalStateException("the firing of " + schedule + " left no backup of "
                            + volume));
            if (!backup.path("kind").asText().equals(kind) || !backup.path("status").asText().equals("available")
                    || Instant.parse(backup.path("created_at").asText()).isBefore(asked.minusSeconds(1))) {
                throw new IllegalStateException("the " + kind + " firing of " + schedule + " left " + volume + " with "
                        + backup);
            }
            Instant created = Instant.parse(backup.path("created_at").asText());
            Instant finished = Instant.parse(backup.path("finished_at").asText());
            first = first == null || created.isBefore(first) ? created : first;
            last = last == null || finished.isAfter(last) ? finished : last;
            written += backup.path("bytes_written").asLong();
        }
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "  %-12s cairn serve, %-16s %6.2f s (first record created to last finished),"
                + " %.0f MiB written%n", kind, schedule.equals(SCHEDULE) ? "digests" : "no digests", seconds,
                written / (double) MIB);
        return seconds;
    }

    /** The newest backup of a volume through the schedule's cluster file, from {@code cairn list --json}. */
    private JsonNode newestBackup(String schedule, String volume) {
        return newest(newestBackups(schedule), volume).orElseThrow(() -> new IllegalStateException("no backup of " + volume + " through "
                        + schedule + "'s cluster"));
    }

    /** The newest of the volume's backups among {@code backups}. */
    private static java.util.Optional<JsonNode> newest(List<JsonNode> backups, String volume) {
        return backups.stream().filter(backup -> backup.path("volume").asText().equals(volume))
                .max(java.util.Comparator.comparing(backup -> Instant.parse(backup.path("created_at").asText())));
    }

    /** The latest backups through the schedule's cluster file (a page of cairn list). */
    private List<JsonNode> newestBackups(String schedule) {
        String cluster = schedule.equals(SCHEDULE) ? Cairn.CLUSTER : Cairn.PLAIN_CLUSTER;
        List<JsonNode> backups = new ArrayList<>();
        cairnJson("list", "--cluster", cluster, "--all", "--limit", "50").forEach(backups::add);
        return backups;
    }

    /**
     * The incremental of volume 1 (digests) and of volume 2 (no digests) restored into new images and compared by
     * SHA-256 with their source snapshots; the first also verified against the digests it recorded.
     */
    private void checkRestores() {
        check(newestBackup(SCHEDULE, "volumes/fire-1"), "volumes/fire-restore-1");
        check(newestBackup(PLAIN_SCHEDULE, "volumes/fire-2"), "volumes/fire-restore-2");
        // One object per backup verified.
        JsonNode verified = cairnJson("verify", newestBackup(SCHEDULE, "volumes/fire-1").path("id").asText()).path(0);
        String result = verified.path("result").asText();
        System.out.printf(Locale.ROOT, "  verify    incremental of volumes/fire-1 against its digests: %s%n", result);
        if (!result.equals("intact")) {
            mismatches.add("scheduled path: verify of the incremental of volumes/fire-1 found it " + result);
        }
    }

    private void check(JsonNode backup, String target) {
        String source = backup.path("volume").asText() + "@" + backup.path("snapshot").asText();
        String expected = rbd.cli().sha256(source);
        cairnJson("restore", backup.path("id").asText(), target);
        String actual = rbd.cli().sha256(target);
        rbd.cli().remove(target);
        System.out.printf(Locale.ROOT, "  check     %-44s sha256 %s... %s%n", target, actual.substring(0, 16),
                actual.equals(expected) ? "= source snapshot" : "!= SOURCE SNAPSHOT " + expected.substring(0, 16));
        if (!actual.equals(expected)) {
            mismatches.add("scheduled path: " + target + " has sha256 " + actual + ", but its source " + source
                    + " has " + expected);
        }
    }

    private void writeSchedules(List<String> volumes) {
        try {
            Path schedules = Files.createDirectories(conf.resolve("schedules"));
            // Fired only on request: the cron expression's next time is decades away.
            String common = "volumes: [" + String.join(", ", volumes) + "]\ncron: \"0 0 0 1 1 ? 2099\"\n"
                    + "retention: {keep_last: 10}\n";
            Files.writeString(schedules.resolve(SCHEDULE + ".yaml"), "cluster: " + Cairn.CLUSTER + "\n" + common);
            Files.writeString(schedules.resolve(PLAIN_SCHEDULE + ".yaml"), "cluster: " + Cairn.PLAIN_CLUSTER + "\n"
                    + common);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode cairnJson(String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("cairn").toString(), "--conf", conf.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--json", "-q"));
        if (args[0].equals("list")) {
            command.remove("-q");
        }
        StringBuilder out = new StringBuilder();
        timed.run(command, out);
        try {
            return JSON.readTree(out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rbdLine() {
        List<String> argv = rbd.cli().argv();
        return argv.get(0) + " " + argv.get(1) + " '" + argv.get(2) + "'";
    }


}
