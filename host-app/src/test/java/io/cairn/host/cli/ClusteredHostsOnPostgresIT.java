package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.ScheduleRun;
import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import io.cairn.host.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code cairn serve} processes as three hosts ({@code CAIRN_HOST_NAME} host-a, -b, -c; conf directories of
 * their own) sharing one real PostgreSQL catalog with {@code scheduler_clustered: true}, one schedule over three
 * volumes of a real Ceph cluster every five seconds:
 *
 * <ol>
 *   <li>every firing runs on one host only, and backs each volume up once;</li>
 *   <li>the host writing a backup is killed (SIGKILL): the others go on firing, and once its volume lock
 *       expires they clean up its interrupted backup;</li>
 *   <li>PostgreSQL is stopped for 30 s and started again: no trigger and no record is lost, backups running
 *       across the outage are recorded, and the schedule goes on.</li>
 * </ol>
 * The counts come from the catalog ({@code backups}, {@code schedule_runs}) and from Quartz's tables. About two and
 * a half minutes; {@code -Dcairn.soak.seconds=N} adds N seconds of steady firing before the kill (a soak).
 */
class ClusteredHostsOnPostgresIT {

    private static final int PERIOD_SECONDS = 5;
    private static final int VOLUMES = 3;
    /** Longer than the outage, so a backup running across it keeps its lock (renewed every third). */
    private static final Duration VOLUME_LEASE = Duration.ofSeconds(60);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path root;

    /** The host killed in the middle of a backup. */
    private String victim;

    private final TestCluster ceph = TestCluster.primary();

    @Test
    void threeHostsFireEachFiringOnceSurviveAKilledHostAndADatabaseRestart() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        TestPostgres.Database database = postgres.createDatabase();
        String tag = "clu" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 1; i <= VOLUMES; i++) {
            String image = "volumes/" + tag + "-" + i;
            ceph.rbd("create", image, "--size", "64M");
            ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "64K", "--io-total", "8M", image);
        }
        Map<String, ServeProcess> hosts = new LinkedHashMap<>();
        List<Instant[]> disruptions = new ArrayList<>();
        CatalogSettings catalogSettings = new CatalogSettings(database.url(), Optional.of(database.user()),
                Optional.of(database.password()));
        try {
            for (String name : List.of("host-a", "host-b", "host-c")) {
                TestConf conf = CephTestConf.lab(root.resolve(name), ceph);
                conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\ndata_dir: "
                        + root.resolve(name).resolve("data") + "\n" + database.yaml() + "scheduler_clustered: true\n"
                        + "volume_lease: " + VOLUME_LEASE.toSeconds() + "s\n" + TestConf.FREE_PORT);
                conf.write("schedules/often.yaml", "cluster: lab\nvolumes: [\"volumes/" + tag + "-*\"]\ncron: \"0/"
                        + PERIOD_SECONDS + " * * * * ?\"\nchain: {full_every: 4}\nretention: {keep_last: 3}\n");
                hosts.put(name, ServeProcess.start(conf, root.resolve(name + ".log"), Map.of("CAIRN_HOST_NAME", name))
                        .awaitServing(120));
            }
            Instant steady = Instant.now();
            try (CatalogDatabase catalog = CatalogDatabase.open(catalogSettings)) {
                BackupCatalog backups = new BackupCatalog(catalog);
                ScheduleRunLog runs = new ScheduleRunLog(catalog);
                waitFor("firings on the three hosts", Duration.ofSeconds(60), () -> finishedAfter(runs, steady) >= 5);
                // A longer steady run on request (-Dcairn.soak.seconds=N), checked like the rest at the end.
                Thread.sleep(Duration.ofSeconds(Long.getLong("cairn.soak.seconds", 0)).toMillis());

                // 2. The host that is writing a backup (whichever it is) killed.
                String[] writing = new String[1];
                waitFor("a host in the middle of a backup", Duration.ofSeconds(60), () -> {
                    writing[0] = hosts.keySet().stream().filter(h -> unfinishedBy(database, h) > 0).findFirst().orElse(null);
                    return writing[0] != null;
                });
                victim = writing[0];
                hosts.get(victim).kill();
                Instant killed = Instant.now();
                disruptions.add(new Instant[] {killed, killed});
                List<String> interrupted = backups.unfinished().stream().map(r -> r.id().value()).toList();
                assertFalse(interrupted.isEmpty());
                System.err.printf("[clustered-it] %s killed at %s holding %s%n", victim, killed, interrupted);
                waitFor("the killed host's backups cleaned up by the others once its lock expired",
                        VOLUME_LEASE.plus(Duration.ofSeconds(45)),
                        () -> interrupted.stream().allMatch(id -> backups.find(new io.cairn.api.model.BackupId(id))
                                .orElseThrow().status() != BackupStatus.CREATING));
                for (String id : interrupted) {
                    BackupRecord record = backups.find(new io.cairn.api.model.BackupId(id)).orElseThrow();
                    // error, or already deleted by retention (which removes failed backups; the record stays).
                    assertTrue(record.status() == BackupStatus.ERROR || record.status() == BackupStatus.DELETED,
                            record.toString());
                    String reason = record.errorReason().orElseThrow();
                    assertTrue(reason.startsWith("interrupted") && !reason.contains(victim + "/"), reason);
                }
                Instant cleaned = Instant.now();
                waitFor("a firing of the survivors after the clean-up", Duration.ofSeconds(30),
                        () -> okAfter(runs, cleaned) >= 1);

                // 3. PostgreSQL stopped for 30 s, then started again.
                Instant stopped = Instant.now();
                postgres.stop();
                Thread.sleep(OUTAGE.toMillis());
                postgres.start();
                Instant restarted = Instant.now();
                disruptions.add(new Instant[] {stopped, restarted});
                System.err.printf("[clustered-it] PostgreSQL down from %s to %s%n", stopped, restarted);
                waitFor("two firings after the restart", Duration.ofSeconds(60), () -> okAfter(runs, restarted) >= 2);
            }
            for (String name : hosts.keySet()) {
                if (name.equals(victim)) {
                    continue;
                }
                ServeProcess host = hosts.get(name);
                assertTrue(host.isAlive(), name + " ended early:\n" + host.log());
                assertEquals(0, host.terminate(120), name + ": SIGTERM exit code\n" + host.log());
            }
        } finally {
            for (ServeProcess host : hosts.values()) {
                host.close();
            }
        }

        try (CatalogDatabase catalog = CatalogDatabase.open(catalogSettings)) {
            List<ScheduleRun> runs = new ScheduleRunLog(catalog).all();
            List<BackupRecord> records = new BackupCatalog(catalog).list(new BackupFilter(Optional.empty(),
                    Optional.empty(), true));
            report(runs, records);

            // 1. Each due time fired once, on one host.
            Map<Instant, List<ScheduleRun>> byDue = runs.stream().collect(Collectors.groupingBy(r -> r.dueAt().orElseThrow()));
            byDue.forEach((due, same) -> assertEquals(1, same.size(), "firing due " + due + " ran " + same.size()
                    + " times: " + same));
            // ... and no volume was backed up twice for one firing.
            Map<String, Integer> perVolumeAndFiring = new HashMap<>();
            for (BackupRecord record : records) {
                String firing = record.labels().get(Schedule.FIRING_LABEL);
                assertTrue(firing != null, "backup without its firing: " + record);
                perVolumeAndFiring.merge(record.volume() + " @ " + firing, 1, Integer::sum);
            }
            perVolumeAndFiring.forEach((key, count) -> assertEquals(1, count, key + " backed up " + count + " times"));

            // Every firing that finished ok has one stored backup per volume; none of its backups was lost.
            for (ScheduleRun run : runs) {
                List<BackupRecord> made = records.stream().filter(r -> r.labels().get(Schedule.FIRING_LABEL)
                        .equals(run.dueAt().orElseThrow().toString())).toList();
                if (run.status() == ScheduleRun.Status.OK) {
                    assertEquals(VOLUMES, made.size(), run + ": " + made);
                    made.forEach(b -> assertTrue(b.status() == BackupStatus.AVAILABLE || b.status() == BackupStatus.DELETED,
                            run + ": " + b));
                } else {
                    assertTrue(made.size() <= VOLUMES, run + ": " + made);
                }
                assertFalse(run.status() == ScheduleRun.Status.RUNNING, "a firing never finished: " + run);
                if (run.status() == ScheduleRun.Status.INTERRUPTED) {
                    assertTrue(run.host().startsWith(victim + "/"), "only the killed host leaves a firing unfinished: " + run);
                }
            }
            assertEquals(List.of(), records.stream().filter(r -> r.status() == BackupStatus.CREATING
                    || r.status() == BackupStatus.DELETING).toList(), "unfinished backups at the end");
            long erroneous = records.stream().filter(r -> r.status() == BackupStatus.ERROR).count();
            long interrupted = records.stream().filter(r -> r.status() == BackupStatus.ERROR
                    && r.errorReason().orElse("").startsWith("interrupted")).count();
            assertEquals(erroneous, interrupted, "the only failed backups are the killed host's: " + records);

            // The schedule never stopped firing but across the two disruptions (and the recovery after each).
            List<Instant> dues = byDue.keySet().stream().sorted().toList();
            for (int i = 1; i < dues.size(); i++) {
                Instant previous = dues.get(i - 1);
                Instant next = dues.get(i);
                if (Duration.between(previous, next).toSeconds() > PERIOD_SECONDS) {
                    boolean explained = disruptions.stream().anyMatch(d -> !next.isBefore(d[0])
                            && previous.isBefore(d[1].plusSeconds(5)) && Duration.between(d[1], next).toSeconds() <= 45);
                    assertTrue(explained, "no firing between " + previous + " and " + next + " (disruptions " + disruptions
                            .stream().map(d -> d[0] + ".." + d[1]).toList() + ")");
                }
            }
            String killedHost = victim;
            assertEquals(1, runs.stream().filter(r -> r.status() == ScheduleRun.Status.INTERRUPTED).count(),
                    "the killed host's firing, closed by the next one: " + runs);
            assertTrue(runs.stream().filter(r -> !r.host().startsWith(killedHost + "/")).count() >= 4,
                    "the others fired: " + runs);
        }

        // Quartz's own tables: the one job and trigger are there and waiting; nothing is left fired.
        try (Connection connection = database.connect()) {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT trigger_name, trigger_state, next_fire_time FROM qrtz_triggers")) {
                while (rows.next()) {
                    System.err.printf("[clustered-it] trigger %s: %s, next %s%n", rows.getString(1), rows.getString(2),
                            Instant.ofEpochMilli(rows.getLong(3)));
                }
            }
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM qrtz_job_details"));
            // Waiting for its next time - or acquired for it by a host that stopped since, which the next host to start
            // releases when it finds that one gone.
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_state IN ('WAITING',"
                    + " 'ACQUIRED')"));
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM qrtz_triggers"));
            // Nothing executing. A host stopped while it held the trigger for its next time leaves that one
            // acquisition, which the next host to start releases (Quartz's recovery of a stopped instance).
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM qrtz_fired_triggers WHERE state <> 'ACQUIRED'"));
            assertTrue(count(connection, "SELECT COUNT(*) FROM qrtz_fired_triggers") <= 1);
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM volume_leases"));
        }
    }

    private static long finishedAfter(ScheduleRunLog runs, Instant after) {
        return runs.all().stream().filter(r -> r.firedAt().isAfter(after) && r.finishedAt().isPresent()).count();
    }

    private static long okAfter(ScheduleRunLog runs, Instant after) {
        return runs.all().stream().filter(r -> r.firedAt().isAfter(after) && r.status() == ScheduleRun.Status.OK).count();
    }

    /** Backups being written now by a host: its volume lock held and the record created. */
    private static long unfinishedBy(TestPostgres.Database database, String host) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM volume_leases l JOIN backups b"
                        + " ON b.cluster = l.cluster AND b.volume = l.volume AND b.status = 'creating'"
                        + " WHERE l.holder LIKE '" + host + "/%'")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void report(List<ScheduleRun> runs, List<BackupRecord> records) {
        Map<String, Long> byHost = runs.stream().collect(Collectors.groupingBy(r -> r.host().replaceAll("/.*", ""),
                java.util.TreeMap::new, Collectors.counting()));
        Map<String, Long> byStatus = runs.stream().collect(Collectors.groupingBy(r -> r.status().label(),
                java.util.TreeMap::new, Collectors.counting()));
        Map<String, Long> backupsByStatus = records.stream().collect(Collectors.groupingBy(r -> r.status().label(),
                java.util.TreeMap::new, Collectors.counting()));
        System.err.printf("[clustered-it] %d firings by host %s, by status %s; %d backups by status %s%n", runs.size(),
                byHost, byStatus, records.size(), backupsByStatus);
        runs.forEach(r -> System.err.printf("[clustered-it]   due %s on %s: %s - %s%n", r.dueAt().orElse(null), r.host(),
                r.status().label(), r.summary()));
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
