package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CairnProcess;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import io.cairn.host.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup sets killed with SIGKILL on a real Ceph cluster.
 *
 * <p>A {@code cairn backup --group} process killed after its first member was stored and while its second is
 * transferred: the set stays {@code creating} with one member {@code available} - until the next backup of the
 * same group, which fails the interrupted set whole (the stored member too, by its own records), removes its group
 * snapshot, and then makes its own set. Nothing of the killed set stays stored.
 *
 * <p>A set of a list of volumes killed after its group snapshot - and the RBD group Cairn made for the list - exist
 * on the cluster, but before the catalog recorded the group snapshot with its identity. Since plugin API 1.3 the
 * catalog holds the group snapshot's name from before either was made, so the next backup of the same volumes
 * cleans up the interrupted set by it: the group snapshot and the group go, and the volumes - which RBD lets be in
 * one group only - can join the next set's group, so that set is stored. How the kill lands in that window: from
 * the moment the intended name is in the catalog, the test holds the SQLite catalog's write lock, so the process
 * waits at its next catalog write (the group snapshot's record, or a lease renewal); it is killed once the group
 * snapshot exists.
 */
class KilledBackupSetOnCephIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String group = "kset-" + UUID.randomUUID().toString().substring(0, 6);
    private final String tag = "iset" + UUID.randomUUID().toString().substring(0, 6);

    @Test
    void theNextBackupOfTheGroupFailsAKilledSetWholeAndNothingOfItStays() throws Exception {
        TestConf conf = CephTestConf.lab(root, ceph);
        // One IO at a time, so that the big member's transfer lasts long enough to be killed in its middle.
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: backups\n"
                + "  parallel_ios: 1\n");
        ceph.rbd("group", "create", "volumes/" + group);
        ceph.rbd("create", "volumes/" + group + "-a", "--size", "16M");
        ceph.rbd("create", "volumes/" + group + "-b", "--size", "384M");
        ceph.rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-total", "8M", "volumes/" + group + "-a");
        ceph.rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-total", "320M", "volumes/" + group + "-b");
        for (String member : new String[] {"-a", "-b"}) {
            ceph.rbd("group", "image", "add", "volumes/" + group, "volumes/" + group + member);
        }

        String killedSet;
        try (CairnProcess backup = CairnProcess.start(conf, root.resolve("logs"), "backup", "lab", "--group",
                "volumes/" + group, "-q")) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            JsonNode caught = null;
            while (caught == null && System.nanoTime() < deadline) {
                assertTrue(backup.isAlive(), "the set ended before it could be killed\n" + backup);
                JsonNode sets = json(CliRun.of(conf, "list", "--sets", "--json"));
                if (sets.size() == 1 && sets.get(0).get("members").size() == 2
                        && "available".equals(sets.get(0).get("members").get(0).get("status").asText())
                        && "creating".equals(sets.get(0).get("members").get(1).get("status").asText())
                        && !sets.get(0).get("group_snapshot").isNull()) {
                    caught = sets.get(0);
                }
                Thread.sleep(50);
            }
            assertTrue(caught != null, "never saw the first member stored and the second in its transfer");
            backup.kill();
            killedSet = caught.get("id").asText();
        }
        JsonNode killed = json(CliRun.of(conf, "show", killedSet, "--json"));
        assertEquals("creating", killed.get("status").asText(), "the set ended before it was killed");
        assertEquals("held", killed.get("group_snapshot_state").asText());

        // The next backup of the group cleans up after the killed one first.
        JsonNode next = json(CliRun.of(conf, "backup", "lab", "--group", "volumes/" + group, "--json", "-q"));
        assertEquals("available", next.get("status").asText());
        killed = json(CliRun.of(conf, "show", killedSet, "--json"));
        assertEquals("error", killed.get("status").asText());
        assertTrue(killed.get("error").asText().startsWith("interrupted"), killed.get("error").asText());
        assertEquals("removed", killed.get("group_snapshot_state").asText());
        for (JsonNode member : killed.get("members")) {
            JsonNode record = json(CliRun.of(conf, "show", member.get("backup").asText(), "--json"));
            assertEquals("error", record.get("status").asText(), record.toString());
            assertFalse("held".equals(record.get("snapshot_state").asText()), record.toString());
            for (JsonNode resource : record.get("resources")) {
                assertEquals("removed", resource.get("state").asText(), "nothing of the killed set stays: " + record);
                if (resource.get("kind").asText().equals("base-image")) {
                    assertFalse(ceph.imageExists(resource.get("name").asText()), resource.toString());
                }
            }
        }
        // Only the new set's group snapshot ever remains - and it too is gone once its members were read.
        assertEquals("[]", ceph.rbd("group", "snap", "ls", "volumes/" + group, "--format", "json").trim());
        for (JsonNode member : next.get("members")) {
            assertEquals("full", member.get("kind").asText(), "no member of the killed set is a parent");
        }
    }

    @Test
    void aSetKilledBetweenMakingItsGroupSnapshotAndRecordingItIsCleanedUpByTheNextSet() throws Exception {
        TestConf conf = CephTestConf.lab(root, ceph);
        String first = volume("a");
        String second = volume("b");
        String catalog = "jdbc:sqlite:" + root.resolve("data/catalog.db");
        String setId;
        String groupSnapshot;
        try (CairnProcess set = CairnProcess.start(conf, root.resolve("logs"), "backup", "lab", first, second, "-q")) {
            String[] intended = waitFor("the group snapshot's name recorded before it is made", set, () -> {
                if (!Files.exists(root.resolve("data/catalog.db"))) {
                    return Optional.empty(); // connecting would create it
                }
                try (Connection read = DriverManager.getConnection(catalog);
                     PreparedStatement query = read.prepareStatement("SELECT id, group_snapshot FROM backup_sets WHERE"
                             + " status = 'creating' AND group_snapshot IS NOT NULL AND group_snapshot_identity = ''");
                     ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2)})
                            : Optional.empty();
                } catch (SQLException e) {
                    return Optional.empty(); // the catalog is not created yet, or busy
                }
            });
            Connection lock = DriverManager.getConnection(catalog + "?busy_timeout=30000");
            try (Statement begin = lock.createStatement()) {
                begin.execute("BEGIN IMMEDIATE");
            }
            setId = intended[0];
            groupSnapshot = intended[1];
            String ownGroup = groupSnapshot.substring(0, groupSnapshot.indexOf('@'));
            assertEquals("volumes/cairn.set." + setId + "@cairn." + setId, groupSnapshot);
            waitFor("group snapshot " + groupSnapshot + " made", set, () -> ceph.tryRbd("group", "snap", "ls", ownGroup)
                    .stdout().contains("cairn." + setId) ? Optional.of(true) : Optional.empty());
            set.kill();
            try (lock; Statement rollback = lock.createStatement()) {
                rollback.execute("ROLLBACK");
            }
            try (Connection read = DriverManager.getConnection(catalog);
                 PreparedStatement query = read.prepareStatement("SELECT group_snapshot_identity, group_snapshot_state"
                         + " FROM backup_sets WHERE id = ?")) {
                query.setString(1, setId);
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next());
                    assertEquals("", row.getString(1), "the group snapshot was recorded with its identity before the"
                            + " kill; the test proves nothing");
                    assertEquals("held", row.getString(2));
                }
            }
        }
        assertTrue(ceph.rbd("group", "ls", "volumes").contains("cairn.set." + setId), "the killed set's group is there");

        // The next set of the same volumes cleans the interrupted one up first, then is stored.
        JsonNode next = json(CliRun.of(conf, "backup", "lab", first, second, "--json", "-q"));
        assertEquals("available", next.get("status").asText(), next.toString());
        assertFalse(ceph.rbd("group", "ls", "volumes").contains("cairn.set." + setId),
                "the killed set's group, and its group snapshot with it, are removed by the recorded name");
        JsonNode sets = json(CliRun.of(conf, "list", "--sets", "--json"));
        JsonNode killed = find(sets, setId);
        assertEquals("error", killed.get("status").asText(), killed.toString());
        assertTrue(killed.get("error").asText().contains("interrupted"), killed.toString());
        assertEquals("removed", killed.get("group_snapshot_state").asText(), killed.toString());
        // Nothing of either set is left in a group: the next set's own group went with its group snapshot.
        for (String volume : List.of(first, second)) {
            assertFalse(ceph.rbd("info", volume).contains("group:"), volume + " is still in a group");
        }
        assertFalse(ceph.rbd("group", "ls", "volumes").contains("cairn.set."), "a set's group is left");
    }

    /**
     * A {@code cairn delete SET} under {@code delete_grace}, SIGKILLed after it marked the set expiring and while it
     * marks the first member: the set is expiring, every member still available. Nothing is lost: {@code cairn
     * purge} makes the members expiring (their grace counted from then), and once that has passed removes every
     * member, then records the set deleted; a newer set of the same volumes, incrementals on the same base images,
     * still restores byte for byte. How the kill lands in that window: the catalog is PostgreSQL, where a trigger
     * holds the member's write (a {@code pg_sleep} before its row goes in) - inside that write's transaction, so the
     * killed process never commits it; PostgreSQL notices its client is gone and rolls it back.
     */
    @Test
    void aSetDeleteKilledBetweenTheSetAndItsMembersLosesNothingAndPurgeFinishesIt() throws Exception {
        TestConf conf = CephTestConf.lab(root, ceph);
        TestPostgres.Database catalog = TestPostgres.shared().createDatabase();
        conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\ndata_dir: "
                + root.resolve("data") + "\n" + TestConf.FREE_PORT + catalog.yaml() + "delete_grace: 3s\n");
        String first = volume("a");
        String second = volume("b");
        String older = json(CliRun.of(conf, "backup", "lab", first, second, "--json", "-q")).get("id").asText();
        for (String volume : List.of(first, second)) {
            ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "64K", "--io-total", "1M",
                    volume);
        }
        JsonNode newer = json(CliRun.of(conf, "backup", "lab", first, second, "--json", "-q"));
        Map<String, String> newerSums = new HashMap<>();
        for (String volume : List.of(first, second)) {
            newerSums.put(volume, ceph.sha256(volume)); // nothing writes to the volumes after the newer set
        }

        try (Connection db = catalog.connect(); Statement sql = db.createStatement()) {
            sql.execute("CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM pg_sleep(600); RETURN NEW; END $$");
            sql.execute("CREATE TRIGGER test_stall BEFORE INSERT ON expiring_backups FOR EACH ROW"
                    + " EXECUTE FUNCTION test_stall()");
            // The server checks, while a statement runs, whether its client is still there.
            sql.execute("ALTER DATABASE " + db.getCatalog() + " SET client_connection_check_interval = '200ms'");
            try (CairnProcess delete = CairnProcess.start(conf, root.resolve("logs"), "delete", older)) {
                waitFor("the set marked expiring and its first member's write held", delete, () -> {
                    try (ResultSet row = sql.executeQuery("SELECT (SELECT status FROM backup_sets WHERE id = '" + older
                            + "'), (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND state = 'active' AND query LIKE 'INSERT INTO expiring_backups%')")) {
                        row.next();
                        return "expiring".equals(row.getString(1)) && row.getLong(2) == 1 ? Optional.of(true)
                                : Optional.empty();
                    }
                });
                delete.kill();
            }
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (true) {
                try (ResultSet row = sql.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                        + " current_database() AND query LIKE 'INSERT INTO expiring_backups%'")) {
                    row.next();
                    if (row.getLong(1) == 0) {
                        break;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "PostgreSQL kept the killed process's write open");
                Thread.sleep(100);
            }
            sql.execute("DROP TRIGGER test_stall ON expiring_backups");
        }

        JsonNode killed = json(CliRun.of(conf, "show", older, "--json"));
        assertEquals("expiring", killed.get("status").asText(), killed.toString());
        List<String> members = new ArrayList<>();
        for (JsonNode member : killed.get("members")) {
            members.add(member.get("backup").asText());
            assertEquals("available", json(CliRun.of(conf, "show", member.get("backup").asText(), "--json"))
                    .get("status").asText(), "the killed delete committed no member: " + member);
        }
        assertEquals(2, members.size(), killed.toString());

        CliRun healed = CliRun.of(conf, "purge");
        assertEquals(0, healed.exitCode(), healed.toString());
        assertTrue(healed.out().contains("members left stored are expiring now"), healed.out());
        for (String member : members) {
            assertEquals("expiring", json(CliRun.of(conf, "show", member, "--json")).get("status").asText());
        }
        Thread.sleep(3500);
        CliRun purge = CliRun.of(conf, "purge");
        assertEquals(0, purge.exitCode(), purge.toString());
        assertEquals("deleted", json(CliRun.of(conf, "show", older, "--json")).get("status").asText(), purge.out());
        for (String member : members) {
            assertEquals("deleted", json(CliRun.of(conf, "show", member, "--json")).get("status").asText());
        }
        json(CliRun.of(conf, "restore", newer.get("id").asText(), "--suffix", "-kept", "--json", "-q"));
        for (String volume : List.of(first, second)) {
            assertEquals(newerSums.get(volume), ceph.sha256(volume + "-kept"),
                    volume + " restored from the newer set equals the volume it was taken of");
        }
    }

    private String volume(String name) {
        String image = "volumes/" + tag + "-" + name;
        ceph.rbd("create", image, "--size", "64M");
        ceph.rbd("bench", "--io-type", "write", "--io-size", "64K", "--io-total", "4M", image);
        return image;
    }

    private static JsonNode find(JsonNode sets, String id) {
        for (JsonNode set : sets) {
            if (set.get("id").asText().equals(id)) {
                return set;
            }
        }
        throw new AssertionError("set " + id + " is not listed: " + sets);
    }

    private interface Probe<T> {
        Optional<T> find() throws Exception;
    }

    private static <T> T waitFor(String what, CairnProcess process, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.find();
            if (found.isPresent()) {
                return found.get();
            }
            assertTrue(process.isAlive(), "the set ended while waiting for " + what + "\n" + process);
            Thread.sleep(2);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + process);
    }
}
