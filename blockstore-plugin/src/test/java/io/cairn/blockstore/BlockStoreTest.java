package io.cairn.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.blockstore.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the block store does beyond the contract: deduplication, garbage collection, its lock, its checks. */
class BlockStoreTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path work;

    private BlockStoreFixture fixture;
    private BackendSession session;

    @BeforeEach
    void open() {
        fixture = new BlockStoreFixture(work, Map.of());
        BlockStoreBackend backend = new BlockStoreBackend();
        session = backend.open("lab", backend.options().validate(fixture.options()));
    }

    @AfterEach
    void close() {
        session.close();
    }

    private VolumeRef volume(String name, byte[] content) throws IOException {
        VolumeRef volume = new VolumeRef(name);
        Files.createDirectories(fixture.path(volume).getParent());
        Files.write(fixture.path(volume), content);
        return volume;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private record Stored(BackupRef ref, TransferResult result) {
    }

    private Stored backUp(VolumeRef volume, Optional<Stored> parent) {
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), volume));
        TransferResult result = session.transfers().transfer(new TransferRequest(snapshot, parent.map(Stored::ref), Map.of(),
                ProgressListener.NONE));
        return new Stored(new BackupRef(snapshot.backupId(), volume, result.metadata(), Optional.of(snapshot), List.of()), result);
    }

    private byte[] restore(Stored stored, String target) throws IOException {
        session.restores().restore(new RestoreRequest(stored.ref(), new VolumeRef(target), false, ProgressListener.NONE));
        return Files.readAllBytes(fixture.path(new VolumeRef(target)));
    }

    @Test
    void aSnapshotRecordedByNameAloneIsRemovedWithWhatAKilledCopyLeftOfIt() throws IOException {
        VolumeRef volume = volume("named.img", random(4 * CHUNK, 7));
        List<String> announced = new java.util.ArrayList<>();
        VolumeSnapshot taken = session.snapshots().create(new SnapshotRequest(BackupId.random(), volume), name -> {
            assertFalse(fixture.snapshotExists(volume, name), "the snapshot existed before its name was recorded");
            announced.add(name);
        });
        assertEquals(List.of(taken.name()), announced);
        // What a copy killed half-way leaves beside it (its temporary files are named after the snapshot and a random
        // identity), and another backup's temporary file, which is not this snapshot's to remove.
        Path dir = fixture.snapshotFile(volume, taken.name()).getParent();
        Path leftover = Files.writeString(dir.resolve("." + taken.name() + ".0f3a.tmp"), "half a copy");
        Path leftoverId = Files.writeString(dir.resolve("." + taken.name() + ".0f3a.id.tmp"), "0f3a");
        Path others = Files.writeString(dir.resolve(".backup.someone-else.77.tmp"), "another copy");
        // The host's clean-up of a killed backup knows the name it recorded, not the identity.
        session.snapshots().remove(new VolumeSnapshot(taken.backupId(), volume, taken.name(), 0, taken.createdAt()));
        assertFalse(fixture.snapshotExists(volume, taken.name()));
        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(leftoverId));
        assertTrue(Files.exists(others), "another backup's temporary file was removed");
    }

    @Test
    void identicalBlocksAreStoredOnceWhateverVolumeTheyComeFrom() throws IOException {
        byte[] image = random(16 * CHUNK, 1);
        Stored first = backUp(volume("vm1.img", image), Optional.empty());
        assertEquals(image.length, first.result().bytesWritten());
        long chunks = fixture.chunkCount();
        assertEquals(16, chunks);

        // A clone of the same image is a full backup that writes nothing new.
        Stored clone = backUp(volume("images/vm1-clone.img", image), Optional.empty());
        assertEquals(BackupKind.FULL, clone.result().kind());
        assertEquals(0, clone.result().bytesWritten());
        assertEquals(chunks, fixture.chunkCount());

        byte[] changed = image.clone();
        System.arraycopy(random(100, 2), 0, changed, 5 * CHUNK + 7, 100);
        Files.write(fixture.path(new VolumeRef("vm1.img")), changed);
        Stored incremental = backUp(new VolumeRef("vm1.img"), Optional.of(first));
        assertEquals(CHUNK, incremental.result().bytesWritten(), "one changed block is one new block");
        assertEquals(chunks + 1, fixture.chunkCount());

        assertArrayEquals(image, restore(clone, "r1.img"));
        assertArrayEquals(changed, restore(incremental, "r2.img"));
    }

    @Test
    void blocksOfZerosAreNotStoredAndRestoreAsHoles() throws IOException {
        byte[] image = new byte[32 * CHUNK];
        System.arraycopy(random(CHUNK, 3), 0, image, 3 * CHUNK, CHUNK);
        Stored stored = backUp(volume("sparse.img", image), Optional.empty());
        assertEquals(CHUNK, stored.result().bytesWritten());
        assertEquals(1, fixture.chunkCount());
        assertArrayEquals(image, restore(stored, "sparse-restored.img"));
        long allocated = allocatedBytes(fixture.path(new VolumeRef("sparse-restored.img")));
        assertTrue(allocated < image.length / 2, "a restore into a new file leaves the zeros as holes: " + allocated
                + " bytes allocated of " + image.length);
    }

    /** The bytes a file occupies on disk, by stat(1) (Java does not tell). */
    private static long allocatedBytes(Path file) throws IOException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] fields = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }

    @Test
    void blocksNoBackupNamesAreRemovedOnceTheLastIsDeleted() throws IOException {
        Stored a = backUp(volume("a.img", random(8 * CHUNK, 4)), Optional.empty());
        Stored b = backUp(volume("b.img", random(8 * CHUNK, 5)), Optional.empty());
        assertEquals(16, fixture.chunkCount());
        DeleteResult deleted = session.deletions().delete(new DeleteRequest(a.ref()));
        assertEquals(8, fixture.chunkCount(), "the blocks only a named were removed");
        assertTrue(deleted.removed().stream().anyMatch(line -> line.startsWith("8 blocks no backup uses")), deleted.toString());
        assertArrayEquals(Files.readAllBytes(fixture.path(new VolumeRef("b.img"))), restore(b, "b-restored.img"));
        session.deletions().delete(new DeleteRequest(b.ref()));
        assertEquals(0, fixture.chunkCount());
    }

    @Test
    void noBlockIsRemovedWhileABackupRuns() throws IOException {
        Stored a = backUp(volume("a.img", random(8 * CHUNK, 6)), Optional.empty());
        // A backup (in this process or another) holds the store's lock shared for as long as it runs.
        try (StoreLock.Hold running = StoreLock.of(fixture.store().resolve("store.lock")).shared(Duration.ofSeconds(5))) {
            DeleteResult deleted = session.deletions().delete(new DeleteRequest(a.ref()));
            assertEquals(8, fixture.chunkCount(), "blocks were removed while a backup ran");
            assertTrue(deleted.notes().stream().anyMatch(n -> n.contains("blocks no longer used are removed at a later delete")),
                    deleted.toString());
        }
        Stored b = backUp(volume("b.img", random(CHUNK, 7)), Optional.empty());
        session.deletions().delete(new DeleteRequest(b.ref()));
        assertEquals(0, fixture.chunkCount(), "the next delete on an idle store removes what the first could not");
    }

    @Test
    void aCorruptBlockFailsTheRestoreNamingIt() throws IOException {
        Stored stored = backUp(volume("c.img", random(2 * CHUNK, 8)), Optional.empty());
        try (var chunks = Files.walk(fixture.store().resolve("chunks"))) {
            Path chunk = chunks.filter(Files::isRegularFile).findFirst().orElseThrow();
            byte[] data = Files.readAllBytes(chunk);
            data[0] ^= 1;
            Files.write(chunk, data);
        }
        io.cairn.api.error.BackupDataMissingException e = assertThrows(io.cairn.api.error.BackupDataMissingException.class,
                () -> restore(stored, "c-restored.img"));
        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }

    @Test
    void aStoreKeepsTheChunkSizeOfItsFirstBackup() {
        Map<String, Object> other = new HashMap<>(fixture.options());
        other.put("chunk_size", "128KiB");
        BlockStoreBackend backend = new BlockStoreBackend();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> backend.open("lab", backend.options().validate(other)));
        assertEquals("chunk_size", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("differs from the store's 64KiB"), e.getMessage());
    }

    @Test
    void wrongSettingsNameTheOption() {
        BlockStoreBackend backend = new BlockStoreBackend();
        Map<String, Object> missing = new HashMap<>(fixture.options());
        missing.put("volumes_dir", work.resolve("nowhere").toString());
        assertEquals("volumes_dir", assertThrows(InvalidConfigurationException.class,
                () -> backend.open("lab", backend.options().validate(missing))).problems().get(0).key());
        Map<String, Object> odd = new HashMap<>(fixture.options());
        odd.put("chunk_size", "96KiB");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> backend.open("lab", backend.options().validate(odd)))
                .getMessage().contains("not a power of two"));
        Map<String, Object> inside = new HashMap<>(fixture.options());
        inside.put("store_dir", work.resolve("volumes/store").toString());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> backend.open("lab", backend.options().validate(inside)))
                .getMessage().contains("where its files would look like volumes"));
    }

    @Test
    void theListingShowsImagesNotDirectoriesOrHiddenFiles() throws IOException {
        volume("vm1.img", new byte[10]);
        volume("vm2.img", new byte[10]);
        volume("images/vm3.img", new byte[10]);
        volume(".hidden.img", new byte[10]);
        backUp(new VolumeRef("vm1.img"), Optional.empty()); // makes .cairn-snapshots
        List<String> top = session.volumeListing().orElseThrow().list("").stream().map(VolumeRef::locator).toList();
        assertEquals(List.of("vm1.img", "vm2.img"), top);
        assertEquals(List.of("images/vm3.img"),
                session.volumeListing().orElseThrow().list("images").stream().map(VolumeRef::locator).toList());
        assertFalse(new BlockStoreBackend().volumeNaming().problem("./vm1.img").isEmpty());
        assertFalse(new BlockStoreBackend().volumeNaming().problem(".cairn-snapshots/x").isEmpty());
    }
}
