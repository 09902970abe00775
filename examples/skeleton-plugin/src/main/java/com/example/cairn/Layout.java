package com.example.cairn;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where things are: volumes in {@code volumes_dir}; their snapshots in {@code backup_dir/snapshots/} with an
 * identity file beside each; backups in {@code backup_dir/backups/<id>.img}.
 */
record Layout(Path volumes, Path backups) {

    Path volume(VolumeRef volume) {
        String name = volume.locator();
        if (name.contains("/") || name.startsWith(".")) {
            throw new BackendException("volume '" + name + "' is not a file name in " + volumes);
        }
        return volumes.resolve(name);
    }

    Path snapshot(VolumeRef volume, String name) {
        return backups.resolve("snapshots").resolve(volume.locator() + "@" + name);
    }

    Path snapshotIdentity(VolumeRef volume, String name) {
        return backups.resolve("snapshots").resolve(volume.locator() + "@" + name + ".id");
    }

    Path backup(BackupId id) {
        return backups.resolve("backups").resolve(id.value() + ".img");
    }

    /** The name a stored backup file is journaled under. */
    static String backupName(BackupId id) {
        return "backups/" + id.value() + ".img";
    }

    /** A file's identity: its inode, which a later file of the same name does not share. */
    static String identity(Path file) throws IOException {
        return String.valueOf(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    }
}
