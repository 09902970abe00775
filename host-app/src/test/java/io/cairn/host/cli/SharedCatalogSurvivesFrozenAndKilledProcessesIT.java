package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.testing.CairnProcess;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded catalog shared by many {@code ./cairn} processes, each a real process, while parties are frozen
 * (SIGSTOP) and killed (SIGKILL): {@code list}, {@code show}, {@code backup} and {@code restore} work next to a
 * running {@code serve} in parallel; a frozen {@code serve} or {@code backup} blocks nobody (only its own volume
 * is busy, refused at once); a process frozen inside a write transaction holds up writers (a backup, a
 * restore, which records itself before it writes) for at most {@code catalog_timeout}, which then fail with one
 * clear line, while readers go on; a killed process blocks
 * nothing, and its volume is taken over at once. No command prints a stack trace.
 */
class SharedCatalogSurvivesFrozenAndKilledProcessesIT {

    /** The bound of every catalog wait here; a command may take this plus the JVM's start on a loaded machine. */
    private static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(40);
    /** The slow volume: 24 MiB copied at 4 MiB/s, six seconds of transfer to catch in the middle. */
    private static final int SLOW_BYTES = 24 << 20;

    @TempDir
    Path root;

    private TestConf conf;
    private Path logs;
    private CatalogDatabase catalog;
    private final List<CairnProcess> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root);
        PluginJars.directoryBackend(conf.pluginsDir());
        // A lease long enough that a frozen holder keeps it while the commands beside it run on a loaded machine
        // (a killed holder's is taken over at once, whatever its length).
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\ncatalog_timeout: "
                + CATALOG_TIMEOUT.toSeconds() + "s\nvolume_lease: 60s\n" + TestConf.FREE_PORT);
        conf.cluster("lab", "plugin: dir\noptions:\n  volumes_dir: " + conf.volumesDir("lab") + "\n  backup_dir: "
                + root.resolve("backups") + "\n  copy_rate: 4MiB\n");
        volume("volumes/db1", 64 * 1024);
        volume("volumes/db2", 64 * 1024);
        volume("volumes/db3", 64 * 1024);
        volume("volumes/slow", SLOW_BYTES);
        logs = root.resolve("logs");
    }

    @AfterEach
    void tearDown() {
        started.forEach(CairnProcess::close);
        if (catalog != null) {
            catalog.close();
        }
    }

    private void volume(String name, int size) throws IOException {
        Path file = conf.volumesDir("lab").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] data = new byte[size];
        new java.util.Random(name.hashCode()).nextBytes(data);
        Files.write(file, data);
    }

    private CairnProcess start(String... args) {
        CairnProcess process = CairnProcess.start(conf, logs, args);
        started.add(process);
        return process;
    }

    /** Runs commands at once (each its own process) and waits for all; each must end within the limit. */
    private List<CairnProcess> inParallel(String[]... commands) {
        List<CairnProcess> running = new ArrayList<>();
        for (String[] command : commands) {
            running.add(start(command));
        }
        running.forEach(p -> p.awaitExit(COMMAND_LIMIT));
        return running;
    }

    private static void assertOk(CairnProcess process) {
        assertEquals(0, process.exitCode(), process.toString());
        assertNoStackTrace(process);
    }

    private static void assertNoStackTrace(CairnProcess process) {
        assertFalse(process.err().contains("\tat ") || process.err().contains("Exception:"), process.toString());
    }

    /** This test's own look at the catalog: one more process sharing it. */
    private CatalogDatabase catalog() {
        if (catalog == null) {
            catalog = CatalogDatabase.open(new CatalogSettings("jdbc:sqlite:" + root.resolve("data/catalog.db"),
                    Optional.empty(), Optional.empty(), CATALOG_TIMEOUT));
        }
        return catalog;
    }

    /**
     * Waits a moment past the writes that start a backup (its record, its snapshot's name): frozen in the middle
     * of one of those, a process holds up writers for the bound, which step 5 shows on its own; here the process
     * is to be frozen in its six-second transfer, as a hung backup mostly is.
     */
    private static void intoTheTransfer() throws InterruptedException {
        Thread.sleep(1_000);
    }

    /** Whether the process holds the slow volume's lock and has recorded its backup: the transfer runs. */
    private boolean transferring(CairnProcess process) {
        return lockHolder("volumes/slow").map(h -> h.contains("/" + process.pid() + "#")).orElse(false)
                && new BackupCatalog(catalog()).unfinished().stream()
                        .anyMatch(r -> r.volume().locator().equals("volumes/slow"));
    }

    private Optional<String> lockHolder(String volume) {
        try (VolumeLeases leases = new VolumeLeases(catalog(), Duration.ofSeconds(10), Clock.systemUTC(),
                ProcessIdentity.current())) {
            return leases.describeHolder("lab", new VolumeRef(volume));
        }
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** How many backups of the volume ended as interrupted (cleaned up after a process that died). */
    private long interrupted(String volume) {
        List<BackupRecord> history = new BackupCatalog(catalog()).history("lab", new VolumeRef(volume));
        assertEquals(BackupStatus.AVAILABLE, history.get(history.size() - 1).status(), history.toString());
        return history.stream().filter(r -> r.status() == BackupStatus.ERROR
                && r.errorReason().orElse("").startsWith("interrupted")).count();
    }

    private String backupId(String volume) {
        List<BackupRecord> records = new BackupCatalog(catalog()).list(new BackupFilter(Optional.of("lab"),
                Optional.of(new VolumeRef(volume)), false));
        return records.get(records.size() - 1).id().value();
    }

    /** The four daily commands at once, next to whatever is frozen; all must succeed. */
    private void dailyCommandsWork(String label, String volumeToBackUp) {
        String id = backupId("volumes/db1");
        List<CairnProcess> done = inParallel(
                new String[] {"list", "--all"},
                new String[] {"show", id},
                new String[] {"backup", "lab", volumeToBackUp, "-q"},
                new String[] {"restore", id, "file:" + root.resolve("restored-" + label + "-" + System.nanoTime())});
        done.forEach(SharedCatalogSurvivesFrozenAndKilledProcessesIT::assertOk);
        assertTrue(done.get(0).out().contains(id), done.get(0).toString());
    }

    @Test
    void aFrozenOrKilledProcessBlocksNoOneForLongerThanTheBound() throws Exception {
        assertOk(CairnProcess.run(conf, logs, COMMAND_LIMIT, "backup", "lab", "volumes/db1", "-q"));

        // 1. An idle serve, frozen: every other command goes on as if it were not there.
        conf.write("schedules/slow.yaml", "cluster: lab\nvolumes: [volumes/slow]\ncron: \"0/30 * * * * ?\"\n");
        CairnProcess serve = start("serve");
        waitFor("serve to start", COMMAND_LIMIT, () -> serve.err().contains("cairn: serving "));
        dailyCommandsWork("beside-serve", "volumes/db2");
        serve.freeze();
        dailyCommandsWork("serve-frozen", "volumes/db2");
        serve.thaw();

        // 2. serve frozen in the middle of its scheduled backup of the slow volume: only that volume is busy -
        //    refused at once, naming the holder - and everything else works.
        waitFor("serve's scheduled backup of volumes/slow", Duration.ofSeconds(45), () -> transferring(serve));
        intoTheTransfer();
        serve.freeze();
        dailyCommandsWork("serve-frozen-mid-backup", "volumes/db3");
        CairnProcess busy = CairnProcess.run(conf, logs, COMMAND_LIMIT, "backup", "lab", "volumes/slow");
        assertEquals(1, busy.exitCode(), busy.toString());
        assertTrue(busy.err().contains("volume volumes/slow on cluster lab is busy: backup ") && busy.err().contains(
                "/" + serve.pid() + "#"), busy.toString());
        assertNoStackTrace(busy);

        // 3. serve killed: its lock dies with it (a dead process of this host), the next backup cleans up after it.
        serve.kill();
        CairnProcess takeOver = CairnProcess.run(conf, logs, COMMAND_LIMIT, "backup", "lab", "volumes/slow", "-q");
        assertOk(takeOver);
        assertEquals(1, interrupted("volumes/slow"), "serve's backup, cleaned up");


        // 4. A `cairn backup` frozen mid-transfer, then killed: the same.
        CairnProcess backup = start("backup", "lab", "volumes/slow", "-q");
        waitFor("cairn backup to start on volumes/slow", COMMAND_LIMIT, () -> transferring(backup));
        intoTheTransfer();
        backup.freeze();
        dailyCommandsWork("backup-frozen", "volumes/db2");
        backup.kill();
        assertOk(CairnProcess.run(conf, logs, COMMAND_LIMIT, "backup", "lab", "volumes/slow", "-q"));
        assertEquals(2, interrupted("volumes/slow"), "the killed backup, cleaned up too");

        // 5. A process frozen inside a write transaction (holding SQLite's write lock): writers - a backup, and a
        //    restore, which records itself (its record keeps its backup from being deleted) - wait for it at most
        //    catalog_timeout and fail in one line; readers do not wait at all. Killed, it holds nothing.
        try (WriteLockHolder holder = WriteLockHolder.start(root.resolve("data/catalog.db"), logs)) {
            holder.process.freeze();
            String id = backupId("volumes/db1");
            List<CairnProcess> done = inParallel(
                    new String[] {"list"},
                    new String[] {"show", id},
                    new String[] {"restore", id, "file:" + root.resolve("restored-under-lock")},
                    new String[] {"backup", "lab", "volumes/db2"});
            for (int i = 0; i < 2; i++) {
                assertOk(done.get(i));
            }
            for (CairnProcess blocked : done.subList(2, 4)) {
                assertEquals(1, blocked.exitCode(), blocked.toString());
                assertTrue(blocked.err().contains("another process holds a lock on it and did not let go within"
                        + " catalog_timeout 4s"), blocked.toString());
                assertTrue(blocked.elapsed().compareTo(CATALOG_TIMEOUT) >= 0, "gave up before the bound: "
                        + blocked.elapsed());
                assertNoStackTrace(blocked);
                assertEquals(1, blocked.err().strip().lines().count(), blocked.toString());
            }
            assertFalse(Files.exists(root.resolve("restored-under-lock")), "a restore wrote without its record");

            holder.process.kill();
            assertOk(CairnProcess.run(conf, logs, COMMAND_LIMIT, "backup", "lab", "volumes/db2", "-q"));
        }
        assertEquals(List.of(), new BackupCatalog(catalog()).unfinished(), "nothing is left creating or deleting");
    }

    /**
     * A process that opens the catalog file and stays inside a write transaction - what a cairn process frozen at
     * the worst moment would do. A small Java program run from source with SQLite's driver, so it is a process of
     * its own that the test can freeze and kill.
     */
    private static final class WriteLockHolder implements AutoCloseable {
        private static final String SOURCE = """
                import java.sql.*;
                public class HoldWriteLock {
                    public static void main(String[] args) throws Exception {
                        Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0] + "?busy_timeout=10000");
                        c.setAutoCommit(false);
                        c.createStatement().executeUpdate("UPDATE backups SET plan_reason = plan_reason");
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(600_000);
                    }
                }
                """;

        private final Held process;

        private WriteLockHolder(Held process) {
            this.process = process;
        }

        static WriteLockHolder start(Path database, Path logs) throws IOException, InterruptedException {
            Path source = logs.resolve("HoldWriteLock.java");
            Files.writeString(source, SOURCE);
            Path driver;
            try (Stream<Path> libs = Files.list(TestCluster.projectRoot().resolve("host-app/target/lib"))) {
                driver = libs.filter(p -> p.getFileName().toString().startsWith("sqlite-jdbc-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no sqlite-jdbc in host-app/target/lib (run package)"));
            }
            Process process = new ProcessBuilder("java", "-cp", driver.toString(), source.toString(), database.toString())
                    .redirectErrorStream(true).start();
            Held held = new Held(process);
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            if (!"locked".equals(line)) {
                process.destroyForcibly();
                throw new AssertionError("the lock holder did not take the write lock: " + line);
            }
            return new WriteLockHolder(held);
        }

        @Override
        public void close() throws InterruptedException {
            process.kill();
        }
    }

    /** SIGSTOP and SIGKILL for a plain process. */
    private record Held(Process process) {
        void freeze() throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start();
            assertEquals(0, kill.waitFor(10, TimeUnit.SECONDS) ? kill.exitValue() : -1);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
