package com.example.cairn;

import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes a backup's copy: the one file named by its own id, unless it is not the file the journal recorded.
 * Works the same for a backup that never finished (no metadata); touches nothing else.
 */
final class ExampleDeletions implements DeleteOperation {

    private final Layout layout;

    ExampleDeletions(Layout layout) {
        this.layout = layout;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        Path file = layout.backup(request.backup().id());
        String name = Layout.backupName(request.backup().id());
        try {
            if (!Files.exists(file)) {
                return new DeleteResult(List.of(), List.of("backup file " + name + " was already gone"));
            }
            String recorded = request.backup().resources().stream().filter(r -> r.name().equals(name))
                    .map(StoredResource::identity).reduce((a, b) -> b).orElse("");
            if (!recorded.isEmpty() && !recorded.equals(Layout.identity(file))) {
                return new DeleteResult(List.of(), List.of(name + " is another file than the one recorded; left alone"));
            }
            Files.delete(file);
            return new DeleteResult(List.of("backup file " + name), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
