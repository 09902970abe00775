package io.cairn.host.testbackend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's test backend follows plugin API 1.1's ownership contract as the Ceph plugin does: it
 * journals what it stores, gives snapshots an identity, deletes by a backup's own id (never by the
 * metadata it is handed) and refuses its own storage as a restore target.
 */
class DirectoryBackendOwnershipTest {

    private static final VolumeRef VOLUME = new VolumeRef("volumes/db1");

    @TempDir
    Path root;

    private BackendSession session;
    private Path volume;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(root.resolve("volumes/volumes"));
        volume = root.resolve("volumes/volumes/db1");
        Files.write(volume, random(16384, 1));
        DirectoryBackend backend = new DirectoryBackend();
        session = backend.open("lab", backend.options().validate(Map.of(
                "volumes_dir", root.resolve("volumes").toString(), "backup_dir", root.resolve("backups").toString())));
    }

    @AfterEach
    void close() {
        session.close();
    }

    private record Taken(BackupRef ref, TransferResult result, List<StoredResource> journal) {
    }

    private Taken backUp(Optional<BackupRef> parent) {
        BackupId id = BackupId.random();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, VOLUME));
        List<StoredResource> journal = new ArrayList<>();
        TransferResult result = session.transfers().transfer(new TransferRequest(snapshot, parent, Map.of(),
                ProgressListener.NONE, journal::add));
        return new Taken(new BackupRef(id, VOLUME, result.metadata(), Optional.of(snapshot), journal), result, journal);
    }

    @Test
    void theDeleteOfANeverFinishedIncrementalGivenItsParentsMetadataSparesTheParent() throws IOException {
        Taken parent = backUp(Optional.empty());
        Path parentCopy = root.resolve("backups/store/" + parent.ref().id() + ".img");
        byte[] parentBytes = Files.readAllBytes(parentCopy);

        // What an interrupted incremental gets from a host that lends it its parent's metadata.
        BackupId interrupted = BackupId.random();
        DeleteResult result = session.deletions().delete(new DeleteRequest(new BackupRef(interrupted, VOLUME,
                parent.ref().metadata())));

        assertTrue(Files.exists(parentCopy), "the parent's stored copy was deleted: " + result.removed());
        assertEquals(List.of(), result.removed());
        assertTrue(result.notes().stream().anyMatch(n -> n.contains("not backup " + interrupted)), result.notes().toString());
        Path target = root.resolve("volumes/volumes/db1-restored");
        session.restores().restore(new RestoreRequest(parent.ref(), new VolumeRef("volumes/db1-restored"), false,
                ProgressListener.NONE));
        assertArrayEquals(parentBytes, Files.readAllBytes(target));
    }

    @Test
    void transfersJournalWhatTheyStoreAndDeletesRemoveItByOwnId() {
        Taken full = backUp(Optional.empty());
        Path copy = root.resolve("backups/store/" + full.ref().id() + ".img");
        Path digests = root.resolve("backups/store/" + full.ref().id() + ".sha256");
        Path description = root.resolve("backups/store/" + full.ref().id() + ".properties");
        List<StoredResource> expected = new java.util.ArrayList<>();
        for (String[] kindAndFile : new String[][] {{"stored-copy", copy.toString()}, {"digests-file", digests.toString()},
                {"description-file", description.toString()}}) {
            StoredResource intended = StoredResource.intended(kindAndFile[0], kindAndFile[1]);
            expected.add(intended);
            expected.add(intended.withIdentity(DirectoryLayout.identity(Path.of(kindAndFile[1]))));
        }
        assertEquals(expected, full.journal(), "each file journaled before it was written, then with its identity");

        DeleteResult result = session.deletions().delete(new DeleteRequest(new BackupRef(full.ref().id(), VOLUME,
                ServiceMetadata.EMPTY, Optional.empty(), full.journal())));
        assertEquals(List.of("file " + copy), result.removed());
        for (Path file : List.of(copy, digests, description)) {
            assertFalse(Files.exists(file), file + " is left");
        }
    }

    @Test
    void snapshotsAreRemovedOnlyWhileTheyAreTheSameFile() throws IOException {
        Taken full = backUp(Optional.empty());
        VolumeSnapshot snapshot = full.ref().snapshot().orElseThrow();
        assertFalse(snapshot.identity().isEmpty());
        Path file = root.resolve("backups/snapshots/volumes%2Fdb1").resolve(snapshot.name());
        // Someone replaces the snapshot with another file of the same name.
        Files.delete(file);
        Files.write(file, random(16384, 2));

        ChainBrokenException broken = assertThrows(ChainBrokenException.class, () -> backUp(Optional.of(full.ref())));
        assertTrue(broken.getMessage().contains("another file of the same name"), broken.getMessage());
        session.snapshots().remove(snapshot);
        assertTrue(Files.exists(file), "the impostor stays");
    }

    @Test
    void backupStorageIsNeverARestoreTarget() throws IOException {
        Taken full = backUp(Optional.empty());
        Path copy = root.resolve("backups/store/" + full.ref().id() + ".img");
        byte[] before = Files.readAllBytes(copy);
        assertThrows(TargetRefusedException.class, () -> session.restores().restore(new RestoreRequest(full.ref(),
                VolumeRef.ofFile(copy), true, ProgressListener.NONE)));
        assertArrayEquals(before, Files.readAllBytes(copy));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
