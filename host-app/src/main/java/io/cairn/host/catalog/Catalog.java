package io.cairn.host.catalog;

import java.util.Objects;

/**
 * The catalog as the host uses it: its database and what reads and writes it. Closing it stops the
 * lease renewals (volumes and restores), then closes the connection pool.
 *
 * @param database the database (also the scheduler's job store)
 * @param backups  every backup made or tried
 * @param leases   the per-volume locks
 * @param runLog   the firings of schedules
 * @param restores the restores, running (each a lease on its backup) and ended
 */
public record Catalog(CatalogDatabase database, BackupCatalog backups, VolumeLeases leases, ScheduleRunLog runLog,
        RestoreLog restores) implements AutoCloseable {

    public Catalog {
        Objects.requireNonNull(database, "database is null");
        Objects.requireNonNull(backups, "backups is null");
        Objects.requireNonNull(leases, "leases is null");
        Objects.requireNonNull(runLog, "runLog is null");
        Objects.requireNonNull(restores, "restores is null");
    }

    @Override
    public void close() {
        leases.close();
        restores.close();
        database.close();
    }
}
