package io.cairn.blockstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import io.cairn.tck.BackendFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The contract test kit can fail: the block store backend, which passes it, is given one defect at a
 * time - each a mistake a backend could really make - and the kit's case for that rule must fail,
 * with a message naming the rule. (Run through JUnit's own engine test kit, as a backend author's
 * build runs the cases.)
 */
class ContractKitCatchesDefectsTest {

    /** A mistake a backend could make, made by wrapping the real backend. */
    enum Defect {
        /** Creates its manifest without journaling it. */
        UNJOURNALED_MANIFEST,
        /** Goes on with the transfer when the host could not store a journal record. */
        IGNORES_JOURNAL_FAILURE,
        /** Removes a snapshot by name, whatever its identity. */
        REMOVES_BY_NAME,
        /** Diffs from a parent snapshot of the right name without looking at its identity. */
        DIFFS_BY_NAME,
        /** Deletes every backup's manifest, as a delete by name pattern would. */
        DELETES_BY_PATTERN,
        /** Writes over a target holding data without being asked to. */
        OVERWRITES_UNASKED,
        /** Restores one byte wrong. */
        CORRUPTS_RESTORE,
        /** Restores into its own storage when asked to overwrite. */
        RESTORES_INTO_STORAGE,
        /** Says every backup is intact without reading it. */
        VERIFIES_NOTHING,
        /** Loses the labels when it lists backups. */
        INVENTORY_LOSES_LABELS,
        /** Hands back a source snapshot for adoption by its name, whatever its identity. */
        INVENTORY_ADOPTS_BY_NAME
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @CsvSource({
        "UNJOURNALED_MANIFEST,    theJournalRecordsEveryResourceBeforeItExists,                        without journaling them first",
        "IGNORES_JOURNAL_FAILURE, aTransferInterruptedAtEachJournalStepLeavesOnlyRecordedResources,   went on and succeeded after the journal refused",
        "REMOVES_BY_NAME,         snapshotsAreRemovedByIdentity,                                       removed a snapshot of the same name but another identity",
        "DIFFS_BY_NAME,           aParentWhoseSnapshotIsAnImpostorIsAChainBrokenExceptionNotAWrongDiff, instead of ChainBrokenException",
        "DELETES_BY_PATTERN,      deletingOneBackupKeepsEveryOtherRestorable,                         BackupDataMissingException",
        "OVERWRITES_UNASKED,      aRestoreWritesOverATargetHoldingDataOnlyWhenAsked,                  a target holding data is written over only with overwrite",
        "CORRUPTS_RESTORE,        aFullBackupRestoresByteForByte,                                      first difference at byte",
        "RESTORES_INTO_STORAGE,   aRestoreIntoBackupStorageIsAlwaysRefused,                            which is backup storage, must be refused",
        "VERIFIES_NOTHING,        damageBehindTheBackendsBackIsFoundWithItsByteRange,                  verify missed damage",
        "INVENTORY_LOSES_LABELS,  labelsAreKeptAndDeletedBackupsAreNotListed,                          but was: <{}>",
        "INVENTORY_ADOPTS_BY_NAME, aSourceSnapshotIsHandedBackOnlyWithItsIdentity,                     another identity was handed back",
    })
    void eachDefectFailsItsCase(Defect defect, String kitCase, String message) {
        Broken.defect = defect;
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(Broken.class, kitCase)).execute();
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), defect + " was not caught by " + kitCase + ": " + results.testEvents().list());
        Throwable why = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertTrue(String.valueOf(why).contains(message), "the failure of " + kitCase + " should say '"
                + message + "': " + why);
    }

    /** The block store contract with the current defect; not run on its own (a nested class). */
    static class Broken extends BlockStoreContractTest {

        static Defect defect;

        @Override
        protected BackendFixture createFixture(Path workDir) {
            BlockStoreFixture real = new BlockStoreFixture(workDir, Map.of());
            return new DelegatingFixture(real) {
                @Override
                public BackendDescriptor descriptor() {
                    return new BrokenBackend(real.descriptor(), defect, real.store());
                }
            };
        }
    }

    /** The real backend, but for one defect. */
    private record BrokenBackend(BackendDescriptor real, Defect defect, Path store) implements BackendDescriptor {

        @Override
        public String id() {
            return real.id();
        }

        @Override
        public String version() {
            return real.version();
        }

        @Override
        public String description() {
            return real.description();
        }

        @Override
        public OptionDefinitions options() {
            return real.options();
        }

        @Override
        public Set<BackendCapability> capabilitySet() {
            return real.capabilitySet();
        }

        @Override
        public VolumeNaming volumeNaming() {
            return real.volumeNaming();
        }

        @Override
        public BackendSession open(String clusterName, OptionValues options) {
            BackendSession session = real.open(clusterName, options);
            return new BackendSession() {
                @Override
                public SnapshotOperation snapshots() {
                    SnapshotOperation snapshots = session.snapshots();
                    return new SnapshotOperation() {
                        @Override
                        public VolumeSnapshot create(io.cairn.api.operation.SnapshotRequest request) {
                            return snapshots.create(request);
                        }

                        @Override
                        public void remove(VolumeSnapshot snapshot) {
                            snapshots.remove(defect == Defect.REMOVES_BY_NAME ? withoutIdentity(snapshot) : snapshot);
                        }
                    };
                }

                @Override
                public TransferOperation transfers() {
                    return request -> session.transfers().transfer(broken(request));
                }

                @Override
                public RestoreOperation restores() {
                    return request -> {
                        RestoreRequest asked = request;
                        if (defect == Defect.OVERWRITES_UNASKED) {
                            asked = new RestoreRequest(request.backup(), request.target(), true, request.progress());
                        }
                        if (defect == Defect.RESTORES_INTO_STORAGE && request.overwrite() && request.target().isFile()) {
                            try {
                                Files.write(request.target().filePath(), new byte[] {1});
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return new io.cairn.api.operation.RestoreResult(request.target(),
                                    io.cairn.api.operation.RestoreResult.RestoreMode.FULL_COPY, false, 1, 1);
                        }
                        io.cairn.api.operation.RestoreResult result = session.restores().restore(asked);
                        if (defect == Defect.CORRUPTS_RESTORE) {
                            corruptOneByte(options.path("volumes_dir").resolve(request.target().locator()));
                        }
                        return result;
                    };
                }

                @Override
                public DeleteOperation deletions() {
                    return request -> {
                        DeleteResult result = session.deletions().delete(request);
                        if (defect == Defect.DELETES_BY_PATTERN) {
                            try (Stream<Path> manifests = Files.list(store.resolve("backups"))) {
                                for (Path manifest : (Iterable<Path>) manifests::iterator) {
                                    Files.delete(manifest);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        return result;
                    };
                }

                @Override
                public Optional<io.cairn.api.operation.VolumeListing> volumeListing() {
                    return session.volumeListing();
                }

                @Override
                public Optional<io.cairn.api.operation.VerifyOperation> verification() {
                    if (defect != Defect.VERIFIES_NOTHING) {
                        return session.verification();
                    }
                    return Optional.of(request -> {
                        long size = request.backup().snapshot().map(VolumeSnapshot::sizeBytes).orElse(0L);
                        long checked = request.complete() ? size : size / 10;
                        request.progress().onProgress(checked, checked);
                        return new io.cairn.api.operation.VerifyResult(io.cairn.api.operation.VerifyResult.Verdict.INTACT,
                                size, checked, 0, request.compareSource(), List.of(), List.of());
                    });
                }

                @Override
                public Optional<io.cairn.api.operation.InventoryOperation> inventory() {
                    io.cairn.api.operation.InventoryOperation real = session.inventory().orElseThrow();
                    return Optional.of(() -> {
                        io.cairn.api.operation.InventoryOperation.Inventory inventory = real.list();
                        if (defect != Defect.INVENTORY_LOSES_LABELS && defect != Defect.INVENTORY_ADOPTS_BY_NAME) {
                            return inventory;
                        }
                        return new io.cairn.api.operation.InventoryOperation.Inventory(inventory.backups().stream()
                                .map(BrokenBackend.this::broken).toList(), inventory.notes());
                    });
                }

                @Override
                public String describe() {
                    return session.describe();
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        }

        private TransferRequest broken(TransferRequest request) {
            return switch (defect) {
                case UNJOURNALED_MANIFEST -> new TransferRequest(request.snapshot(), request.parent(), request.labels(),
                        request.progress(), resource -> {
                            if (!resource.kind().equals("manifest")) {
                                request.journal().record(resource);
                            }
                        });
                case IGNORES_JOURNAL_FAILURE -> new TransferRequest(request.snapshot(), request.parent(), request.labels(),
                        request.progress(), resource -> {
                            try {
                                request.journal().record(resource);
                            } catch (RuntimeException ignored) {
                                // the defect: the host's refusal is ignored
                            }
                        });
                case DIFFS_BY_NAME -> new TransferRequest(request.snapshot(), request.parent().map(p -> new BackupRef(p.id(),
                        p.volume(), p.metadata(), p.snapshot().map(BrokenBackend::withoutIdentity), p.resources())),
                        request.labels(), request.progress(), request.journal());
                default -> request;
            };
        }

        private io.cairn.api.operation.FoundBackup broken(io.cairn.api.operation.FoundBackup found) {
            Map<String, String> labels = defect == Defect.INVENTORY_LOSES_LABELS ? Map.of() : found.labels();
            Optional<VolumeSnapshot> snapshot = found.snapshot();
            if (defect == Defect.INVENTORY_ADOPTS_BY_NAME) {
                // The defect: any snapshot of the recorded name, read back from the manifest, is handed back.
                try {
                    List<String> lines = Files.readAllLines(store.resolve("backups").resolve(found.id().value() + ".manifest"));
                    String name = lines.stream().filter(l -> l.startsWith("snapshot ")).map(l -> l.substring(9))
                            .findFirst().orElseThrow();
                    String identity = lines.stream().filter(l -> l.startsWith("snapshot_identity "))
                            .map(l -> l.substring(18)).findFirst().orElseThrow();
                    snapshot = Optional.of(new VolumeSnapshot(found.id(), found.volume(), name, found.sizeBytes(),
                            found.createdAt(), identity));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new io.cairn.api.operation.FoundBackup(found.id(), found.volume(), found.kind(), found.parent(),
                    found.createdAt(), found.finishedAt(), found.sizeBytes(), labels, found.metadata(), snapshot,
                    found.resources(), found.state(), found.origin(), found.notes());
        }

        private static VolumeSnapshot withoutIdentity(VolumeSnapshot snapshot) {
            return new VolumeSnapshot(snapshot.backupId(), snapshot.volume(), snapshot.name(), snapshot.sizeBytes(),
                    snapshot.createdAt());
        }

        private static void corruptOneByte(Path file) {
            try {
                byte[] data = Files.readAllBytes(file);
                data[data.length / 2] ^= 1;
                Files.write(file, data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
