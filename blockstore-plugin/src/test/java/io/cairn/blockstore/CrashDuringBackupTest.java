package io.cairn.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.blockstore.store.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup killed with SIGKILL half-way (a real process, really killed) costs no stored backup: the
 * host's clean-up - a delete with the id and the journaled resources, nothing else - removes exactly
 * what the dead backup left, every other backup restores byte for byte, and the blocks only the dead
 * backup had written are removed.
 */
class CrashDuringBackupTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    @Test
    void aBackupKilledHalfWayIsCleanedUpThroughItsJournalAlone() throws Exception {
        BlockStoreFixture fixture = new BlockStoreFixture(work, Map.of());
        BlockStoreBackend backend = new BlockStoreBackend();
        Random random = new Random(42);
        byte[] kept = new byte[4 * MIB];
        random.nextBytes(kept);
        Files.write(work.resolve("volumes/kept.img"), kept);
        byte[] big = new byte[32 * MIB];
        random.nextBytes(big);
        Files.write(work.resolve("volumes/big.img"), big);

        BackupRef keptBackup;
        Set<String> storageBefore;
        try (BackendSession session = backend.open("lab", backend.options().validate(fixture.options()))) {
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef("kept.img")));
            TransferResult result = session.transfers().transfer(TransferRequest.full(snapshot));
            keptBackup = new BackupRef(snapshot.backupId(), snapshot.volume(), result.metadata(), Optional.of(snapshot), List.of());
            storageBefore = fixture.storageObjects();
        }

        Path journal = work.resolve("journal");
        Path halfway = work.resolve("halfway");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BackupInAnotherProcess.class.getName(),
                work.resolve("volumes").toString(), work.resolve("store").toString(), "big.img", journal.toString(),
                halfway.toString()).redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(halfway)) {
                assertTrue(child.isAlive(), "the backup process ended before half-way: " + Files.readString(work.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the backup process did not get half-way in 60 s");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed process did not end");
            assertEquals(137, child.exitValue(), "the process was killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }

        // What the host's catalog would hold: the backup's id, snapshot and journaled resources.
        List<String> lines = Files.readAllLines(journal);
        String[] first = lines.get(0).split(" ");
        BackupId id = new BackupId(first[1]);
        List<StoredResource> resources = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(" ", 4);
            resources.add(new StoredResource(fields[1], fields[2], fields.length > 3 ? fields[3] : ""));
        }
        assertTrue(resources.stream().anyMatch(r -> r.name().equals("tmp/" + id.value()) && r.hasIdentity()),
                "the staging directory was journaled with its identity before the kill: " + resources);
        assertFalse(Files.exists(work.resolve("store/backups/" + id.value() + ".manifest")), "the kill came after the manifest");
        assertTrue(fixture.chunkCount() > 64, "the dead backup had written blocks: " + fixture.chunkCount());

        try (BackendSession session = backend.open("lab", backend.options().validate(fixture.options()))) {
            VolumeSnapshot snapshot = new VolumeSnapshot(id, new VolumeRef("big.img"), first[2], big.length, Instant.now(),
                    first.length > 3 ? first[3] : "");
            session.deletions().delete(new DeleteRequest(new BackupRef(id, new VolumeRef("big.img"), ServiceMetadata.EMPTY,
                    Optional.of(snapshot), resources)));
            assertEquals(storageBefore, fixture.storageObjects(), "the clean-up left the dead backup's objects");
            assertEquals(usedBlocks(work.resolve("store/backups")), chunkNames(work.resolve("store/chunks")),
                    "the blocks only the dead backup had written were not all removed, or a used one was");
            session.restores().restore(new RestoreRequest(keptBackup, new VolumeRef("kept-restored.img"), false,
                    ProgressListener.NONE));
            assertArrayEquals(kept, Files.readAllBytes(work.resolve("volumes/kept-restored.img")));
            session.snapshots().remove(snapshot);
        }
    }

    private static Set<String> usedBlocks(Path manifests) throws IOException {
        Set<String> used = new HashSet<>();
        try (Stream<Path> files = Files.list(manifests)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Manifest.read(file).chunks().stream().filter(c -> !c.equals(Manifest.ZERO)).forEach(used::add);
            }
        }
        return used;
    }

    private static Set<String> chunkNames(Path chunks) throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.walk(chunks)) {
            files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }
}
