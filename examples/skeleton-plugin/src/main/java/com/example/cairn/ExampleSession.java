package com.example.cairn;

import io.cairn.api.BackendSession;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;

/** One cluster file's session: one object per verb. */
final class ExampleSession implements BackendSession {

    private final Layout layout;

    ExampleSession(Layout layout) {
        this.layout = layout;
    }

    @Override
    public SnapshotOperation snapshots() {
        return new ExampleSnapshots(layout);
    }

    @Override
    public TransferOperation transfers() {
        return new ExampleTransfers(layout);
    }

    @Override
    public RestoreOperation restores() {
        return new ExampleRestores(layout);
    }

    @Override
    public DeleteOperation deletions() {
        return new ExampleDeletions(layout);
    }

    @Override
    public String describe() {
        return "volumes in " + layout.volumes() + ", backups in " + layout.backups();
    }

    @Override
    public void close() {
    }
}
