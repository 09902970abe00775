package io.cairn.api.operation;

import java.util.List;
import java.util.Objects;

/**
 * What a delete removed.
 *
 * @param removed one line per thing removed (for example {@code snapshot backups/vol.backup.x@backup.y.snap.1});
 *                empty when everything was already gone
 * @param notes   things worth telling the operator that were not errors (a base image kept because
 *                other backups still need it, an object that was already missing)
 */
public record DeleteResult(List<String> removed, List<String> notes) {

    public DeleteResult {
        removed = List.copyOf(Objects.requireNonNull(removed, "removed is null"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
    }
}
