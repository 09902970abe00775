package io.cairn.host.demo;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.option.ByteSize;
import io.cairn.host.Host;
import io.cairn.host.backup.BackupOrder;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.config.ConfiguredCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code cairn demo}: a real backup and restore on a throwaway Ceph cluster, start to finish.
 *
 * <p>Starts a cluster, writes a conf directory for it, creates an RBD image and writes data, takes a
 * full and then (after more writes) an incremental backup through the same orchestration as
 * {@code cairn backup}, restores both into new images, and compares SHA-256 checksums of each restore
 * with its source snapshot, read independently by the {@code rbd} CLI. Then a schedule runs for a minute
 * through the same scheduler as {@code cairn serve} ({@link ScheduledDemo}). Everything is torn down at
 * the end, whatever happened.
 */
public final class Demo {

    private static final String CLUSTER = "demo";
    private static final String IMAGE = "volumes/demo-disk";

    private final Path projectRoot;
    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, StepProgress> progress;

    /**
     * A progress display the demo opens for each backup and restore and closes when it is done.
     */
    public interface StepProgress extends ProgressListener, AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param progress makes the progress display for one step, from its label
     */
    public Demo(Path projectRoot, PrintStream out, PrintStream err, Function<String, StepProgress> progress) {
        this.projectRoot = projectRoot;
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    /** @return whether every checksum matched */
    public boolean run() {
        Path work = createWorkDir();
        Path clusterDir = work.resolve("ceph");
        // On Ctrl-C the try blocks below do not run: stop the daemons and remove the files from a hook.
        Thread tearDown = new Thread(() -> {
            DevCluster.stopQuietly(projectRoot, clusterDir, err);
            deleteTree(work);
        }, "demo-tear-down");
        Runtime.getRuntime().addShutdownHook(tearDown);
        try {
            step("starting a throwaway Ceph cluster (installs Ceph's packages first if they are missing)");
            try (DevCluster cluster = DevCluster.start(projectRoot, clusterDir, err)) {
                return runOn(cluster, work);
            }
        } finally {
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(tearDown);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
            step("stopped the cluster and removed " + work);
        }
    }

    private boolean runOn(DevCluster cluster, Path work) {
        Path conf = writeConf(work, cluster);
        Rbd rbd = new Rbd(cluster.conf(), err);
        step("creating " + IMAGE + " (256 MiB) and writing 48 MiB of data into it");
        rbd.create(IMAGE, "256M");
        rbd.writeRandom(IMAGE, "64K", "48M");

        List<String> report = new ArrayList<>();
        boolean allMatch = true;
        try (Host host = Host.open(conf)) {
            ConfiguredCluster demo = host.cluster(CLUSTER);
            step("full backup of " + IMAGE);
            BackupRecord full = backup(host, demo);
            String fullSource = rbd.sha256(IMAGE + "@" + full.snapshotName().orElseThrow());

            step("writing 8 MiB more in 4 KiB pieces, then an incremental backup");
            rbd.writeRandom(IMAGE, "4K", "8M");
            BackupRecord incremental = backup(host, demo);
            String incrementalSource = rbd.sha256(IMAGE + "@" + incremental.snapshotName().orElseThrow());

            report.add(describe("full backup", full));
            report.add(describe("incremental backup", incremental));
            allMatch &= restoreAndCompare(host, demo, rbd, full, "volumes/demo-restore-full", fullSource, report);
            allMatch &= restoreAndCompare(host, demo, rbd, incremental, "volumes/demo-restore-incremental",
                    incrementalSource, report);
        }
        step("scheduled phase: schedule " + ScheduledDemo.SCHEDULE + " fires every 5 s for a minute (full_every 4,"
                + " keep_last 3) while data keeps changing");
        allMatch &= new ScheduledDemo(conf, rbd, IMAGE, err).run(report);
        out.println();
        out.println("Cairn demo: " + IMAGE + " on a throwaway Ceph cluster (catalog and conf in " + work + ")");
        report.forEach(line -> out.println("  " + line));
        out.println(allMatch ? "All restores are byte-identical to their source snapshots."
                : "CHECKSUM MISMATCH: a restore differs from its source snapshot.");
        return allMatch;
    }

    private BackupRecord backup(Host host, ConfiguredCluster demo) {
        try (StepProgress display = progress.apply("backup of " + IMAGE)) {
            return host.backups().backup(new BackupOrder(demo, new VolumeRef(IMAGE), false,
                    Map.of("origin", "cairn-demo")), display).record();
        }
    }

    private boolean restoreAndCompare(Host host, ConfiguredCluster demo, Rbd rbd, BackupRecord backup, String target,
            String sourceSha, List<String> report) {
        step("restoring the " + backup.kind().label() + " backup into " + target);
        RestoreResult result;
        try (StepProgress display = progress.apply("restore into " + target)) {
            result = host.restores().restore(backup, demo, new VolumeRef(target), false, display).result();
        }
        String restoredSha = rbd.sha256(target);
        boolean match = restoredSha.equals(sourceSha);
        report.add(String.format("restore into %-33s %s restore, sha256 %s... %s", target,
                result.mode().name().toLowerCase(java.util.Locale.ROOT), restoredSha.substring(0, 16),
                match ? "= source snapshot" : "!= source snapshot " + sourceSha.substring(0, 16) + "..."));
        return match;
    }

    private static String describe(String what, BackupRecord record) {
        Duration took = Duration.between(record.startedAt(), record.finishedAt().orElse(record.startedAt()));
        return String.format("%-19s %s  %s written in %.1f s%s", what, record.id(), ByteSize.human(record.bytesWritten()),
                took.toMillis() / 1000.0, record.parent().map(p -> " (parent " + p + ")").orElse(""));
    }

    private Path writeConf(Path work, DevCluster cluster) {
        Path conf = work.resolve("conf");
        try {
            Files.createDirectories(conf.resolve("clusters"));
            Files.writeString(conf.resolve("cairn.yaml"), "# Written by `cairn demo`; removed when it ends.\n"
                    + "plugins_dir: " + projectRoot.resolve("plugins") + "\n"
                    + "data_dir: " + work.resolve("data") + "\n");
            Files.writeString(conf.resolve("clusters").resolve(CLUSTER + ".yaml"), "plugin: ceph\noptions:\n"
                    + "  conf: " + cluster.conf() + "\n  user: admin\n  pool: backups\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }

    private void step(String text) {
        err.println("demo: " + text);
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("cairn-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
