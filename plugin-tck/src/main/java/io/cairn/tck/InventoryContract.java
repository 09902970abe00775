package io.cairn.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation.Inventory;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract of the optional {@link io.cairn.api.operation.InventoryOperation}, for a backend whose
 * session offers {@code inventory()}: added to its contract test class,
 * {@code class MyContractTest extends BackendContract implements InventoryContract}.
 *
 * <p>From backup storage alone the inventory describes every stored backup as the host recorded it -
 * volume, kind, parent, creation time, size, labels, service metadata, resources - lists no deleted
 * one, hands back a source snapshot only with its identity, and what it describes restores byte for
 * byte and (for incremental backends) continues the chain: a lost catalog rebuilt from it works.
 */
public interface InventoryContract {

    private BackendContract kit() {
        return (BackendContract) this;
    }

    private Inventory inventory() {
        Inventory inventory = kit().session.inventory().orElseThrow().list();
        assertNotNull(inventory, "inventory().list() returned null");
        return inventory;
    }

    private static FoundBackup found(Inventory inventory, StoredBackup stored) {
        List<FoundBackup> matching = inventory.backups().stream().filter(b -> b.id().equals(stored.ref().id())).toList();
        assertEquals(1, matching.size(), "the inventory lists " + stored + " " + matching.size() + " times: "
                + inventory.backups().stream().map(b -> b.id().value()).toList());
        return matching.get(0);
    }

    /** The backup as a rebuilt catalog would hand it to the backend. */
    private static BackupRef refOf(FoundBackup found) {
        return new BackupRef(found.id(), found.volume(), found.metadata(), found.snapshot(), found.resources());
    }

    @Test
    default void everyStoredBackupIsDescribedFromStorageAlone() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("inventory");
        StoredBackup full = kit.backUp(volume, Optional.empty());
        volume.writeRandom(1 << 20, 8192);
        StoredBackup second = kit.backUp(volume, kit.incrementalKit() ? Optional.of(full) : Optional.empty());
        Set<String> storage = kit.fixture.storageObjects();

        Inventory inventory = inventory();
        for (StoredBackup stored : List.of(full, second)) {
            FoundBackup found = found(inventory, stored);
            assertEquals(stored.ref().volume(), found.volume(), "volume of " + stored);
            assertEquals(stored.result().kind(), found.kind(), "kind of " + stored);
            assertEquals(stored.snapshot().sizeBytes(), found.sizeBytes(), "size of " + stored);
            assertEquals(stored.snapshot().createdAt(), found.createdAt(), "createdAt is when the snapshot was taken");
            assertEquals(FoundBackup.State.RESTORABLE, found.state());
            assertFalse(found.foreign(), "a backend's own backup has no origin: " + found.origin());
            assertEquals(stored.result().metadata(), found.metadata(),
                    "the service metadata the transfer returned for " + stored);
            Set<String> expected = stored.ref().resources().stream().map(StoredResource::name).filter(storage::contains)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> listed = found.resources().stream().map(StoredResource::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, listed, "the resources of " + stored + ": those journaled that exist");
            assertTrue(found.resources().stream().allMatch(StoredResource::hasIdentity),
                    "resources that exist are listed with their identities: " + found.resources());
        }
        assertEquals(Optional.empty(), found(inventory, full).parent());
        if (kit.incrementalKit()) {
            assertEquals(Optional.of(full.ref().id()), found(inventory, second).parent(), "the parent of " + second);
        }
        assertEquals(inventory, inventory(), "an inventory of unchanged storage is the same every time");
    }

    @Test
    default void labelsAreKeptAndDeletedBackupsAreNotListed() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("inventory-labels");
        StoredBackup labelled = kit.transfer(volume, kit.snapshot(volume), volume.content(), Optional.empty(),
                Map.of("tier", "gold", "owner", "tck"));
        StoredBackup deleted = kit.backUp(volume, Optional.empty());
        kit.delete(deleted.ref());
        Inventory inventory = inventory();
        assertEquals(Map.of("tier", "gold", "owner", "tck"), found(inventory, labelled).labels());
        assertTrue(inventory.backups().stream().noneMatch(b -> b.id().equals(deleted.ref().id())),
                "a deleted backup is still listed: " + deleted);
    }

    @Test
    default void whatTheInventoryDescribesRestoresAndContinuesTheChain() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("inventory-restore");
        StoredBackup full = kit.backUp(volume, Optional.empty());
        FoundBackup found = found(inventory(), full);
        StoredBackup rebuilt = new StoredBackup(refOf(found), full.result(), full.content());
        kit.assertRestores(rebuilt);
        if (!kit.incrementalKit()) {
            return;
        }
        assertEquals(full.ref().snapshot(), found.snapshot(),
                "the source snapshot exists with its identity: the inventory hands it back so the chain can go on");
        volume.writeRandom(3 << 20, 4096);
        VolumeSnapshot snapshot = kit.snapshot(volume);
        RecordingJournal journal = new RecordingJournal(kit.fixture, 0);
        TransferResult next = kit.session.transfers().transfer(new TransferRequest(snapshot, Optional.of(rebuilt.ref()),
                Map.of(), ProgressListener.NONE, journal));
        assertEquals(BackupKind.INCREMENTAL, next.kind(), "an incremental from a backup the inventory described");
        StoredBackup incremental = kit.remember(snapshot, next, journal, volume.content());
        kit.assertRestores(incremental);
    }

    @Test
    default void aSourceSnapshotIsHandedBackOnlyWithItsIdentity() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("inventory-impostor");
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        Optional<VolumeSnapshot> handedBack = found(inventory(), stored).snapshot();
        handedBack.ifPresent(snapshot -> {
            assertEquals(stored.snapshot().name(), snapshot.name());
            assertEquals(stored.snapshot().identity(), snapshot.identity(), "the snapshot handed back is the one taken");
        });
        kit.fixture.replaceSnapshotWithImpostor(stored.snapshot());
        assertEquals(Optional.empty(), found(inventory(), stored).snapshot(),
                "a snapshot of the recorded name but another identity was handed back for adoption");
    }

}
