package io.cairn.ceph.bench;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.ceph.testing.TestVolumes;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the Ceph plugin's transfers against the rbd CLI on one throwaway cluster, in one run: the
 * write ceiling ({@code rbd bench}), a full backup of an image holding {@code DATA_GIB} GiB of random
 * data natively, through the plugin's rbd-cli transfer, and through a plain shell pipe
 * {@code rbd export-diff | rbd import-diff}. Prints times and ratios. Not a test: run it with
 * {@code scripts/bench-transfer}.
 */
public final class TransferBenchmark {

    private static final long GIB = 1L << 30;

    public static void main(String[] args) {
        int dataGib = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        TestCluster cluster = TestCluster.primary();
        String image = "bench";
        try (TestVolumes volumes = new TestVolumes(cluster, "volumes", 99)) {
            volumes.create(image, 2L * dataGib * GIB);
            long started = System.nanoTime();
            for (long offset = 0; offset < dataGib * GIB; offset += 64L << 20) {
                volumes.writeRandom(image, offset, 64 << 20);
            }
            report("fill " + dataGib + " GiB of random data (rados-java, sync)", seconds(started), dataGib * GIB);
        }
        cluster.rbd("create", "--size", dataGib + "G", "volumes/ceiling");
        long ceilingStart = System.nanoTime();
        cluster.rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-threads", "16", "--io-total",
                dataGib + "G", "volumes/ceiling");
        double ceiling = seconds(ceilingStart);
        report("write ceiling: rbd bench write 4M x16", ceiling, dataGib * GIB);
        cluster.rbd("rm", "--no-progress", "volumes/ceiling");

        double nativeSeconds = backup(cluster, image, Map.of(), "full backup, native (librbd AIO)");
        double cliSeconds = backup(cluster, image, Map.of("transfer", "rbd-cli"), "full backup, transfer: rbd-cli");

        String snap = cluster.snapshots("volumes/" + image).get(0);
        cluster.rbd("create", "--size", 2 * dataGib + "G", "backups/shell-pipe");
        long pipeStart = System.nanoTime();
        TestCluster.Result pipe = TestCluster.run(List.of("bash", "-c", "rbd --conf " + cluster.conf()
                + " --no-progress export-diff volumes/" + image + "@" + snap + " - | rbd --conf " + cluster.conf()
                + " --no-progress import-diff - backups/shell-pipe"), 3600);
        double pipeSeconds = seconds(pipeStart);
        if (pipe.exitCode() != 0) {
            throw new IllegalStateException("shell pipe failed: " + pipe.stderr());
        }
        report("full backup, shell: rbd export-diff | rbd import-diff", pipeSeconds, dataGib * GIB);

        System.out.printf(Locale.ROOT, "%nratio native / shell pipe: %.2f%n", nativeSeconds / pipeSeconds);
        System.out.printf(Locale.ROOT, "ratio native / write ceiling time: %.2f (%.0f%% of the ceiling's rate)%n",
                nativeSeconds / ceiling, 100 * ceiling / nativeSeconds);
        System.out.printf(Locale.ROOT, "ratio plugin rbd-cli / shell pipe: %.2f%n", cliSeconds / pipeSeconds);
        System.exit(0);
    }

    private static double backup(TestCluster cluster, String image, Map<String, Object> options, String label) {
        try (BackendSession session = CephSessions.open(cluster, options)) {
            VolumeRef volume = new VolumeRef("volumes/" + image);
            BackupId id = BackupId.random();
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, volume));
            long started = System.nanoTime();
            TransferResult result = session.transfers().transfer(
                    new TransferRequest(snapshot, java.util.Optional.empty(), Map.of(), ProgressListener.NONE));
            double seconds = seconds(started);
            report(label, seconds, result.bytesWritten());
            session.snapshots().removeAllBut(volume, id);
            return seconds;
        }
    }

    private static void report(String what, double seconds, long bytes) {
        System.out.printf(Locale.ROOT, "%-58s %7.2f s  %8.1f MiB/s  (%d MiB)%n", what, seconds,
                bytes / seconds / (1 << 20), bytes >> 20);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
