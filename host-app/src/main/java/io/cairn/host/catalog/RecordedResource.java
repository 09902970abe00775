package io.cairn.host.catalog;

import io.cairn.api.model.StoredResource;
import java.time.Instant;
import java.util.Objects;

/**
 * One storage object a backend recorded creating for a backup (through the resource journal), as the
 * catalog keeps it.
 *
 * @param resource   kind, name and identity (empty while it was only about to be created)
 * @param state      {@link HoldState#HELD} until the backend's delete of the backup finished
 * @param recordedAt when it was first recorded
 */
public record RecordedResource(StoredResource resource, HoldState state, Instant recordedAt) {

    public RecordedResource {
        Objects.requireNonNull(resource, "resource is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(recordedAt, "recordedAt is null");
    }

    public boolean isHeld() {
        return state == HoldState.HELD;
    }

    @Override
    public String toString() {
        return resource + ", " + state.label();
    }
}
