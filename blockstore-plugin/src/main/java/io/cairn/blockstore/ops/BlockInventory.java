package io.cairn.blockstore.ops;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.blockstore.store.Manifest;
import io.cairn.blockstore.store.StoreLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every backup of the store, from its manifests: each names its backup, volume, size, creation time,
 * parent, labels and source snapshot (name and identity). A manifest is written last, so every backup
 * with one is restorable; a staging directory without a manifest is a backup that never finished, and
 * is noted (it names no volume).
 */
public final class BlockInventory implements InventoryOperation {

    private static final String SUFFIX = ".manifest";

    private final StoreContext store;

    public BlockInventory(StoreContext store) {
        this.store = store;
    }

    @Override
    public Inventory list() {
        List<FoundBackup> found = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            for (Path file : files(store.layout().manifests())) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                try {
                    found.add(describe(Manifest.read(file), file));
                } catch (IOException | IllegalArgumentException e) {
                    notes.add("manifest " + file + " cannot be read: " + e.getMessage() + "; not imported");
                }
            }
            for (Path staging : files(store.layout().root().resolve("tmp"))) {
                String id = staging.getFileName().toString();
                if (found.stream().noneMatch(b -> b.id().value().equals(id))) {
                    notes.add("staging directory " + staging + " belongs to a backup that never finished and names no"
                            + " volume; left alone");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("inventory of the block store " + store.layout().root() + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(FoundBackup::createdAt).thenComparing(b -> b.id().value()));
        return new Inventory(found, notes);
    }

    private FoundBackup describe(Manifest manifest, Path file) throws IOException {
        BackupId id = new BackupId(manifest.backupId());
        VolumeRef volume = new VolumeRef(manifest.volume());
        Instant finished = Files.getLastModifiedTime(file).toInstant();
        Optional<VolumeSnapshot> snapshot = Optional.empty();
        if (!manifest.snapshot().isEmpty() && !manifest.snapshotIdentity().isEmpty()) {
            Optional<String> present = store.snapshots().identity(volume, manifest.snapshot());
            if (present.isPresent() && present.get().equals(manifest.snapshotIdentity())) {
                snapshot = Optional.of(new VolumeSnapshot(id, volume, manifest.snapshot(), manifest.sizeBytes(),
                        manifest.createdAt(), manifest.snapshotIdentity()));
            }
        }
        List<StoredResource> resources = List.of(StoredResource.intended(StoreLayout.MANIFEST_KIND,
                StoreLayout.manifestName(id)).withIdentity(BlockTransfer.identity(file)));
        Optional<BackupId> parent = Optional.ofNullable(manifest.parent()).map(BackupId::new);
        return new FoundBackup(id, volume, parent.isPresent() ? BackupKind.INCREMENTAL : BackupKind.FULL, parent,
                manifest.createdAt(), Optional.of(finished), manifest.sizeBytes(), manifest.labels(),
                ServiceMetadata.of("manifest", StoreLayout.manifestName(id)), snapshot, resources,
                FoundBackup.State.RESTORABLE, "", List.of());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
