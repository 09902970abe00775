package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Which backups {@code cairn catalog rebuild} recorded, and which of them another tool wrote (table {@code imported_backups}). */
public final class ImportLog {

    private final CatalogDatabase database;

    public ImportLog(CatalogDatabase database) {
        this.database = database;
    }

    public void record(ImportedBackup imported) {
        database.run("record the import of backup " + imported.backupId(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO imported_backups"
                    + " (backup_id, imported_at, origin, adopted_at, notes) VALUES (?, ?, ?, ?, ?)")) {
                statement.setString(1, imported.backupId().value());
                CatalogTimes.bind(database, statement, 2, imported.importedAt());
                statement.setString(3, imported.origin());
                CatalogTimes.bind(database, statement, 4, imported.adoptedAt().orElse(null));
                statement.setString(5, JsonColumns.strings(imported.notes()));
                statement.executeUpdate();
            }
            return null;
        });
    }

    public Optional<ImportedBackup> find(BackupId backup) {
        return database.run("read the import of backup " + backup, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, imported_at, origin,"
                    + " adopted_at, notes FROM imported_backups WHERE backup_id = ?")) {
                statement.setString(1, backup.value());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.empty();
                }
            }
        });
    }

    /** Every imported backup, for copying the catalog. */
    java.util.List<ImportedBackup> all() {
        return database.run("list imported backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, imported_at, origin,"
                    + " adopted_at, notes FROM imported_backups ORDER BY imported_at, backup_id")) {
                java.util.List<ImportedBackup> all = new java.util.ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        all.add(read(rows));
                    }
                }
                return all;
            }
        });
    }

    /** Every backup another tool wrote that no operator adopted, by id: those Cairn leaves alone. */
    public Map<BackupId, ImportedBackup> foreign() {
        return database.run("list foreign backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, imported_at, origin,"
                    + " adopted_at, notes FROM imported_backups WHERE origin <> ''")) {
                Map<BackupId, ImportedBackup> foreign = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ImportedBackup imported = read(rows);
                        foreign.put(imported.backupId(), imported);
                    }
                }
                return foreign;
            }
        });
    }

    /**
     * Makes another tool's backup Cairn's to delete and prune.
     *
     * @return false when it is no such backup, or was adopted already
     */
    public boolean adopt(BackupId backup, Instant at) {
        return database.run("adopt backup " + backup, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE imported_backups SET adopted_at = ?"
                    + " WHERE backup_id = ? AND origin <> '' AND adopted_at IS NULL")) {
                CatalogTimes.bind(database, statement, 1, at);
                statement.setString(2, backup.value());
                return statement.executeUpdate() == 1;
            }
        });
    }

    private ImportedBackup read(ResultSet row) throws SQLException {
        return new ImportedBackup(new BackupId(row.getString("backup_id")), CatalogTimes.read(database, row, "imported_at"),
                row.getString("origin"), Optional.ofNullable(CatalogTimes.read(database, row, "adopted_at")),
                JsonColumns.strings(row.getString("notes")));
    }

}
