package com.example.cairn;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a snapshot into {@code backups/<id>.img}. The copy is journaled before it is made and again with
 * its identity once it exists; on failure it is removed again.
 */
final class ExampleTransfers implements TransferOperation {

    private final Layout layout;

    ExampleTransfers(Layout layout) {
        this.layout = layout;
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        if (request.parent().isPresent()) {
            throw new BackendException("the example backend makes full backups only (it declares no INCREMENTAL)");
        }
        VolumeSnapshot snapshot = request.snapshot();
        Path target = layout.backup(snapshot.backupId());
        StoredResource copy = StoredResource.intended("backup-file", Layout.backupName(snapshot.backupId()));
        request.journal().record(copy);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(layout.snapshot(snapshot.volume(), snapshot.name()), target);
            request.journal().record(copy.withIdentity(Layout.identity(target)));
            request.progress().onProgress(snapshot.sizeBytes(), snapshot.sizeBytes());
            return new TransferResult(BackupKind.FULL, ServiceMetadata.of("file", Layout.backupName(snapshot.backupId())),
                    snapshot.sizeBytes(), snapshot.sizeBytes(), snapshot.sizeBytes());
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(target); // roll back what this transfer created
            } catch (IOException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("backup of " + snapshot.volume() + " failed: " + e.getMessage(), (IOException) e);
        }
    }
}
