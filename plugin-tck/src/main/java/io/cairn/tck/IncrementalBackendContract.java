package io.cairn.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.api.BackendCapability;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract for a backend with {@link BackendCapability#INCREMENTAL}: everything
 * {@link BackendContract} checks, and chains - incrementals that restore byte for byte, deletes in any
 * order (newest first only, for a backend whose backups depend on their parent), and a parent that
 * cannot be diffed from reported as {@link ChainBrokenException}: its snapshot gone, its snapshot
 * replaced by an impostor of the same name, or its restore point gone.
 */
public abstract class IncrementalBackendContract extends BackendContract {

    private static final int MIB = 1 << 20;

    @Override
    final boolean incrementalKit() {
        return true;
    }

    @Test
    void anIncrementalChainRestoresEveryPointByteForByte() {
        TckVolume volume = newVolumeWithData("chain");
        List<StoredBackup> chain = chain(volume, 4);
        for (StoredBackup stored : chain) {
            assertRestores(stored);
        }
    }

    @Test
    void anIncrementalStoresOnlyWhatChanged() {
        TckVolume volume = newVolumeWithData("changed-only");
        volume.writeRandom(MIB, 2 * MIB);
        StoredBackup full = backUp(volume, Optional.empty());
        volume.writeRandom(3 * MIB + 4096, 64 * 1024);
        StoredBackup incremental = backUp(volume, Optional.of(full));
        assertTrue(incremental.result().bytesWritten() <= volume.size() / 4, "an incremental after a 64 KiB change wrote "
                + incremental.result().bytesWritten() + " bytes of a " + volume.size() + "-byte volume");
        assertRestores(incremental);
    }

    @Test
    void deletesInAnyOrderKeepTheRestRestorable() {
        boolean independent = descriptor.capabilitySet().contains(BackendCapability.INDEPENDENT_RESTORE_POINTS);
        // A backend whose backups depend on their parent is only asked to delete a chain newest first (the
        // host refuses anything else); one with independent restore points, in any order.
        List<int[]> orders = independent ? List.of(new int[] {0, 1, 2, 3}, new int[] {3, 2, 1, 0}, new int[] {1, 3, 0, 2})
                : List.<int[]>of(new int[] {3, 2, 1, 0});
        for (int[] order : orders) {
            TckVolume volume = newVolumeWithData("delete-order");
            List<StoredBackup> chain = new ArrayList<>(chain(volume, 4));
            for (int index : order) {
                delete(chain.get(index).ref());
                chain.set(index, null);
                for (StoredBackup left : chain) {
                    if (left != null) {
                        assertRestores(left);
                    }
                }
            }
        }
    }

    @Test
    void aParentWhoseSnapshotIsGoneIsAChainBrokenException() {
        TckVolume volume = newVolumeWithData("parent-snapshot-gone");
        StoredBackup parent = backUp(volume, Optional.empty());
        fixture.removeSnapshot(parent.snapshot());
        volume.writeRandom(MIB, 8192);
        assertChainBroken(volume, parent, "the parent's snapshot " + parent.snapshot().name() + " was removed");
    }

    @Test
    void aParentWhoseSnapshotIsAnImpostorIsAChainBrokenExceptionNotAWrongDiff() {
        TckVolume volume = newVolumeWithData("parent-snapshot-impostor");
        StoredBackup parent = backUp(volume, Optional.empty());
        // Someone removed the snapshot and took another of the same name, after more writes: diffing from it
        // would miss what changed before it.
        volume.writeRandom(512 * 1024, 65536);
        fixture.replaceSnapshotWithImpostor(parent.snapshot());
        volume.writeRandom(2 * MIB, 8192);
        assertChainBroken(volume, parent, "the parent's snapshot " + parent.snapshot().name() + " was replaced by another"
                + " of the same name");
    }

    @Test
    void aParentWhoseRestorePointIsGoneIsAChainBrokenException() {
        TckVolume volume = newVolumeWithData("parent-restore-point-gone");
        StoredBackup parent = backUp(volume, Optional.empty());
        fixture.destroyRestorePoint(parent.ref());
        volume.writeRandom(MIB, 8192);
        assertChainBroken(volume, parent, "the parent's restore point was destroyed");
    }

    @Test
    void theJournalRecordsEveryResourceOfAnIncrementalBeforeItExists() {
        TckVolume volume = newVolumeWithData("journal-incremental");
        StoredBackup full = backUp(volume, Optional.empty());
        volume.writeRandom(MIB, 65536);
        Set<String> before = fixture.storageObjects();
        StoredBackup incremental = backUp(volume, Optional.of(full));
        assertJournaled(before, incremental);
    }

    @Test
    void anIncrementalInterruptedAtEachJournalStepLeavesOnlyRecordedResources() {
        TckVolume volume = newVolumeWithData("interrupted-incremental");
        StoredBackup full = backUp(volume, Optional.empty());
        volume.writeRandom(MIB, 65536);
        interruptAtEachJournalStep(volume, Optional.of(full));
    }

    @Test
    void aNeverFinishedIncrementalIsRemovedLeavingItsChainRestorable() {
        TckVolume volume = newVolumeWithData("never-finished-incremental");
        List<StoredBackup> chain = chain(volume, 2);
        volume.writeRandom(3 * MIB, 65536);
        Set<String> before = new TreeSet<>(fixture.storageObjects());
        StoredBackup unfinished = backUp(volume, Optional.of(chain.get(1)));
        delete(unfinished.unfinished());
        assertEquals(before, new TreeSet<>(fixture.storageObjects()), "deleting a never-finished incremental (empty"
                + " metadata, its recorded resources) must remove exactly what it stored");
        for (StoredBackup stored : chain) {
            assertRestores(stored);
        }
    }

    /** A full backup and {@code length - 1} incrementals, with writes between them. */
    final List<StoredBackup> chain(TckVolume volume, int length) {
        List<StoredBackup> chain = new ArrayList<>();
        chain.add(backUp(volume, Optional.empty()));
        for (int i = 1; i < length; i++) {
            volume.writeRandom((long) i * MIB - 2048, 8192);
            volume.writeRandom(volume.size() - (long) i * 65536, 4096);
            chain.add(backUp(volume, Optional.of(chain.get(i - 1))));
        }
        return chain;
    }

    /**
     * An incremental from {@code parent} must fail with {@link ChainBrokenException}, leave only what it
     * journaled (removed by a delete of the never-finished backup), leave its source snapshot, and leave
     * the parent as restorable as it was.
     */
    private void assertChainBroken(TckVolume volume, StoredBackup parent, String why) {
        Set<String> before = new TreeSet<>(fixture.storageObjects());
        VolumeSnapshot snapshot = snapshot(volume);
        RecordingJournal journal = new RecordingJournal(fixture, 0);
        try {
            TransferResult result = session.transfers().transfer(new TransferRequest(snapshot, Optional.of(parent.ref()),
                    Map.of(), new ProgressRecorder(), journal));
            fail(why + ", yet the incremental from it succeeded (" + result.kind().label() + ", metadata " + result.metadata()
                    + ") instead of ChainBrokenException" + (result.kind() == BackupKind.INCREMENTAL
                    ? "; it diffed from a snapshot that is not the parent's" : ""));
        } catch (ChainBrokenException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "a ChainBrokenException says why");
        }
        assertEquals(List.of(), journal.violations(), "journal");
        assertTrue(fixture.snapshotExists(volume.ref(), snapshot.name()), "the failed incremental removed its source"
                + " snapshot, which is the host's");
        delete(new BackupRef(snapshot.backupId(), volume.ref(), ServiceMetadata.EMPTY,
                Optional.of(snapshot), journal.resources()));
        assertEquals(before, new TreeSet<>(fixture.storageObjects()), "a chain found broken left storage changed");
        if (!why.contains("restore point")) {
            assertRestores(parent);
        }
    }
}
