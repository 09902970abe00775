package io.cairn.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.error.InvalidConfigurationException.Problem;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.api.operation.VolumeListing;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of plugin API 1.1 that every backend keeps, as JUnit 5 tests. A backend author extends
 * this class (or {@link IncrementalBackendContract}, when the backend declares
 * {@link BackendCapability#INCREMENTAL}) and implements {@link #createFixture}:
 *
 * <pre>
 * class MyBackendContractTest extends BackendContract {
 *     protected BackendFixture createFixture(Path workDir) {
 *         return new MyFixture(workDir);
 *     }
 * }
 * </pre>
 *
 * A backend that offers the optional operations adds their contracts to the same class:
 * {@code implements VerifyContract, InventoryContract}.
 *
 * <p>One session is opened for the whole class, as the host opens one per cluster. Every case checks
 * what the backend did through the fixture, behind the backend's back: restores byte for byte
 * (SHA-256 against what was written), storage object by object. A case that fails says which rule
 * of the contract was broken; docs/PLUGIN-GUIDE.md explains each rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {

    private static final int MIB = 1 << 20;

    /** The fixture {@link #createFixture} made. */
    protected BackendFixture fixture;
    /** The backend under test. */
    protected BackendDescriptor descriptor;
    /** The session the cases run in. */
    protected BackendSession session;

    private final String runId = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    private int volumes;
    private final List<VolumeRef> createdVolumes = new ArrayList<>();
    private final List<StoredBackup> storedThisCase = new ArrayList<>();
    private final List<VolumeSnapshot> snapshotsThisCase = new ArrayList<>();

    /** Makes the fixture, once for all cases of the class; {@code workDir} is a fresh directory. */
    protected abstract BackendFixture createFixture(Path workDir);

    /** The size of the volumes the cases make; at least 4 MiB, a multiple of 1 MiB. */
    protected long volumeSize() {
        return 8L * MIB;
    }

    /** Whether this is the kit for backends with incremental transfers. */
    boolean incrementalKit() {
        return false;
    }

    /** @param workDir a directory for the fixture's files, removed after the last case */
    @BeforeAll
    final void openSession(@TempDir Path workDir) {
        fixture = createFixture(workDir);
        descriptor = fixture.descriptor();
        OptionValues values = descriptor.options().validate(fixture.options());
        session = descriptor.open("tck", values);
    }

    @AfterEach
    final void deleteWhatTheCaseStored() {
        // As the host's retention would: every backup the case stored is deleted, so storage stays small.
        for (StoredBackup stored : storedThisCase) {
            try {
                session.deletions().delete(new DeleteRequest(stored.ref()));
            } catch (RuntimeException e) {
                // the case may have broken it on purpose
            }
        }
        for (VolumeSnapshot snapshot : snapshotsThisCase) {
            try {
                session.snapshots().remove(snapshot);
            } catch (RuntimeException e) {
                // the case may have removed it
            }
        }
        storedThisCase.clear();
        snapshotsThisCase.clear();
    }

    @AfterAll
    final void closeSession() {
        try {
            for (VolumeRef volume : createdVolumes) {
                fixture.removeVolume(volume);
            }
        } finally {
            try {
                if (session != null) {
                    session.close();
                }
            } finally {
                fixture.close();
            }
        }
    }

    // ---------------------------------------------------------------- declarations and options

    @Test
    void capabilitiesAreDeclaredAndMatchTheKit() {
        Set<BackendCapability> capabilities = descriptor.capabilitySet();
        assertNotNull(capabilities, "capabilitySet() is null");
        boolean incremental = capabilities.contains(BackendCapability.INCREMENTAL);
        if (incremental && !incrementalKit()) {
            fail(descriptor.id() + " declares INCREMENTAL: extend IncrementalBackendContract, so its chains are checked");
        }
        if (!incremental && incrementalKit()) {
            fail(descriptor.id() + " does not declare INCREMENTAL: extend BackendContract, or declare the capability");
        }
        assertFalse(descriptor.id().isBlank(), "id() is blank");
        assertTrue(descriptor.id().matches("[a-z][a-z0-9_-]*"), "id() must be lowercase letters, digits, '-' or '_': "
                + descriptor.id());
        assertFalse(descriptor.volumeNaming().form().isBlank(), "volumeNaming().form() is blank");
    }

    @Test
    void optionsAreValidatedWithEveryProblemNamed() {
        Map<String, Object> good = fixture.options();
        descriptor.options().validate(good);
        for (OptionDefinition option : descriptor.options().all()) {
            assertFalse(option.documentation() == null || option.documentation().isBlank(),
                    "option " + option.name() + " has no documentation; operators read it in `cairn plugins`");
        }

        Map<String, Object> unknown = new LinkedHashMap<>(good);
        unknown.put("tck_no_such_option", "x");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> descriptor.options().validate(unknown), "an unknown option must be refused");
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals("tck_no_such_option")), e.getMessage());

        List<String> required = descriptor.options().all().stream()
                .filter(o -> o.required() && o.defaultValue() == null).map(OptionDefinition::name).toList();
        for (String name : required) {
            Map<String, Object> without = new LinkedHashMap<>(good);
            without.remove(name);
            without.put("tck_no_such_option", "x");
            InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                    () -> descriptor.options().validate(without), "required option " + name + " was not required");
            List<String> keys = missing.problems().stream().map(Problem::key).toList();
            assertTrue(keys.contains(name) && keys.contains("tck_no_such_option"),
                    "every problem is reported at once, each naming its option: " + missing.getMessage());
        }
    }

    @Test
    void secretsAreNeverShown() {
        Map<String, Object> raw = fixture.options();
        Map<String, String> secrets = new HashMap<>();
        for (OptionDefinition option : descriptor.options().all()) {
            if (option.secret() && raw.get(option.name()) != null) {
                secrets.put(option.name(), raw.get(option.name()).toString());
            }
        }
        OptionValues values = descriptor.options().validate(raw);
        List<String> shown = new ArrayList<>(List.of(values.toString(), values.displayAll().toString(), session.describe(),
                String.valueOf(session), String.valueOf(descriptor)));
        for (String secret : secrets.keySet()) {
            Map<String, Object> wrong = new LinkedHashMap<>(raw);
            wrong.put(secret, List.of(secrets.get(secret), secrets.get(secret)));
            try {
                descriptor.options().validate(wrong);
            } catch (InvalidConfigurationException e) {
                shown.add(e.getMessage());
            }
        }
        Map<String, Object> unknown = new LinkedHashMap<>(raw);
        unknown.put("tck_no_such_option", "x");
        shown.add(assertThrows(InvalidConfigurationException.class, () -> descriptor.options().validate(unknown)).getMessage());
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            for (String text : shown) {
                assertFalse(text.contains(secret.getValue()), "the value of secret option " + secret.getKey()
                        + " is shown in: " + text.replace(secret.getValue(), "<the secret>"));
            }
        }
    }

    @Test
    void volumeNamesAreTheBackendsOwn() {
        TckVolume volume = newVolume("names");
        assertEquals(Optional.empty(), descriptor.volumeNaming().problem(volume.ref().locator()),
                "the fixture's volume name is not one the backend's volumeNaming() accepts");
        Optional<VolumeListing> listing = session.volumeListing();
        if (listing.isPresent()) {
            String namespace = descriptor.volumeNaming().namespaceOf(volume.ref().locator());
            List<VolumeRef> listed = listing.get().list(namespace);
            assertTrue(listed.contains(volume.ref()), "list(\"" + namespace + "\") does not list " + volume + ": " + listed);
            for (VolumeRef each : listed) {
                assertEquals(namespace, descriptor.volumeNaming().namespaceOf(each.locator()),
                        "list(\"" + namespace + "\") lists " + each + ", which is in another namespace");
            }
            List<String> sorted = listed.stream().map(VolumeRef::locator).sorted().toList();
            assertEquals(sorted, listed.stream().map(VolumeRef::locator).toList(), "a listing is sorted by name");
        }
    }

    @Test
    void everyOptionalOperationOfferedIsChecked() {
        if (session.verification().isPresent() && !(this instanceof VerifyContract)) {
            fail(descriptor.id() + " offers verification: implement VerifyContract in this test class, so that it is"
                    + " checked");
        }
        if (session.inventory().isPresent() && !(this instanceof InventoryContract)) {
            fail(descriptor.id() + " offers an inventory: implement InventoryContract in this test class, so that it is"
                    + " checked");
        }
        if (this instanceof VerifyContract) {
            assertTrue(session.verification().isPresent(), "the test class implements VerifyContract, but "
                    + descriptor.id() + "'s session offers no verification()");
        }
        if (this instanceof InventoryContract) {
            assertTrue(session.inventory().isPresent(), "the test class implements InventoryContract, but "
                    + descriptor.id() + "'s session offers no inventory()");
        }
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void aSnapshotIsAPointInTime() {
        TckVolume volume = newVolume("point-in-time");
        writeSomeData(volume);
        byte[] atSnapshot = volume.content();
        VolumeSnapshot snapshot = snapshot(volume);
        volume.writeRandom(0, 64 * 1024);
        volume.writeRandom(volume.size() - 4096, 4096);
        StoredBackup stored = transfer(volume, snapshot, atSnapshot, Optional.empty());
        assertRestores(stored);
    }

    @Test
    void aSnapshotOfAMissingVolumeIsVolumeNotFound() {
        VolumeRef missing = fixture.volumeName(nextName("missing"));
        assertThrows(VolumeNotFoundException.class,
                () -> session.snapshots().create(new SnapshotRequest(BackupId.random(), missing)));
    }

    @Test
    void snapshotsAreRemovedByIdentity() {
        TckVolume volume = newVolume("snapshot-identity");
        writeSomeData(volume);
        VolumeSnapshot snapshot = snapshot(volume);
        assertTrue(snapshot.hasIdentity(), "a snapshot comes back with its identity (plugin API 1.1), so that a"
                + " snapshot of the same name made later is told apart: " + snapshot);
        assertTrue(fixture.snapshotExists(volume.ref(), snapshot.name()), "the snapshot " + snapshot.name() + " is not there");

        fixture.replaceSnapshotWithImpostor(snapshot);
        session.snapshots().remove(snapshot);
        assertTrue(fixture.snapshotExists(volume.ref(), snapshot.name()), "remove() removed a snapshot of the same name"
                + " but another identity - an impostor it does not own");
        fixture.removeSnapshot(snapshot);

        VolumeSnapshot second = snapshot(volume);
        session.snapshots().remove(second);
        assertFalse(fixture.snapshotExists(volume.ref(), second.name()), "remove() left " + second.name());
        session.snapshots().remove(second);
    }

    @Test
    void aSnapshotNamedInTheJournalIsNamedBeforeItIsTakenAndGetsThatName() {
        TckVolume volume = newVolume("snapshot-journal");
        writeSomeData(volume);
        List<String> announced = new ArrayList<>();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), volume.ref()),
                name -> {
                    assertFalse(fixture.snapshotExists(volume.ref(), name), "snapshot " + name + " existed before its"
                            + " name was recorded: a process killed in between would leave it unrecorded");
                    announced.add(name);
                });
        // A backend that announces nothing (as with plugin API 1.1) is allowed; one that does, announces once.
        assertTrue(announced.isEmpty() || announced.equals(List.of(snapshot.name())), "the names recorded before"
                + " the snapshot was taken, " + announced + ", are not the one it got, " + snapshot.name()
                + ": the host's clean-up would look for the wrong snapshot");
        if (!announced.isEmpty()) {
            // The clean-up of a backup killed while its snapshot was taken knows the recorded name alone.
            session.snapshots().remove(new VolumeSnapshot(snapshot.backupId(), snapshot.volume(), snapshot.name(),
                    snapshot.sizeBytes(), snapshot.createdAt()));
            assertFalse(fixture.snapshotExists(volume.ref(), snapshot.name()), "remove() of a snapshot known by its"
                    + " recorded name alone (no identity, as after a kill) left " + snapshot.name());
        }
        session.snapshots().remove(snapshot);
        assertFalse(fixture.snapshotExists(volume.ref(), snapshot.name()), "remove() left " + snapshot.name());
    }

    // ---------------------------------------------------------------- transfer and restore

    @Test
    void aFullBackupRestoresByteForByte() {
        TckVolume volume = newVolume("full");
        writeSomeData(volume);
        ProgressRecorder progress = new ProgressRecorder();
        VolumeSnapshot snapshot = snapshot(volume);
        RecordingJournal journal = new RecordingJournal(fixture, 0);
        TransferResult result = session.transfers().transfer(
                new TransferRequest(snapshot, Optional.empty(), Map.of("tck", "yes"), progress, journal));
        StoredBackup stored = remember(snapshot, result, journal, volume.content());
        assertEquals(BackupKind.FULL, result.kind());
        assertEquals(volume.size(), result.volumeSizeBytes(), "volumeSizeBytes");
        assertTrue(progress.endedComplete(), "a transfer reports progress, ending with bytesDone == bytesTotal: " + progress);
        assertTrue(fixture.snapshotExists(volume.ref(), snapshot.name()), "the transfer removed its source snapshot,"
                + " which is the host's");

        VolumeRef target = fixture.volumeName(nextName("restored"));
        createdVolumes.add(target);
        ProgressRecorder restoreProgress = new ProgressRecorder();
        RestoreResult restored = session.restores().restore(new RestoreRequest(stored.ref(), target, false, restoreProgress));
        assertEquals(target, restored.target());
        assertTrue(restored.targetCreated(), "the restore created the missing target");
        assertEquals(volume.size(), restored.targetSizeBytes(), "a created target has the backup's size");
        assertTrue(restoreProgress.endedComplete(), "a restore reports progress, ending with bytesDone == bytesTotal: "
                + restoreProgress);
        assertSameBytes(stored.content(), fixture.read(target), "restore of " + stored + " into a new volume");
    }

    @Test
    void aRestoreRefusesATooSmallTarget() {
        StoredBackup stored = backUp(newVolumeWithData("too-small-source"), Optional.empty());
        TckVolume small = newVolume("too-small", volumeSize() / 2);
        small.writeRandom(0, 4096);
        byte[] before = small.content();
        assertThrows(TargetTooSmallException.class,
                () -> restore(stored, small.ref(), true), "a target smaller than the backup is refused, even with overwrite");
        assertSameBytes(before, fixture.read(small.ref()), "a refused target is left as it was");
    }

    @Test
    void aRestoreWritesOverATargetHoldingDataOnlyWhenAsked() {
        StoredBackup stored = backUp(newVolumeWithData("not-empty-source"), Optional.empty());
        TckVolume target = newVolume("not-empty");
        target.writeRandom(MIB, 4096);
        byte[] before = target.content();
        assertThrows(TargetNotEmptyException.class, () -> restore(stored, target.ref(), false),
                "a target holding data is written over only with overwrite");
        assertSameBytes(before, fixture.read(target.ref()), "a refused target is left as it was");

        RestoreResult result = restore(stored, target.ref(), true);
        assertFalse(result.targetCreated(), "the target existed");
        assertSameBytes(stored.content(), fixture.read(target.ref()), "restore of " + stored + " over a volume holding data");
    }

    @Test
    void aRestoreIntoAnExistingEmptyTargetNeedsNoOverwrite() {
        StoredBackup stored = backUp(newVolumeWithData("empty-target-source"), Optional.empty());
        TckVolume target = newVolume("empty-target");
        restore(stored, target.ref(), false);
        assertSameBytes(stored.content(), fixture.read(target.ref()), "restore of " + stored + " into an empty volume");
    }

    @Test
    void aRestoreIntoBackupStorageIsAlwaysRefused() {
        StoredBackup stored = backUp(newVolumeWithData("refused-target"), Optional.empty());
        List<VolumeRef> targets = fixture.backupStorageTargets(stored.ref());
        assertFalse(targets.isEmpty(), "the fixture names no backup storage target");
        Set<String> storage = fixture.storageObjects();
        for (VolumeRef target : targets) {
            assertThrows(TargetRefusedException.class, () -> restore(stored, target, true),
                    "a restore into " + target + ", which is backup storage, must be refused even with overwrite");
        }
        assertEquals(storage, fixture.storageObjects(), "a refused restore changed backup storage");
        assertRestores(stored);
    }

    // ---------------------------------------------------------------- the journal and failures

    @Test
    void theJournalRecordsEveryResourceBeforeItExists() {
        TckVolume volume = newVolumeWithData("journal");
        Set<String> before = fixture.storageObjects();
        StoredBackup stored = backUp(volume, Optional.empty());
        assertJournaled(before, stored);
    }

    @Test
    void aTransferInterruptedAtEachJournalStepLeavesOnlyRecordedResources() {
        TckVolume volume = newVolumeWithData("interrupted");
        interruptAtEachJournalStep(volume, Optional.empty());
    }

    @Test
    void aNeverFinishedBackupIsRemovedThroughItsRecordedResourcesAlone() {
        TckVolume volume = newVolumeWithData("never-finished");
        StoredBackup other = backUp(volume, Optional.empty());
        volume.writeRandom(2 * MIB, 8192);
        Set<String> before = fixture.storageObjects();
        // The process died after the transfer, before the host recorded the backup's metadata: the host
        // knows the id and what the journal recorded, nothing else.
        StoredBackup unfinished = backUp(volume, Optional.empty());
        delete(unfinished.unfinished());
        assertEquals(new TreeSet<>(before), new TreeSet<>(fixture.storageObjects()),
                "deleting a never-finished backup (empty metadata, its recorded resources) must remove exactly what it"
                        + " stored");
        assertRestores(other);
    }

    // ---------------------------------------------------------------- deletes

    @Test
    void deletesAreIdempotentAndLeaveTheSourceSnapshot() {
        TckVolume volume = newVolumeWithData("delete-twice");
        Set<String> before = fixture.storageObjects();
        StoredBackup stored = backUp(volume, Optional.empty());
        DeleteResult first = delete(stored.ref());
        assertNotNull(first, "delete returned null");
        assertEquals(new TreeSet<>(before), new TreeSet<>(fixture.storageObjects()), "delete left storage behind");
        delete(stored.ref());
        assertTrue(fixture.snapshotExists(volume.ref(), stored.snapshot().name()),
                "delete removed the backup's source snapshot; the host removes it through SnapshotOperation.remove");
    }

    @Test
    void aDeletedBackupCannotBeRestored() {
        StoredBackup stored = backUp(newVolumeWithData("deleted-restore"), Optional.empty());
        delete(stored.ref());
        VolumeRef target = fixture.volumeName(nextName("deleted-restore-target"));
        createdVolumes.add(target);
        assertThrows(BackupDataMissingException.class, () -> restore(stored, target, false),
                "restoring a deleted backup is BackupDataMissingException");
    }

    @Test
    void deletingOneBackupKeepsEveryOtherRestorable() {
        TckVolume volume = newVolumeWithData("delete-one");
        List<StoredBackup> fulls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            volume.writeRandom((long) i * MIB + 4096, 16384);
            fulls.add(backUp(volume, Optional.empty()));
        }
        for (int index : new int[] {1, 0, 2}) {
            delete(fulls.get(index).ref());
            fulls.set(index, null);
            for (StoredBackup left : fulls) {
                if (left != null) {
                    assertRestores(left);
                }
            }
        }
    }

    // ---------------------------------------------------------------- for the cases and subclasses

    /** A new empty volume of {@link #volumeSize()}. */
    final TckVolume newVolume(String what) {
        return newVolume(what, volumeSize());
    }

    final TckVolume newVolume(String what, long size) {
        String name = nextName(what);
        VolumeRef ref = fixture.createVolume(name, size);
        createdVolumes.add(ref);
        return new TckVolume(fixture, ref, size, name.hashCode());
    }

    final TckVolume newVolumeWithData(String what) {
        TckVolume volume = newVolume(what);
        writeSomeData(volume);
        return volume;
    }

    private String nextName(String what) {
        return "tck-" + runId + "-" + (++volumes) + "-" + what;
    }

    /** Data in a few places, holes between: the first 256 KiB, a piece across the middle, the last block. */
    final void writeSomeData(TckVolume volume) {
        volume.writeRandom(0, 256 * 1024);
        volume.writeRandom(volume.size() / 2 - 12345, 3 * 65536);
        volume.writeRandom(volume.size() - 4096, 4096);
    }

    final VolumeSnapshot snapshot(TckVolume volume) {
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), volume.ref()));
        snapshotsThisCase.add(snapshot);
        assertEquals(volume.ref(), snapshot.volume(), "the snapshot names another volume");
        assertEquals(volume.size(), snapshot.sizeBytes(), "sizeBytes of the snapshot");
        return snapshot;
    }

    /** Snapshot and transfer, as the host makes a backup; the journal is checked as it goes. */
    final StoredBackup backUp(TckVolume volume, Optional<StoredBackup> parent) {
        VolumeSnapshot snapshot = snapshot(volume);
        return transfer(volume, snapshot, volume.content(), parent);
    }

    final StoredBackup transfer(TckVolume volume, VolumeSnapshot snapshot, byte[] content, Optional<StoredBackup> parent) {
        return transfer(volume, snapshot, content, parent, Map.of());
    }

    final StoredBackup transfer(TckVolume volume, VolumeSnapshot snapshot, byte[] content, Optional<StoredBackup> parent,
            Map<String, String> labels) {
        RecordingJournal journal = new RecordingJournal(fixture, 0);
        TransferResult result = session.transfers().transfer(new TransferRequest(snapshot,
                parent.map(StoredBackup::ref), labels, new ProgressRecorder(), journal));
        assertNotNull(result, "transfer returned null");
        assertEquals(parent.isPresent() ? BackupKind.INCREMENTAL : BackupKind.FULL, result.kind(), "the kind of " + volume
                + "'s backup");
        assertEquals(List.of(), journal.violations(), "journal");
        return remember(snapshot, result, journal, content);
    }

    final StoredBackup remember(VolumeSnapshot snapshot, TransferResult result, RecordingJournal journal, byte[] content) {
        BackupRef ref = new BackupRef(snapshot.backupId(), snapshot.volume(), result.metadata(), Optional.of(snapshot),
                journal.resources());
        StoredBackup stored = new StoredBackup(ref, result, content);
        storedThisCase.add(stored);
        return stored;
    }

    final RestoreResult restore(StoredBackup stored, VolumeRef target, boolean overwrite) {
        return session.restores().restore(new RestoreRequest(stored.ref(), target, overwrite, new ProgressRecorder()));
    }

    final DeleteResult delete(BackupRef backup) {
        return session.deletions().delete(new DeleteRequest(backup));
    }

    /** Restores into a new volume and compares it, byte for byte, with the volume at the snapshot. */
    final void assertRestores(StoredBackup stored) {
        VolumeRef target = fixture.volumeName(nextName("check"));
        try {
            restore(stored, target, false);
            assertSameBytes(stored.content(), fixture.read(target), "restore of " + stored);
        } finally {
            fixture.removeVolume(target);
        }
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            int at = Arrays.mismatch(expected, actual);
            fail(what + ": sha256 " + Digests.sha256(actual) + " (" + actual.length + " bytes), expected "
                    + Digests.sha256(expected) + " (" + expected.length + " bytes); first difference at byte " + at);
        }
    }

    /** Every object the backup brought into storage was journaled before it was created. */
    final void assertJournaled(Set<String> before, StoredBackup stored) {
        Set<String> recorded = new HashSet<>();
        stored.ref().resources().forEach(r -> recorded.add(r.name()));
        List<String> unrecorded = fixture.storageObjects().stream()
                .filter(name -> !before.contains(name) && !recorded.contains(name)).sorted().toList();
        assertEquals(List.of(), unrecorded, stored + " created these without journaling them first (journal: "
                + stored.ref().resources() + ")");
        Set<String> storage = fixture.storageObjects();
        for (StoredResource resource : stored.ref().resources()) {
            assertTrue(!storage.contains(resource.name()) || resource.hasIdentity(), resource + " exists, but was not"
                    + " recorded again with its identity once created");
        }
    }

    /**
     * Interrupts a transfer at its first, second, ... journal call (the host could not store the record)
     * until one gets through. After each: the transfer failed with the journal's exception, the refused
     * resource was not created, what is left is what the journal recorded, the source snapshot is still
     * there, and a delete of the never-finished backup leaves storage as it was.
     */
    final void interruptAtEachJournalStep(TckVolume volume, Optional<StoredBackup> parent) {
        Set<String> before = new TreeSet<>(fixture.storageObjects());
        for (int failAt = 1; ; failAt++) {
            assertTrue(failAt <= 20, "a transfer that journals more than 20 times is not what this kit expects");
            VolumeSnapshot snapshot = snapshot(volume);
            RecordingJournal journal = new RecordingJournal(fixture, failAt);
            TransferResult result;
            try {
                result = session.transfers().transfer(new TransferRequest(snapshot, parent.map(StoredBackup::ref), Map.of(),
                        new ProgressRecorder(), journal));
            } catch (RuntimeException e) {
                String step = "interrupted at journal call " + failAt;
                assertTrue(causedByJournal(e), step + ": the transfer must fail with the journal's exception, not " + e);
                assertEquals(List.of(), journal.violations(), step);
                Set<String> left = fixture.storageObjects();
                journal.refused().ifPresent(refused -> assertTrue(before.contains(refused.name()) || !left.contains(refused.name()),
                        step + ": " + refused + " was created although its record was refused"));
                List<String> unrecorded = left.stream().filter(n -> !before.contains(n) && !journal.recorded(n)).sorted().toList();
                assertEquals(List.of(), unrecorded, step + ": left behind without a record");
                assertTrue(fixture.snapshotExists(volume.ref(), snapshot.name()), step + ": the failed transfer removed its"
                        + " source snapshot, which is the host's");
                BackupRef unfinished = new BackupRef(snapshot.backupId(), volume.ref(), ServiceMetadata.EMPTY,
                        Optional.of(snapshot), journal.resources());
                delete(unfinished);
                assertEquals(before, new TreeSet<>(fixture.storageObjects()), step + ": deleting the never-finished backup"
                        + " through its recorded resources did not leave storage as it was");
                session.snapshots().remove(snapshot);
                continue;
            }
            // The journal let every call through: the transfer succeeded.
            assertTrue(journal.refused().isEmpty(), "the transfer went on and succeeded after the journal refused "
                    + journal.refused().orElse(null) + "; it must fail with the journal's exception");
            assertTrue(journal.calls() > 0, "the transfer journaled nothing: a backend records each storage object before"
                    + " it creates it (TransferRequest.journal())");
            StoredBackup stored = remember(snapshot, result, journal, volume.content());
            assertRestores(stored);
            parent.ifPresent(this::assertRestores);
            return;
        }
    }

    private static boolean causedByJournal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JournalFailure) {
                return true;
            }
        }
        return false;
    }
}
