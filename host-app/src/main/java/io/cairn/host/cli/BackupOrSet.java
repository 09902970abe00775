package io.cairn.host.cli;

import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupNotFoundException;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import java.util.Optional;

/**
 * What an {@code ID} argument of {@code show}, {@code restore} and {@code delete} names: a backup or a backup
 * set, by full id or unique prefix. Backups and sets share one id space (random UUIDs), so a prefix that fits
 * one of each is ambiguous and refused.
 */
record BackupOrSet(Optional<BackupRecord> backup, Optional<BackupSetRecord> set) {

    static BackupOrSet resolve(BackupCatalog backups, BackupSetCatalog sets, String id) {
        Optional<BackupRecord> backup = Optional.empty();
        BackupNotFoundException noBackup = null;
        try {
            backup = Optional.of(backups.resolve(id));
        } catch (BackupNotFoundException e) {
            noBackup = e;
        }
        Optional<BackupSetRecord> set;
        try {
            set = Optional.of(sets.resolve(id));
        } catch (BackupNotFoundException e) {
            set = Optional.empty();
        }
        if (backup.isPresent() && set.isPresent()) {
            throw new BackupNotFoundException("'" + id + "' fits backup " + backup.get().id() + " and backup set "
                    + set.get().id() + "; give more of the id");
        }
        if (backup.isEmpty() && set.isEmpty()) {
            throw noBackup.getMessage().contains("fits") ? noBackup
                    : new BackupNotFoundException("no backup or backup set '" + id + "' in the catalog");
        }
        return new BackupOrSet(backup, set);
    }
}
