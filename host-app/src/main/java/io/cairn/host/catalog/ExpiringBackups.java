package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backups in their grace period (table {@code expiring_backups}, status {@code expiring}). Each change
 * moves the backup's status and its row together, in one transaction, and only from the status expected
 * (compare-and-set), so two processes cannot both expire, undelete or purge one backup.
 */
public final class ExpiringBackups {

    private final CatalogDatabase database;

    public ExpiringBackups(CatalogDatabase database) {
        this.database = database;
    }

    /**
     * Moves a stored backup to {@code expiring} until {@code expiry.expiresAt()}.
     *
     * @return false when its status was no longer {@code expiry.statusBefore()} (another process moved it)
     */
    public boolean expire(Expiry expiry) {
        return transaction("mark backup " + expiry.backupId() + " expiring", connection -> {
            if (!setStatus(connection, expiry.backupId(), expiry.statusBefore(), BackupStatus.EXPIRING)) {
                return false;
            }
            insert(connection, expiry);
            return true;
        });
    }

    /** Records an expiry of a backup already {@code expiring}: a copy of another catalog's row. */
    void copy(Expiry expiry) {
        database.run("copy the expiry of backup " + expiry.backupId(), connection -> {
            insert(connection, expiry);
            return null;
        });
    }

    /**
     * Brings an expiring backup back to the status it had.
     *
     * @return the status it has again, or empty when it was not expiring (any more)
     */
    public Optional<BackupStatus> undelete(BackupId backup) {
        return transaction("undelete backup " + backup, connection -> {
            Optional<Expiry> expiry = find(connection, backup);
            if (expiry.isEmpty() || !setStatus(connection, backup, BackupStatus.EXPIRING, expiry.get().statusBefore())) {
                return Optional.<BackupStatus>empty();
            }
            forget(connection, backup);
            return Optional.of(expiry.get().statusBefore());
        });
    }

    /**
     * Moves an expiring backup on to {@code deleting}, to be purged through the backend.
     *
     * @return false when it was not expiring any more
     */
    public boolean startPurge(BackupId backup) {
        return transaction("purge backup " + backup, connection -> {
            if (!setStatus(connection, backup, BackupStatus.EXPIRING, BackupStatus.DELETING)) {
                return false;
            }
            forget(connection, backup);
            return true;
        });
    }

    public Optional<Expiry> find(BackupId backup) {
        return database.run("read the expiry of backup " + backup, connection -> find(connection, backup));
    }

    /** Every expiring backup, soonest expiry first. */
    public List<Expiry> all() {
        return database.run("list expiring backups", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, status_before,"
                    + " deleted_at, expires_at, deleted_by FROM expiring_backups ORDER BY expires_at, backup_id")) {
                List<Expiry> expiring = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        expiring.add(read(rows));
                    }
                }
                return expiring;
            }
        });
    }

    /** The expiring backups whose grace has passed at {@code now}. */
    public List<Expiry> due(Instant now) {
        return all().stream().filter(expiry -> expiry.due(now)).toList();
    }

    private void insert(Connection connection, Expiry expiry) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO expiring_backups"
                + " (backup_id, status_before, deleted_at, expires_at, deleted_by) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, expiry.backupId().value());
            statement.setString(2, expiry.statusBefore().label());
            CatalogTimes.bind(database, statement, 3, expiry.deletedAt());
            CatalogTimes.bind(database, statement, 4, expiry.expiresAt());
            statement.setString(5, expiry.deletedBy());
            statement.executeUpdate();
        }
    }

    private Optional<Expiry> find(Connection connection, BackupId backup) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT backup_id, status_before, deleted_at,"
                + " expires_at, deleted_by FROM expiring_backups WHERE backup_id = ?")) {
            statement.setString(1, backup.value());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private Expiry read(ResultSet row) throws SQLException {
        return new Expiry(new BackupId(row.getString("backup_id")), BackupStatus.fromLabel(row.getString("status_before")),
                CatalogTimes.read(database, row, "deleted_at"), CatalogTimes.read(database, row, "expires_at"),
                row.getString("deleted_by"));
    }

    private static boolean setStatus(Connection connection, BackupId backup, BackupStatus expected, BackupStatus next)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE backups SET status = ? WHERE id = ? AND status = ?")) {
            statement.setString(1, next.label());
            statement.setString(2, backup.value());
            statement.setString(3, expected.label());
            return statement.executeUpdate() == 1;
        }
    }

    private static void forget(Connection connection, BackupId backup) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM expiring_backups WHERE backup_id = ?")) {
            statement.setString(1, backup.value());
            statement.executeUpdate();
        }
    }

    private <T> T transaction(String what, CatalogDatabase.SqlWork<T> work) {
        return database.transaction(what, work);
    }
}
