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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.time.Clock;
import io.cairn.api.operation.VerifyResult;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.catalog.VerifyRecord;
import java.util.Optional;

/** {@link CairnMetrics} on a real catalog (H2 unless told) and a real, empty plugins directory. */
final class MetricsFixture implements AutoCloseable {

    final CatalogDatabase database;
    final BackupCatalog catalog;
    final HealthCheck health;
    final LoadedBackends backends;
    final RestoreLog restores;
    final VerifyLog verifies;
    final CairnMetrics metrics;

    MetricsFixture(Path root) {
        this(root, Instant.now().minusSeconds(3600));
    }

    /** @param since the metrics count the restores and verifies that ended from then on */
    MetricsFixture(Path root, Instant since) {
        this(root, since, new CatalogSettings("jdbc:h2:file:" + root.resolve("catalog"), Optional.empty(),
                Optional.empty()));
    }

    /** On the catalog {@code settings} open. */
    MetricsFixture(Path root, Instant since, CatalogSettings settings) {
        try {
            Files.createDirectories(root.resolve("plugins"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = CatalogDatabase.open(settings);
        catalog = new BackupCatalog(database);
        health = new HealthCheck(database::check, Optional::empty, Duration.ofSeconds(5));
        backends = BackendLoader.load(root.resolve("plugins"));
        restores = new RestoreLog(database, Duration.ofMinutes(1), Clock.systemUTC(), ProcessIdentity.current());
        verifies = new VerifyLog(database);
        metrics = new CairnMetrics(catalog, new CatalogActivity(restores, verifies, since, Duration.ofSeconds(5)),
                health, () -> backends);
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

    /** Records a verify of a backup, as the verify orchestrator (of any process) would. */
    VerifyRecord verify(BackupRecord backup, VerifyResult.Verdict verdict, boolean complete, Instant finished) {
        List<VerifyResult.DamagedRange> damaged = verdict == VerifyResult.Verdict.CORRUPT
                ? List.of(new VerifyResult.DamagedRange(0, 4096, "differs")) : List.of();
        VerifyRecord record = new VerifyRecord(UUID.randomUUID().toString(), backup.id(), finished.minusSeconds(2),
                finished, verdict, complete ? 100 : 10, complete, false, 1 << 30, complete ? 1 << 30 : 1 << 20,
                1 << 20, damaged, List.of(), "test/1");
        verifies.record(record);
        return record;
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
        restores.close();
        health.close();
        backends.close();
        database.close();
    }
}
