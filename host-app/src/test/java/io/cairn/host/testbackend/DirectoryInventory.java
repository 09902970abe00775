package io.cairn.host.testbackend;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every stored copy that has a description beside it; a copy without one is noted. */
final class DirectoryInventory implements InventoryOperation {

    private final DirectoryLayout layout;

    DirectoryInventory(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public Inventory list() {
        List<FoundBackup> found = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Path store = layout.backupDir().resolve("store");
        try (Stream<Path> files = Files.list(store)) {
            for (Path copy : files.filter(f -> f.toString().endsWith(".img")).sorted().toList()) {
                String name = copy.getFileName().toString();
                BackupId id = new BackupId(name.substring(0, name.length() - 4));
                Path description = layout.description(id);
                if (!Files.isRegularFile(description)) {
                    notes.add(copy + " has no description; not imported");
                    continue;
                }
                found.add(describe(id, copy, description));
            }
        } catch (NoSuchFileException e) {
            return new Inventory(List.of(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(FoundBackup::createdAt).thenComparing(b -> b.id().value()));
        return new Inventory(found, notes);
    }

    private FoundBackup describe(BackupId id, Path copy, Path file) throws IOException {
        Properties description = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            description.load(in);
        }
        VolumeRef volume = new VolumeRef(description.getProperty("volume"));
        Instant created = Instant.parse(description.getProperty("created_at"));
        Map<String, String> labels = new TreeMap<>();
        for (String key : description.stringPropertyNames()) {
            if (key.startsWith("label.")) {
                labels.put(key.substring(6), description.getProperty(key));
            }
        }
        Optional<BackupId> parent = Optional.ofNullable(description.getProperty("parent")).map(BackupId::new);
        String snapshotName = description.getProperty("snapshot", "");
        String snapshotIdentity = description.getProperty("snapshot_identity", "");
        Optional<VolumeSnapshot> snapshot = Optional.empty();
        if (!snapshotName.isEmpty() && !snapshotIdentity.isEmpty() && snapshotIdentity.equals(DirectoryLayout.identity(
                layout.snapshotsOf(volume).resolve(snapshotName)))) {
            snapshot = Optional.of(new VolumeSnapshot(id, volume, snapshotName,
                    Long.parseLong(description.getProperty("size_bytes")), created, snapshotIdentity));
        }
        List<StoredResource> resources = new ArrayList<>();
        resources.add(resource(DirectoryTransfers.STORED_COPY, copy));
        if (Files.exists(layout.digests(id))) {
            resources.add(resource(DirectoryTransfers.DIGESTS, layout.digests(id)));
        }
        resources.add(resource(DirectoryTransfers.DESCRIPTION, file));
        return new FoundBackup(id, volume, parent.isPresent() ? BackupKind.INCREMENTAL : BackupKind.FULL, parent, created,
                Optional.of(Files.getLastModifiedTime(copy).toInstant()), Long.parseLong(description.getProperty("size_bytes")),
                labels, ServiceMetadata.of(DirectoryTransfers.FILE, copy.getFileName().toString()), snapshot, resources,
                FoundBackup.State.RESTORABLE, "", List.of());
    }

    private static StoredResource resource(String kind, Path file) {
        return new StoredResource(kind, file.toString(), DirectoryLayout.identity(file));
    }
}
