package io.cairn.host.metrics;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.HoldState;
import io.cairn.host.catalog.SourceSnapshot;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.plugins.BackendLoader;
import io.cairn.host.plugins.LoadedBackends;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@link CairnMetrics} on a real (H2) catalog and a real, empty plugins directory. */
final class MetricsFixture implements AutoCloseable {

    final CatalogDatabase database;
    final BackupCatalog catalog;
    final HealthCheck health;
    final LoadedBackends backends;
    final CairnMetrics metrics;

    MetricsFixture(Path root) {
        try {
            Files.createDirectories(root.resolve("plugins"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = CatalogDatabase.open(new CatalogSettings("jdbc:h2:file:" + root.resolve("catalog"), Optional.empty(),
                Optional.empty()));
        catalog = new BackupCatalog(database);
        health = new HealthCheck(database::check, Optional::empty, Duration.ofSeconds(5));
        backends = BackendLoader.load(root.resolve("plugins"));
        metrics = new CairnMetrics(catalog, health, () -> backends);
    }

    /** Records an available backup that finished at {@code finished}, as the orchestrator would. */
    BackupRecord availableBackup(String id, String volume, Instant finished) {
        BackupRecord creating = BackupRecord.creating(new BackupId(id), "lab", new VolumeRef(volume), BackupKind.FULL,
                Optional.empty(), Map.of(), "full backup: first", finished.minusSeconds(42));
        catalog.insert(creating);
        SourceSnapshot snapshot = new SourceSnapshot("backup." + id + ".snap.1", "1", 1 << 30, finished.minusSeconds(41),
                HoldState.HELD);
        catalog.recordSnapshot(creating.id(), snapshot);
        BackupRecord done = creating.withSnapshot(snapshot).available(BackupKind.FULL,
                ServiceMetadata.EMPTY, 1 << 30, 1 << 30, 3 << 20, finished);
        catalog.update(done, BackupStatus.CREATING);
        return done;
    }

    /** What GET /metrics shows. */
    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            metrics.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        health.close();
        backends.close();
        database.close();
    }
}
