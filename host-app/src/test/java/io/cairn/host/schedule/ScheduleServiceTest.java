package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.operation.BackupKind;
import io.cairn.host.Host;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VerifyRecord;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.catalog.CatalogDialect;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestCatalogs;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quartz.SchedulerException;

/**
 * {@code cairn serve}'s scheduling on the real Quartz JDBC job store in an H2 catalog, with the directory
 * test backend: reconciliation of schedule files into jobs and triggers across restarts, a firing missed
 * while the scheduler was stopped running once (not once per missed time), patterns resolved at every
 * firing, chains and retention after each backup.
 */
class ScheduleServiceTest {

    private static final String FAR_FUTURE = "0 0 3 1 1 ? 2099";

    @TempDir
    Path root;
    private TestConf conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        writeVolume("volumes/db1");
    }

    private void writeVolume(String name) throws IOException {
        Path file = conf.volumesDir("lab").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[16 * 1024]);
    }

    private void schedule(String name, String cron, String extra) {
        conf.write("schedules/" + name + ".yaml", "cluster: lab\nvolumes: [volumes/db1]\ncron: \"" + cron + "\"\n" + extra);
    }

    private List<Schedule> schedules() {
        return ScheduleFileReader.readAll(ConfDirectory.at(conf.dir()));
    }

    private static List<BackupRecord> backups(Host host, boolean includeDeleted) {
        return host.catalog().list(new BackupFilter(java.util.Optional.of("lab"), java.util.Optional.empty(), includeDeleted));
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Sleeps until {@code offsetMillis} past the next multiple of {@code periodMillis} of the wall clock. */
    private static void alignTo(long periodMillis, long offsetMillis) throws InterruptedException {
        long now = System.currentTimeMillis();
        long target = (now / periodMillis + 1) * periodMillis + offsetMillis;
        Thread.sleep(target - now);
    }

    /** The job store's contract, on each database the catalog can live in (Quartz's delegate for each). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CatalogDialect.class)
    void schedulesAreReconciledIntoJobsAndTriggersAtEachStart(CatalogDialect kind) throws SchedulerException {
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + TestCatalogs.yaml(kind, root));
        schedule("alpha", FAR_FUTURE, "");
        schedule("beta", FAR_FUTURE, "");
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            assertEquals(List.of("alpha", "beta"), service.reconciliation().added().stream().sorted().toList());
            service.stop();
        }
        schedule("alpha", "0 0 4 1 1 ? 2099", "time_zone: Europe/Berlin\n");
        conf.write("schedules/gamma.yaml", "cluster: lab\nvolumes: [volumes/db1]\ncron: \"" + FAR_FUTURE + "\"\n");
        try {
            Files.delete(conf.dir().resolve("schedules/beta.yaml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            ScheduleReconciler.Report report = service.reconciliation();
            assertEquals(List.of("gamma"), report.added());
            assertEquals(List.of("alpha"), report.changed());
            assertEquals(List.of("beta"), report.removed());
            assertEquals("2099-01-01T03:00:00Z", service.nextFiring("alpha").orElseThrow().toString(), "04:00 in Berlin");
            service.stop();
        }
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            assertEquals(List.of("alpha", "gamma"), service.reconciliation().unchanged().stream().sorted().toList());
            assertEquals(List.of(), service.reconciliation().added());
            service.stop();
        }
    }

    /**
     * Stops the scheduler across several firing times and starts it again: the missed firings run as one
     * backup at once, and the schedule then goes on at its regular times. With a short misfire threshold
     * Quartz's misfire handling (fire once now) does it; with the default minute the job coalesces the
     * overdue firings.
     */
    @ParameterizedTest(name = "misfire_threshold {0}")
    @ValueSource(strings = {"1s", "60s"})
    void firingsMissedWhileStoppedRunOnce(String threshold) throws Exception {
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\nmisfire_threshold: " + threshold + "\n");
        schedule("often", "0/6 * * * * ?", "");
        int before;
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            waitFor("the first backup", Duration.ofSeconds(15), () -> backups(host, false).size() == 1);
            service.stop();
            before = backups(host, false).size();
        }
        // Stopped across at least two firing times; start again half a second after one, so that the
        // next regular time is 5.5 s away and a catch-up firing cannot be mistaken for it.
        Thread.sleep(12_500);
        alignTo(6_000, 500);
        long restarted = System.currentTimeMillis();
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            waitFor("the catch-up backup", Duration.ofMillis(4_500), () -> backups(host, false).size() > before);
            Thread.sleep(Math.max(0, restarted + 5_000 - System.currentTimeMillis()));
            assertEquals(before + 1, backups(host, false).size(), "the missed firings ran more than once");
            waitFor("the next regular backup", Duration.ofSeconds(5), () -> backups(host, false).size() == before + 2);
            service.stop();
            ScheduleRun last = host.runLog().last("often").orElseThrow();
            assertEquals(ScheduleRun.Status.OK, last.status(), last.summary());
        }
    }

    @Test
    void patternsPickUpNewVolumesAndChainsAndRetentionFollowTheRules() throws Exception {
        writeVolume("volumes/web-1");
        conf.write("schedules/every.yaml", "cluster: lab\nvolumes: [volumes/web-*]\ncron: \"* * * * * ?\"\n"
                + "chain: {full_every: 2}\nretention: {keep_last: 2}\nlabels: {tier: test}\n");
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            waitFor("a backup of web-1", Duration.ofSeconds(10), () -> backups(host, false).stream()
                    .anyMatch(b -> b.volume().locator().equals("volumes/web-1")));
            writeVolume("volumes/web-2");
            waitFor("five backups of web-2", Duration.ofSeconds(20), () -> backups(host, true).stream()
                    .filter(b -> b.volume().locator().equals("volumes/web-2")).count() >= 5);
            service.stop();
            List<BackupRecord> web2 = backups(host, true).stream()
                    .filter(b -> b.volume().locator().equals("volumes/web-2")).toList();
            for (int i = 0; i < web2.size(); i++) {
                BackupRecord backup = web2.get(i);
                // full_every 2: full, incremental, full, incremental ...
                assertEquals(i % 2 == 0 ? BackupKind.FULL : BackupKind.INCREMENTAL, backup.kind(), "backup " + i);
                if (backup.kind() == BackupKind.INCREMENTAL) {
                    assertEquals(web2.get(i - 1).id(), backup.parent().orElseThrow());
                }
                // keep_last 2: only the newest two remain.
                assertEquals(i >= web2.size() - 2 ? BackupStatus.AVAILABLE : BackupStatus.DELETED, backup.status(),
                        "backup " + i);
                assertEquals("every", backup.labels().get("schedule"));
                assertEquals("test", backup.labels().get("tier"));
            }
            assertTrue(web2.get(web2.size() - 1).planReason().contains("full_every 2"), web2.get(web2.size() - 1).planReason());
        }
    }

    /**
     * Finding 6 of issue 10: with the plugin of one cluster missing, {@code serve} used to exit 2, so no
     * schedule ran. Now only that cluster's schedules fail, at each firing, recorded and logged.
     */
    @Test
    void aScheduleWhosePluginIsMissingFailsItsFiringsVisiblyWhileTheOthersRun() throws Exception {
        conf.cluster("offsite", "plugin: ceph\noptions:\n  pool: backups\n");
        conf.write("schedules/offsite.yaml", "cluster: offsite\nvolumes: [volumes/db1]\ncron: \"* * * * * ?\"\n");
        schedule("local", "* * * * * ?", "");
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            assertEquals(List.of("offsite"), List.copyOf(service.unavailable().keySet()));
            assertTrue(service.unavailable().get("offsite").contains("no loaded plugin provides backend 'ceph'"),
                    service.unavailable().toString());
            waitFor("a firing of each schedule", Duration.ofSeconds(15),
                    () -> host.runLog().last("offsite").filter(r -> r.finishedAt().isPresent()).isPresent()
                            && !backups(host, false).isEmpty());
            service.stop();
            ScheduleRun offsite = host.runLog().last("offsite").orElseThrow();
            assertEquals(ScheduleRun.Status.FAILED, offsite.status(), offsite.summary());
            assertTrue(offsite.summary().startsWith("cluster offsite cannot be used: " + conf.dir().resolve(
                    "clusters/offsite.yaml") + ": no loaded plugin provides backend 'ceph'"), offsite.summary());
            assertEquals(ScheduleRun.Status.OK, host.runLog().last("local").orElseThrow().status());
        }
        // The CLI shows it too.
        io.cairn.host.testing.CliRun shown = io.cairn.host.testing.CliRun.of(conf, "schedules", "--offline", "--json");
        assertTrue(shown.out().contains("cluster offsite cannot be used"), shown.toString());
    }

    /**
     * Crash recovery runs volume by volume in the background: a volume whose recovery is slow (a delete
     * left unfinished that takes 20 s to repeat) holds up no schedule of another volume.
     */
    @Test
    void aSlowRecoveryOfOneVolumeHoldsUpNoOtherSchedule() throws Exception {
        writeVolume("volumes/db2");
        BackupRecord left;
        try (Host host = Host.open(conf.dir())) {
            left = host.backups().backup(new io.cairn.host.backup.BackupOrder(host.cluster("lab"),
                    new io.cairn.api.model.VolumeRef("volumes/db2"), false, java.util.Map.of()),
                    io.cairn.api.ProgressListener.NONE).record();
            // As a process killed in the middle of deleting it leaves it.
            assertTrue(host.catalog().update(host.catalog().find(left.id()).orElseThrow()
                    .withStatus(BackupStatus.DELETING), BackupStatus.AVAILABLE));
        }
        conf.cluster("lab", "plugin: dir\noptions:\n  volumes_dir: " + conf.volumesDir("lab") + "\n  backup_dir: "
                + root.resolve("backups/lab") + "\n  delete_pause: 20s\n");
        schedule("db1", "* * * * * ?", "");
        try (Host host = Host.open(conf.dir())) {
            long started = System.nanoTime();
            ScheduleService service = host.serve(schedules());
            waitFor("a backup of volumes/db1", Duration.ofSeconds(10), () -> backups(host, false).stream()
                    .anyMatch(b -> b.volume().locator().equals("volumes/db1") && b.status() == BackupStatus.AVAILABLE));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(BackupStatus.DELETING, host.catalog().find(left.id()).orElseThrow().status(),
                    "the slow recovery of volumes/db2 ended before the backup of volumes/db1; the test proves nothing");
            assertTrue(seconds < 10, "db1 waited " + seconds + " s");
            List<String> report = host.recovery().awaitAll();
            assertEquals(BackupStatus.DELETED, host.catalog().find(left.id()).orElseThrow().status(), report.toString());
            assertTrue(report.stream().anyMatch(line -> line.startsWith("cluster lab, volumes/db2: backup " + left.id()
                    + " was left deleting; delete finished")), report.toString());
            service.stop();
        }
    }

    @Test
    void schedulesVerifyEachNewBackupAndEveryBackupInFullWhenDueAndServePurgesAfterTheGrace() throws Exception {
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + TestConf.FREE_PORT
                + "delete_grace: 2s\n");
        conf.write("schedules/verified.yaml", "cluster: lab\nvolumes: [volumes/db1]\ncron: \"* * * * * ?\"\n"
                + "retention: {keep_last: 1}\nverify: {after_backup: 100, compare_source: true, full_every: 1h}\n");
        try (Host host = Host.open(conf.dir())) {
            ScheduleService service = host.serve(schedules());
            waitFor("three backups", Duration.ofSeconds(20), () -> backups(host, true).size() >= 3);
            // keep_last 1 with a 2 s grace: pruned backups expire, and serve purges them once the grace has passed.
            waitFor("a pruned backup purged by serve", Duration.ofSeconds(90), () -> backups(host, true).stream()
                    .anyMatch(b -> b.status() == BackupStatus.DELETED));
            service.stop();
            List<BackupRecord> all = backups(host, true);
            for (BackupRecord backup : all) {
                List<VerifyRecord> verifies = host.verifyLog().history(backup.id());
                // after_backup 100 is a full verify, so full_every 1h finds none due: one verify each.
                assertEquals(1, verifies.size(), "backup " + backup.id() + " was verified once, after it was stored: "
                        + verifies);
                VerifyRecord first = verifies.get(0);
                assertEquals(io.cairn.api.operation.VerifyResult.Verdict.INTACT, first.result());
                assertTrue(first.complete() && first.sourceCompared(), first.toString());
            }
            assertTrue(all.stream().anyMatch(b -> b.status() == BackupStatus.EXPIRING || b.status() == BackupStatus.DELETED),
                    "retention expired what it pruned: " + all);
        }
    }

    /**
     * An operator who shortens {@code delete_grace} to 0 still has the backups an earlier grace left expiring;
     * serve removes each when the end of grace it was given has passed, as {@code cairn purge} would.
     */
    @Test
    void serveWithNoGracePurgesWhatAnEarlierGraceLeftExpiringOnceItsGraceHasPassed() throws Exception {
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + TestConf.FREE_PORT
                + "delete_grace: 3s\n");
        BackupRecord expiring;
        try (Host host = Host.open(conf.dir())) {
            expiring = host.backups().backup(new io.cairn.host.backup.BackupOrder(host.cluster("lab"),
                    new io.cairn.api.model.VolumeRef("volumes/db1"), false, java.util.Map.of()),
                    io.cairn.api.ProgressListener.NONE).record();
        }
        assertTrue(Files.exists(root.resolve("backups/lab/store/" + expiring.id().value() + ".img")), "the backup's copy");
        io.cairn.host.testing.CliRun deleted = io.cairn.host.testing.CliRun.of(conf, "delete",
                String.valueOf(expiring.id().value()));
        assertEquals(0, deleted.exitCode(), deleted.toString());
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + TestConf.FREE_PORT
                + "delete_grace: 0s\n");
        try (Host host = Host.open(conf.dir())) {
            assertEquals(BackupStatus.EXPIRING, host.catalog().find(expiring.id()).orElseThrow().status(),
                    "the delete under a 3 s grace kept the backup");
            schedule("idle", FAR_FUTURE, "");
            Thread.sleep(3100); // its 3 s of grace pass; serve's first purge round, at its start, finds it due
            ScheduleService service = host.serve(schedules());
            waitFor("the expiring backup purged by serve", Duration.ofSeconds(30),
                    () -> host.catalog().find(expiring.id()).orElseThrow().status() == BackupStatus.DELETED);
            service.stop();
        }
        assertFalse(Files.exists(root.resolve("backups/lab/store/" + expiring.id().value() + ".img")),
                "the purge removed what the backup stored");
    }
}
