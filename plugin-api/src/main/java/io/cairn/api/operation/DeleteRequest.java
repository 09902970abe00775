package io.cairn.api.operation;

import io.cairn.api.model.BackupRef;
import java.util.Objects;

/** Asks to delete {@code backup}. */
public record DeleteRequest(BackupRef backup) {

    public DeleteRequest {
        Objects.requireNonNull(backup, "backup is null");
    }
}
