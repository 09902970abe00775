package io.cairn.host.testbackend;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a backup's stored copy - the one named by its own id, {@code store/<id>.img} - and nothing
 * else. Its metadata is not trusted to say which file that is: a backup that never finished may be
 * handed over with empty metadata (or, by an older host, another backup's); a file of another name is
 * left alone with a note. When the copy was recorded with an identity and the file there now has
 * another, it is someone else's and stays. One already gone counts as deleted. Source snapshots are
 * the host's.
 */
final class DirectoryDeletions implements DeleteOperation {

    private final DirectoryLayout layout;

    DirectoryDeletions(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        BackupRef backup = request.backup();
        Path stored = layout.stored(backup.id());
        DirectoryLayout.pause(layout.deletePause());
        if (layout.failDeletes()) {
            throw new BackendException("delete of backup " + backup.id() + ": storage " + layout.backupDir()
                    + " does not answer (fail_deletes)");
        }
        List<String> notes = new ArrayList<>();
        backup.metadata().get(DirectoryTransfers.FILE)
                .filter(file -> !file.equals(stored.getFileName().toString()))
                .ifPresent(file -> notes.add("metadata names " + file + ", which is not backup " + backup.id()
                        + "'s stored copy; left alone"));
        for (StoredResource resource : backup.resources()) {
            if (resource.kind().equals(DirectoryTransfers.STORED_COPY) && resource.name().equals(stored.toString())
                    && resource.hasIdentity() && Files.exists(stored)
                    && !resource.identity().equals(DirectoryLayout.identity(stored))) {
                notes.add(stored + " is not the file recorded for backup " + backup.id() + "; left alone");
                return new DeleteResult(List.of(), notes);
            }
        }
        try {
            if (Files.deleteIfExists(stored)) {
                return new DeleteResult(List.of("file " + stored), notes);
            }
            notes.add(stored + " was already gone");
            return new DeleteResult(List.of(), notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
