package io.cairn.benchmark;

import static io.cairn.benchmark.RandomWrites.GIB;
import static io.cairn.benchmark.RandomWrites.KIB;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One round of the benchmark: every measured step once, on images of its own, then those images
 * removed so that every round starts from the same, nearly empty, OSD.
 *
 * <p>Each Cairn step has a CLI twin on the same data. Which of the two runs first alternates between
 * rounds, so neither always finds the cluster warmer or fuller.
 */
final class Round {

    private static final long DATA = GIB;
    private static final long BENCH_IMAGE = 2 * GIB;
    private static final int CHANGED_WRITES = 1600;
    private static final int CHANGE_SIZE = 64 * KIB;
    private static final int THIN_OBJECTS = 160;

    private final int number;
    private final RbdReference rbd;
    private final Cairn cairn;
    private final CpuClock cpuClock;
    private final BiConsumer<Work, Step> printer;
    private final Map<Work, Step> steps = new EnumMap<>(Work.class);
    private final List<String> mismatches = new ArrayList<>();
    private long peakClusterRss;
    /** Images to remove at the end of the round. */
    private final List<String> images = new ArrayList<>();

    Round(int number, RbdReference rbd, Cairn cairn, CpuClock cpuClock, BiConsumer<Work, Step> printer) {
        this.number = number;
        this.rbd = rbd;
        this.cairn = cairn;
        this.cpuClock = cpuClock;
        this.printer = printer;
    }

    /** What a round measured, and which checksums did not match (none, when the results are right). */
    record Result(Map<Work, Step> steps, List<String> mismatches) {
    }

    Result run() {
        try {
            record(Work.VERSION, Step.of(cairn.idle("--version").cost()));
            record(Work.LIST, Step.of(cairn.idle("list").cost()));
            backupRestoreAndCheck();
            removeImages();
            fullBackupOfThinImage();
            removeImages();
            smallIncrementalOfThinImage(GIB, Work.THIN1_FULL_CAIRN, Work.THIN1_CAIRN, Work.THIN1_CLI,
                    Work.THIN1_PLAIN_CAIRN);
            removeImages();
            smallIncrementalOfThinImage(100 * GIB, Work.THIN100_FULL_CAIRN, Work.THIN100_CAIRN, Work.THIN100_CLI, null);
            removeImages();
        } catch (RuntimeException e) {
            try {
                removeImages();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        System.out.printf("  (resident memory of the Ceph daemons: at most %.0f MiB after a step, %.0f MiB at the end)%n",
                peakClusterRss / (1024.0 * 1024.0), cpuClock.clusterRssBytes() / (1024.0 * 1024.0));
        return new Result(steps, mismatches);
    }

    /**
     * The main comparison: full, incremental and restore of a 2 GiB image holding 1 GiB, with the write
     * ceiling measured just before, on the cluster in the same state. Images are removed as soon as
     * they are no longer needed.
     */
    private void backupRestoreAndCheck() {
        String image = image("volumes/bench-" + number, BENCH_IMAGE);
        String cliBase = image("backups/cli-bench-" + number, BENCH_IMAGE);
        rbd.write(image, RandomWrites.contiguous(0, DATA), seed(1));
        record(Work.CEILING, Step.of(rbd.writeCeiling("volumes/ceiling-" + number, DATA), DATA, DATA));
        record(Work.READ_CEILING, Step.of(rbd.readCeiling(image, DATA), DATA, 0));

        Cairn.Run[] full = new Cairn.Run[1];
        inTurn(() -> full[0] = cairnBackup(Work.FULL_CAIRN, image, true), () -> {
            rbd.cli().snapshot(image, "cli-full");
            record(Work.FULL_CLI, cliStep(rbd.exportDiffImportDiff(image, null, "cli-full", cliBase),
                    rbd.dataBytes(image + "@cli-full", null)));
        });
        images.add("backups/" + full[0].text("base"));
        // Verify reads what the full backup stored (its 1 GiB of data; the rest is holes, known without
        // reading) against the digests recorded while it was written. Its rate is compared with the read
        // ceiling above, measured on the same data.
        Cairn.Run verify = cairn.verify(full[0].text("id"));
        record(Work.VERIFY_CAIRN, new Step(verify.cost(), verify.number("read_bytes"), -1, verify.decimal("seconds")));
        // The same chain without digests, on the cluster file with record_digests off: the difference of the
        // two incrementals below is what digests cost an incremental.
        Cairn.Run plain = cairn.backup(Cairn.PLAIN_CLUSTER, image, true);
        images.add("backups/" + plain.text("base"));

        rbd.write(image, RandomWrites.randomPlaces(CHANGED_WRITES, CHANGE_SIZE, BENCH_IMAGE, seed(2)), seed(3));
        Cairn.Run[] incremental = new Cairn.Run[1];
        inTurn(() -> incremental[0] = cairnBackup(Work.INCREMENTAL_CAIRN, image, false), () -> {
            record(Work.SNAPSHOT_CLI, Step.of(rbd.timedSnapshot(image, "cli-incremental")));
            record(Work.INCREMENTAL_CLI, cliStep(rbd.exportDiffImportDiff(image, "cli-full", "cli-incremental",
                    cliBase), rbd.dataBytes(image + "@cli-incremental", "cli-full")));
        });
        cairnBackup(Work.INCREMENTAL_PLAIN_CAIRN, Cairn.PLAIN_CLUSTER, image, false);
        if (!incremental[0].text("kind").equals("incremental")) {
            throw new IllegalStateException("the second backup of " + image + " was not incremental: "
                    + incremental[0].json());
        }
        String source = image + "@" + incremental[0].text("snapshot");
        String expected = rbd.cli().sha256(source);
        // What every backup costs whatever it moves: JVM, host, connecting, snapshots, catalog.
        cairnBackup(Work.NOTHING_CAIRN, image, false);
        remove(image);

        // A fast wrong result must not pass: each restore must hold exactly the source snapshot's bytes.
        String cairnTarget = "volumes/restore-cairn-" + number;
        String cliTarget = "volumes/restore-cli-" + number;
        images.add(cairnTarget);
        images.add(cliTarget);
        inTurn(() -> {
            Cairn.Run restore = cairn.restore(incremental[0].text("id"), cairnTarget);
            record(Work.RESTORE_CAIRN, Step.of(restore.cost(), -1, restore.number("bytes_written")));
            checkAndRemove(cairnTarget, expected, source);
        }, () -> {
            record(Work.RESTORE_CLI, cliStep(rbd.exportImport(cliBase + "@cli-incremental", cliTarget),
                    rbd.dataBytes(cliBase + "@cli-incremental", null)));
            checkAndRemove(cliTarget, expected, source);
        });
    }

    /** Peak memory with a volume ten times larger: 1 GiB spread over a 20 GiB thin image. */
    private void fullBackupOfThinImage() {
        long size = 20 * GIB;
        String image = image("volumes/thin20-" + number, size);
        rbd.write(image, RandomWrites.spreadObjects((int) (DATA / RandomWrites.OBJECT_SIZE), size), seed(4));
        Cairn.Run full = cairnBackup(Work.THIN20_CAIRN, image, true);
        images.add("backups/" + full.text("base"));
    }

    /**
     * An incremental of 10 MiB in a thin image of {@code size}: 64 KiB in each of 160 objects that
     * already held data at the full backup. The change is the same whatever the image's size, so the
     * two sizes compare only what a larger volume costs by itself. (Writes into objects created since
     * the parent are a different matter: librbd reports those from the object's start to its last
     * write - the 1600-write incremental above has many.) With {@code plainWork}, the same incremental on
     * the cluster file with record_digests off too: each of the 160 changed objects is read whole for its
     * digest, which is the worst case of what digests cost.
     */
    private void smallIncrementalOfThinImage(long size, Work fullWork, Work cairnWork, Work cliWork, Work plainWork) {
        String image = image("volumes/thin-" + (size / GIB) + "g-" + number, size);
        String cliBase = image("backups/cli-thin-" + (size / GIB) + "g-" + number, size);
        List<Long> objects = RandomWrites.randomObjects(THIN_OBJECTS, size, seed(5));
        rbd.write(image, RandomWrites.insideObjects(objects, CHANGE_SIZE, seed(6)), seed(7));
        Cairn.Run full = cairnBackup(fullWork, image, true);
        images.add("backups/" + full.text("base"));
        boolean plainToo = plainWork != null;
        if (plainToo) {
            images.add("backups/" + cairn.backup(Cairn.PLAIN_CLUSTER, image, true).text("base"));
        }
        rbd.cli().snapshot(image, "cli-full");
        rbd.exportDiffImportDiff(image, null, "cli-full", cliBase);

        rbd.write(image, RandomWrites.insideObjects(objects, CHANGE_SIZE, seed(8)), seed(9));
        if (plainToo) {
            cairnBackup(plainWork, Cairn.PLAIN_CLUSTER, image, false);
        }
        inTurn(() -> cairnBackup(cairnWork, image, false), () -> {
            rbd.cli().snapshot(image, "cli-incremental");
            record(cliWork, cliStep(rbd.exportDiffImportDiff(image, "cli-full", "cli-incremental", cliBase),
                    rbd.dataBytes(image + "@cli-incremental", "cli-full")));
        });
    }

    private Cairn.Run cairnBackup(Work work, String image, boolean full) {
        return cairnBackup(work, Cairn.CLUSTER, image, full);
    }

    private Cairn.Run cairnBackup(Work work, String cluster, String image, boolean full) {
        Cairn.Run run = cairn.backup(cluster, image, full);
        record(work, new Step(run.cost(), run.number("bytes_transferred"), run.number("bytes_written"),
                run.recordedSeconds()));
        return run;
    }

    /** The rbd pipes move every byte of data they read: the stream is both. */
    private static Step cliStep(Measurement cost, long streamed) {
        return Step.of(cost, streamed, streamed);
    }

    private void checkAndRemove(String target, String expected, String source) {
        String actual = rbd.cli().sha256(target);
        remove(target);
        if (!actual.equals(expected)) {
            mismatches.add("round " + number + ": " + target + " has sha256 " + actual + ", but its source " + source
                    + " has " + expected);
        }
        System.out.printf("  check     %-44s sha256 %s... %s%n", target, actual.substring(0, 16),
                actual.equals(expected) ? "= source snapshot" : "!= SOURCE SNAPSHOT " + expected.substring(0, 16));
    }

    /** Cairn first in odd rounds, the CLI first in even ones. */
    private void inTurn(Runnable cairnStep, Runnable cliStep) {
        if (number % 2 == 1) {
            cairnStep.run();
            cliStep.run();
        } else {
            cliStep.run();
            cairnStep.run();
        }
    }

    private String image(String name, long size) {
        rbd.cli().create(name, size);
        images.add(name);
        return name;
    }

    private void record(Work work, Step step) {
        peakClusterRss = Math.max(peakClusterRss, cpuClock.clusterRssBytes());
        steps.put(work, step);
        printer.accept(work, step);
    }

    private void remove(String image) {
        rbd.cli().remove(image);
        images.remove(image);
    }

    /** Removes what the round still holds; each image is forgotten once removed, so a retry is safe. */
    private void removeImages() {
        for (String image : List.copyOf(images)) {
            remove(image);
        }
    }

    /** The same data in every run of the benchmark, different data in every round and purpose. */
    private long seed(int purpose) {
        return 1_000L * number + purpose;
    }
}
