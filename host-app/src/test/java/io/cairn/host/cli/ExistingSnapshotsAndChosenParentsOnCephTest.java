package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn backup CLUSTER POOL/IMAGE@SNAP} and {@code --parent ID} on a real cluster: an existing
 * snapshot is backed up as it is, recorded external and never removed by Cairn (not after newer backups, not
 * by a delete); incrementals from it work while it is there with the same identity; a chosen parent makes an
 * incremental from it, and is refused with the reason when its snapshot is gone or is another snapshot of the
 * same name. Every restore is compared by SHA-256 with the snapshot it was taken from.
 */
class ExistingSnapshotsAndChosenParentsOnCephTest {

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String image = "volumes/ext-" + UUID.randomUUID().toString().substring(0, 8);
    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = CephTestConf.lab(root, ceph);
        ceph.rbd("create", image, "--size", "32M");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private void write(String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4K", "--io-total", total, image);
    }

    private void assertRestores(JsonNode backup, String expectedSha) throws IOException {
        String target = image + "-r-" + backup.get("id").asText().substring(0, 8);
        json(cairn("restore", backup.get("id").asText(), target, "--json"));
        assertEquals(expectedSha, ceph.sha256(target), "restore of " + backup.get("id").asText());
        ceph.rbd("rm", "--no-progress", target);
    }

    @Test
    void anExistingSnapshotIsBackedUpAsItIsAndNeverRemoved() throws IOException {
        write("4M");
        ceph.rbd("snap", "create", image + "@nightly");
        String nightlySha = ceph.sha256(image + "@nightly");

        JsonNode fromSnapshot = json(cairn("backup", "lab", image + "@nightly", "--json"));
        assertEquals("full", fromSnapshot.get("kind").asText());
        assertEquals("nightly", fromSnapshot.get("snapshot").asText());
        assertEquals("external", fromSnapshot.get("snapshot_state").asText());
        assertRestores(fromSnapshot, nightlySha);

        // The next backup diffs from it, and it stays: it is not Cairn's.
        write("1M");
        JsonNode next = json(cairn("backup", "lab", image, "--json"));
        assertEquals("incremental", next.get("kind").asText());
        assertEquals(fromSnapshot.get("id").asText(), next.get("parent").asText());
        assertRestores(next, ceph.sha256(image + "@" + next.get("snapshot").asText()));
        assertTrue(ceph.snapshots(image).contains("nightly"), ceph.snapshots(image).toString());

        // An incremental from an existing snapshot to another existing snapshot.
        write("1M");
        ceph.rbd("snap", "create", image + "@nightly-2");
        JsonNode second = json(cairn("backup", "lab", image + "@nightly-2", "--json"));
        assertEquals("incremental", second.get("kind").asText());
        assertEquals(next.get("id").asText(), second.get("parent").asText());
        assertRestores(second, ceph.sha256(image + "@nightly-2"));

        // Deleting its backup leaves the snapshot too.
        assertEquals("deleted", json(cairn("delete", fromSnapshot.get("id").asText(), "--json")).get("status").asText());
        assertTrue(ceph.snapshots(image).contains("nightly"), ceph.snapshots(image).toString());

        // A snapshot that does not exist fails, naming it.
        CliRun missing = cairn("backup", "lab", image + "@weekly");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("weekly"), missing.err());
    }

    @Test
    void aChosenParentMakesAnIncrementalFromItOrIsRefusedWithTheReason() throws IOException {
        write("4M");
        JsonNode first = json(cairn("backup", "lab", image, "--json"));
        write("1M");
        JsonNode second = json(cairn("backup", "lab", image, "--json"));
        // The first backup's snapshot was removed when the second was stored: nothing to diff from.
        CliRun gone = cairn("backup", "lab", image, "--parent", first.get("id").asText().substring(0, 8));
        assertEquals(1, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("cannot be the parent") && gone.err().contains("is gone"), gone.err());

        // An existing snapshot's backup keeps its snapshot: it can be chosen after newer backups.
        ceph.rbd("snap", "create", image + "@before-upgrade");
        JsonNode pinned = json(cairn("backup", "lab", image + "@before-upgrade", "--json"));
        write("2M");
        JsonNode newer = json(cairn("backup", "lab", image, "--json"));
        assertEquals(pinned.get("id").asText(), newer.get("parent").asText());
        write("1M");
        JsonNode chosen = json(cairn("backup", "lab", image, "--parent", pinned.get("id").asText(), "--json"));
        assertEquals("incremental", chosen.get("kind").asText());
        assertEquals(pinned.get("id").asText(), chosen.get("parent").asText());
        assertTrue(chosen.get("reason").asText().contains("--parent"), chosen.get("reason").asText());
        assertRestores(chosen, ceph.sha256(image + "@" + chosen.get("snapshot").asText()));

        // Refused: a backup of another volume, and a parent whose snapshot is another one of the same name.
        CliRun otherVolume = cairn("backup", "lab", image + "-other", "--parent", pinned.get("id").asText());
        assertEquals(1, otherVolume.exitCode(), otherVolume.toString());
        assertTrue(otherVolume.err().contains("it is a backup of " + image), otherVolume.err());
        ceph.rbd("snap", "rm", image + "@before-upgrade");
        ceph.rbd("snap", "create", image + "@before-upgrade");
        CliRun impostor = cairn("backup", "lab", image, "--parent", pinned.get("id").asText(), "--json");
        assertEquals(1, impostor.exitCode(), impostor.toString());
        assertTrue(impostor.err().contains("cannot be the parent") && impostor.err().contains("snapshot id"),
                impostor.err());
        // Without --parent the volume goes on from its newest backup as usual.
        JsonNode after = json(cairn("backup", "lab", image, "--json"));
        assertEquals(chosen.get("id").asText(), after.get("parent").asText());
        assertEquals(second.get("volume").asText(), after.get("volume").asText());
    }
}
