package io.cairn.host.testbackend;

import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Removes a stored copy; one already gone counts as deleted. */
final class DirectoryDeletions implements DeleteOperation {

    private final DirectoryLayout layout;

    DirectoryDeletions(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        Path stored = layout.backupDir().resolve("store").resolve(request.backup().metadata().get("file").orElse("?"));
        try {
            if (Files.deleteIfExists(stored)) {
                return new DeleteResult(List.of("file " + stored), List.of());
            }
            return new DeleteResult(List.of(), List.of(stored + " was already gone"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
