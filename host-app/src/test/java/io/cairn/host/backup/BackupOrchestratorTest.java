package io.cairn.host.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-volume lock: a backup of a volume that is being backed up is refused, with who and since when. */
class BackupOrchestratorTest {

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");

    @TempDir
    Path root;

    private TestConf conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        Path volume = conf.volumesDir("lab").resolve("volumes/db1");
        Files.createDirectories(volume.getParent());
        Files.write(volume, new byte[64 * 1024]);
    }

    @Test
    void aSecondBackupOfAVolumeIsRefusedWhileOneRuns() throws Exception {
        CountDownLatch transferring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProgressListener blocking = (done, total) -> {
            transferring.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (Host host = Host.open(conf.dir())) {
            BackupOrder order = new BackupOrder(host.cluster("lab"), DB1, false, Map.of());
            CompletableFuture<BackupOutcome> first = CompletableFuture.supplyAsync(
                    () -> host.backups().backup(order, blocking));
            assertTrue(transferring.await(30, TimeUnit.SECONDS), "the first backup never started transferring");

            VolumeBusyException refused = assertThrows(VolumeBusyException.class,
                    () -> host.backups().backup(order, ProgressListener.NONE));
            assertTrue(refused.getMessage().startsWith("volume volumes/db1 on cluster lab is busy: backup "),
                    refused.getMessage());

            // Another process (a second `cairn backup`) is refused the same way, with exit code 1.
            CliRun cli = CliRun.of(conf, "backup", "lab", "volumes/db1");
            assertEquals(1, cli.exitCode(), cli.toString());
            assertTrue(cli.err().contains("volume volumes/db1 on cluster lab is busy: backup "), cli.err());

            // Other volumes are not held up.
            Files.write(conf.volumesDir("lab").resolve("volumes/db2"), new byte[4096]);
            assertEquals(BackupStatus.AVAILABLE, host.backups().backup(new BackupOrder(host.cluster("lab"),
                    new VolumeRef("volumes/db2"), false, Map.of()), ProgressListener.NONE).record().status());

            release.countDown();
            assertEquals(BackupStatus.AVAILABLE, first.get(30, TimeUnit.SECONDS).record().status());
            // Released afterwards: the next backup runs, incremental from the first.
            BackupOutcome next = host.backups().backup(order, ProgressListener.NONE);
            assertEquals(first.get().record().id(), next.record().parent().orElseThrow());
        }
    }

    @Test
    void aFailedBackupReleasesTheVolume() {
        try (Host host = Host.open(conf.dir())) {
            BackupOrder order = new BackupOrder(host.cluster("lab"), new VolumeRef("volumes/missing"), false, Map.of());
            OperationFailedException failed = assertThrows(OperationFailedException.class,
                    () -> host.backups().backup(order, ProgressListener.NONE));
            assertEquals(BackupStatus.ERROR, failed.record().orElseThrow().status());
            assertThrows(OperationFailedException.class, () -> host.backups().backup(order, ProgressListener.NONE));
        }
    }
}
