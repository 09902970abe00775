package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.ceph.testing.SequenceWriter;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.Host;
import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.backup.BackupSetOrchestrator.SetOutcome;
import io.cairn.host.backup.SetFailedException;
import io.cairn.host.backup.SetOrder;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.policy.RetentionRules;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.ScheduleService;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup sets on a real Ceph cluster through the whole host: an RBD group of three images that one writer
 * keeps writing while sets are taken, with a cross-image invariant (each sequence number written to every
 * image in turn); every restored set satisfies it, and every member equals its image in the group snapshot
 * (read independently, by snapshot id, while it exists). Retention and restore of sets, a set deleted with
 * delete_grace (kept, undeleted and purged whole), a failing member that fails its set with nothing kept, sets
 * from a schedule, a backend without consistent groups refused.
 */
class BackupSetsOnCephTest {

    private static final long SIZE = 32L << 20;

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = CephTestConf.lab(root, ceph);
    }

    /** A group of three images, in writing order. */
    private List<String> group(String group) {
        ceph.rbd("group", "create", "volumes/" + group);
        List<String> images = new ArrayList<>();
        for (String part : List.of("db", "log", "os")) {
            String image = group + "-" + part;
            ceph.rbd("create", "volumes/" + image, "--size", "32M");
            ceph.rbd("group", "image", "add", "volumes/" + group, "volumes/" + image);
            images.add(image);
        }
        return images;
    }

    /** Checksums each member's image in the group snapshot while it exists, before the transfers start. */
    private static final class GroupImageChecksums implements OperationEvents {
        final Map<String, Map<String, String>> bySet = new ConcurrentHashMap<>();
        private final TestCluster ceph;

        GroupImageChecksums(TestCluster ceph) {
            this.ceph = ceph;
        }

        @Override
        public void groupSnapshotTaken(String cluster, GroupSnapshot snapshot) {
            Map<String, String> sums = new HashMap<>();
            for (VolumeSnapshot image : snapshot.members()) {
                sums.put(image.volume().locator(), ceph.sha256AtSnapshotId(image.volume().locator(),
                        Long.parseLong(image.identity())));
            }
            bySet.put(snapshot.setId(), sums);
        }
    }

    @Test
    void aGroupWrittenConcurrentlyIsBackedUpAtOneInstantRestoredAndPrunedWhole() throws Exception {
        String group = "vm-" + tag;
        List<String> images = group(group);
        GroupImageChecksums checksums = new GroupImageChecksums(ceph);
        List<SetOutcome> outcomes = new ArrayList<>();
        try (Host host = Host.open(conf.dir());
             SequenceWriter writer = new SequenceWriter(ceph, "volumes", images, SIZE)) {
            host.events().subscribe(checksums);
            SetOrder order = new SetOrder(host.cluster("lab"), Optional.of("volumes/" + group), List.of(), false,
                    Map.of("app", "vm"), ChainRules.UNLIMITED);
            for (int i = 0; i < 3; i++) {
                long before = writer.written();
                while (writer.written() < before + 50) {
                    Thread.sleep(20);
                }
                outcomes.add(host.sets().backup(order, ProgressListener.NONE));
            }
            assertTrue(writer.written() > 150, "the writer kept writing: " + writer.written());
        }
        for (int i = 0; i < outcomes.size(); i++) {
            SetOutcome outcome = outcomes.get(i);
            assertEquals(BackupStatus.AVAILABLE, outcome.set().status());
            assertEquals(3, outcome.members().size());
            assertFalse(outcome.set().holdsGroupSnapshot(), "the group snapshot goes once no member needs it");
            for (BackupRecord member : outcome.members()) {
                assertEquals(i == 0 ? "full" : "incremental", member.kind().label(), member.toString());
            }
        }
        assertEquals("[]", ceph.rbd("group", "snap", "ls", "volumes/" + group, "--format", "json").trim());
        // Each member keeps only its newest own snapshot, for the next incremental.
        for (String image : images) {
            assertEquals(1, ceph.snapshots("volumes/" + image).size(), ceph.snapshots("volumes/" + image).toString());
        }

        // Every set restores whole: each member equals its image in the group snapshot, and the headers show
        // one instant of the writer.
        for (SetOutcome outcome : outcomes) {
            String set = outcome.set().id();
            String suffix = "-r" + set.substring(0, 6);
            JsonNode restored = json(CliRun.of(conf, "restore", set.substring(0, 8), "--suffix", suffix, "--json"));
            assertEquals(3, restored.get("members").size());
            List<Long> headers = new ArrayList<>();
            for (String image : images) {
                headers.add(ceph.readLong("volumes/" + image + suffix, 0));
            }
            assertTrue(SequenceWriter.consistent(headers), "set " + set + " holds one instant: " + headers);
            assertTrue(headers.get(0) > 0, "the writer had written before the set: " + headers);
            for (String image : images) {
                assertEquals(checksums.bySet.get(set).get("volumes/" + image), ceph.sha256("volumes/" + image + suffix),
                        "member " + image + " of set " + set + " equals its image in the group snapshot");
            }
        }

        // list, show and their JSON show the sets and their members.
        JsonNode sets = json(CliRun.of(conf, "list", "--sets", "--json"));
        assertEquals(3, sets.size());
        assertEquals("group volumes/" + group, sets.get(0).get("of").asText());
        JsonNode shown = json(CliRun.of(conf, "show", outcomes.get(1).set().id(), "--json"));
        assertEquals("available", shown.get("status").asText());
        assertEquals("removed", shown.get("group_snapshot_state").asText());
        assertEquals(3, shown.get("members").size());
        String memberId = shown.get("members").get(0).get("backup").asText();
        assertEquals(outcomes.get(1).set().id(), json(CliRun.of(conf, "show", memberId, "--json")).get("set").asText());
        // A member alone is not deleted: the set is kept or removed whole.
        CliRun alone = CliRun.of(conf, "delete", memberId);
        assertEquals(2, alone.exitCode(), alone.toString());
        assertTrue(alone.err().contains("member of backup set"), alone.err());

        // Retention keeps or removes sets whole: keep_last 1 removes the two older sets with all their members.
        try (Host host = Host.open(conf.dir())) {
            List<BackupSetOperations.PrunedSet> pruned = host.setOperations().prune(host.cluster("lab"),
                    outcomes.get(0).set().series(), new RetentionRules(1, 0, 0, 0, 0, 0), ZoneId.of("UTC"), false);
            assertEquals(2, pruned.stream().filter(BackupSetOperations.PrunedSet::deleted).count(), pruned.toString());
            for (int i = 0; i < 2; i++) {
                BackupSetRecord set = host.setCatalog().find(outcomes.get(i).set().id()).orElseThrow();
                assertEquals(BackupStatus.DELETED, set.status());
                for (BackupRecord member : host.setOperations().members(set)) {
                    assertEquals(BackupStatus.DELETED, member.status());
                }
            }
            BackupSetRecord newest = host.setCatalog().find(outcomes.get(2).set().id()).orElseThrow();
            assertEquals(BackupStatus.AVAILABLE, newest.status());
            // Over the members' own volumes, with --force: the newest set comes back in place.
            JsonNode inPlace = json(CliRun.of(conf, "restore", newest.id(), "--in-place", "--force", "--json"));
            assertEquals(3, inPlace.get("members").size());
            for (String image : images) {
                assertEquals(checksums.bySet.get(newest.id()).get("volumes/" + image), ceph.sha256("volumes/" + image));
            }
        }
    }

    @Test
    void withDeleteGraceASetIsKeptWholeUndeletedWholeAndPurgedWhole() throws Exception {
        conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\ndata_dir: "
                + root.resolve("data") + "\n" + TestConf.FREE_PORT + "delete_grace: 4s\n");
        String group = "gr-" + tag;
        List<String> images = group(group);
        GroupImageChecksums checksums = new GroupImageChecksums(ceph);
        List<SetOutcome> outcomes = new ArrayList<>();
        try (Host host = Host.open(conf.dir())) {
            host.events().subscribe(checksums);
            SetOrder order = new SetOrder(host.cluster("lab"), Optional.of("volumes/" + group), List.of(), false,
                    Map.of(), ChainRules.UNLIMITED);
            for (int i = 0; i < 2; i++) {
                for (String image : images) {
                    ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "64K", "--io-total",
                            "1M", "volumes/" + image);
                }
                outcomes.add(host.sets().backup(order, ProgressListener.NONE));
            }
        }
        String older = outcomes.get(0).set().id();
        String newer = outcomes.get(1).set().id();

        // Deleted with a grace, the set is expiring with every member, hidden from list, and nothing is removed.
        assertEquals("expiring", json(CliRun.of(conf, "delete", older, "--json")).get("status").asText());
        for (JsonNode member : json(CliRun.of(conf, "show", older, "--json")).get("members")) {
            assertEquals("expiring", json(CliRun.of(conf, "show", member.get("backup").asText(), "--json"))
                    .get("status").asText(), member.toString());
        }
        JsonNode listed = json(CliRun.of(conf, "list", "--sets", "--json"));
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(newer, listed.get(0).get("id").asText());
        String memberId = outcomes.get(0).members().get(0).id().value();
        CliRun memberAlone = CliRun.of(conf, "undelete", memberId);
        assertEquals(2, memberAlone.exitCode(), memberAlone.toString());
        assertTrue(memberAlone.err().contains("undelete the set"), memberAlone.err());
        CliRun notWhole = CliRun.of(conf, "restore", older, "--suffix", "-x");
        assertEquals(1, notWhole.exitCode(), notWhole.toString());

        // Undeleted within the grace, it comes back whole and restores byte for byte.
        assertEquals(0, CliRun.of(conf, "undelete", older).exitCode());
        assertEquals("available", json(CliRun.of(conf, "show", older, "--json")).get("status").asText());
        json(CliRun.of(conf, "restore", older, "--suffix", "-u", "--json"));
        for (String image : images) {
            assertEquals(checksums.bySet.get(older).get("volumes/" + image), ceph.sha256("volumes/" + image + "-u"),
                    "member " + image + " of the undeleted set equals its image in the group snapshot");
        }

        // Deleted again, once the grace has passed purge removes every member, then the set; the newer set, whose
        // members are incrementals on the same base images, still restores. (A delete killed between marking the
        // set and its members, healed by purge: KilledBackupSetOnCephIT.)
        assertEquals("expiring", json(CliRun.of(conf, "delete", older, "--json")).get("status").asText());
        Thread.sleep(4500);
        CliRun purge = CliRun.of(conf, "purge");
        assertEquals(0, purge.exitCode(), purge.toString());
        assertTrue(purge.out().contains("backup set " + older) && purge.out().contains("purged"), purge.out());
        try (Host host = Host.open(conf.dir())) {
            BackupSetRecord purged = host.setCatalog().find(older).orElseThrow();
            assertEquals(BackupStatus.DELETED, purged.status());
            for (BackupRecord member : host.setOperations().members(purged)) {
                assertEquals(BackupStatus.DELETED, member.status(), member.toString());
            }
        }
        CliRun gone = CliRun.of(conf, "undelete", older);
        assertEquals(1, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("purged"), gone.err());
        json(CliRun.of(conf, "restore", newer, "--suffix", "-n", "--json"));
        for (String image : images) {
            assertEquals(checksums.bySet.get(newer).get("volumes/" + image), ceph.sha256("volumes/" + image + "-n"),
                    "member " + image + " of the set kept equals its image in the group snapshot");
        }
    }

    @Test
    void aMemberThatFailsFailsTheSetWithNothingKept() throws Exception {
        String group = "bad-" + tag;
        List<String> images = group(group);
        for (String image : images) {
            ceph.rbd("bench", "--io-type", "write", "--io-size", "64K", "--io-total", "2M", "volumes/" + image);
        }
        try (Host host = Host.open(conf.dir())) {
            SetOrder order = new SetOrder(host.cluster("lab"), Optional.of("volumes/" + group), List.of(), false,
                    Map.of(), ChainRules.UNLIMITED);
            SetOutcome good = host.sets().backup(order, ProgressListener.NONE);
            // Once the group snapshot is taken, the last member's own snapshot goes behind Cairn's back: the first
            // two members are stored, the last cannot be, and the set fails as a whole.
            java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
            host.events().subscribe(new OperationEvents() {
                @Override
                public void groupSnapshotTaken(String cluster, GroupSnapshot snapshot) {
                    if (!armed.getAndSet(false)) {
                        return;
                    }
                    String last = "volumes/" + images.get(2);
                    for (String name : ceph.snapshots(last)) {
                        if (!name.equals(good.members().get(2).snapshotName().orElseThrow())) {
                            ceph.rbd("snap", "rm", last + "@" + name);
                        }
                    }
                }
            });
            SetFailedException failed = assertThrows(SetFailedException.class,
                    () -> host.sets().backup(order, ProgressListener.NONE));
            assertTrue(failed.getMessage().contains("no member is kept"), failed.getMessage());
            BackupSetRecord set = failed.set();
            assertEquals(BackupStatus.ERROR, set.status());
            assertFalse(set.holdsGroupSnapshot());
            List<BackupRecord> members = host.setOperations().members(set);
            assertEquals(3, members.size());
            for (BackupRecord member : members) {
                assertEquals(BackupStatus.ERROR, member.status(), member.toString());
                assertFalse(member.holdsSnapshot(), "the failed member's own snapshot is removed: " + member);
                assertTrue(host.catalog().resources(member.id()).stream().noneMatch(r -> r.isHeld()),
                        "nothing of the failed set stays stored: " + host.catalog().resources(member.id()));
            }
            assertEquals("[]", ceph.rbd("group", "snap", "ls", "volumes/" + group, "--format", "json").trim());
            // The good set is untouched: it still restores, and the next set is incremental from it.
            SetOutcome next = host.sets().backup(order, ProgressListener.NONE);
            assertEquals(BackupStatus.AVAILABLE, next.set().status());
            assertEquals("incremental", next.members().get(0).kind().label());
        }
        JsonNode sets = json(CliRun.of(conf, "list", "--sets", "--json"));
        assertEquals(List.of("available", "error", "available"),
                List.of(sets.get(0).get("status").asText(), sets.get(1).get("status").asText(),
                        sets.get(2).get("status").asText()));
    }

    @Test
    void aScheduleBacksUpAGroupAndAListOfVolumesAsSetsAndKeepsTheNewest() throws Exception {
        String group = "sch-" + tag;
        group(group);
        String pgData = "pg-data-" + tag;
        String pgWal = "pg-wal-" + tag;
        String alone = "alone-" + tag;
        for (String image : List.of(pgData, pgWal, alone)) {
            ceph.rbd("create", "volumes/" + image, "--size", "16M");
            ceph.rbd("bench", "--io-type", "write", "--io-size", "64K", "--io-total", "1M", "volumes/" + image);
        }
        conf.write("schedules/vms.yaml", "cluster: lab\ncron: \"0 0 0 1 1 ? 2099\"\nvolumes:\n"
                + "  - volumes/" + alone + "\n  - group: volumes/" + group + "\n"
                + "  - together: [volumes/" + pgData + ", volumes/" + pgWal + "]\n"
                + "retention:\n  keep_last: 2\n");
        CliRun schedules = CliRun.of(conf, "schedules", "--offline");
        assertEquals(0, schedules.exitCode(), schedules.toString());
        try (Host host = Host.open(conf.dir())) {
            List<Schedule> all = ScheduleFileReader.readAll(ConfDirectory.at(conf.dir()));
            ScheduleService service = host.serve(all);
            for (int firing = 1; firing <= 3; firing++) {
                Instant before = Instant.now();
                service.fireNow("vms");
                awaitFiring(host, before);
            }
            List<BackupSetRecord> sets = host.setCatalog().list(Optional.of("lab"), true);
            assertEquals(6, sets.size(), sets.toString());
            for (String series : List.of("group:volumes/" + group,
                    "together:volumes/" + pgData + ",volumes/" + pgWal)) {
                List<BackupSetRecord> ofSeries = host.setCatalog().series("lab", series);
                assertEquals(List.of(BackupStatus.DELETED, BackupStatus.AVAILABLE, BackupStatus.AVAILABLE),
                        ofSeries.stream().map(BackupSetRecord::status).toList(), series);
            }
            // The volume named on its own is backed up alone, once per firing; the sets' members are not.
            assertEquals(3, host.catalog().history("lab", new VolumeRef("volumes/" + alone)).size());
            assertEquals(3, host.catalog().history("lab", new VolumeRef("volumes/" + pgData)).size());
            // The list's own group is gone with its group snapshot; the images are in no group.
            assertFalse(ceph.rbd("group", "ls", "volumes").contains("cairn.set."));
        }
    }

    private static void awaitFiring(Host host, Instant after) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            var last = host.runLog().last("vms");
            if (last.isPresent() && last.get().firedAt().isAfter(after) && last.get().finishedAt().isPresent()) {
                assertEquals("ok", last.get().status().label(), last.get().summary());
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the firing did not end within 3 minutes");
    }

    @Test
    void aBackendWithoutConsistentGroupsIsRefusedForSets() throws IOException {
        conf.write("clusters/nas.yaml", "plugin: blockstore\noptions:\n  volumes_dir: " + root.resolve("vols")
                + "\n  store_dir: " + root.resolve("store") + "\n");
        java.nio.file.Files.createDirectories(root.resolve("vols"));
        CliRun group = CliRun.of(conf, "backup", "nas", "--group", "images/vm");
        assertEquals(2, group.exitCode(), group.toString());
        assertTrue(group.err().contains("CONSISTENT_GROUPS"), group.err());
        CliRun together = CliRun.of(conf, "backup", "nas", "a.img", "b.img");
        assertEquals(2, together.exitCode(), together.toString());
        conf.write("schedules/nas.yaml", "cluster: nas\ncron: \"0 0 0 1 1 ? 2099\"\nvolumes:\n  - group: vms/web\n");
        CliRun schedules = CliRun.of(conf, "schedules", "--offline");
        assertEquals(2, schedules.exitCode(), schedules.toString());
        assertTrue(schedules.err().contains("cannot snapshot several volumes at one instant"), schedules.err());
        assertNotEquals(0, CliRun.of(conf, "backup", "nas", "--group", "x", "a.img").exitCode());
    }
}
