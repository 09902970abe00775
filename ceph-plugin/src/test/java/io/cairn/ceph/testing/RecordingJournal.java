package io.cairn.ceph.testing;

import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.ResourceJournal;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource journal that keeps what it is told, as the host's catalog does: recording a resource of
 * the same kind and name again replaces the earlier record.
 */
public final class RecordingJournal implements ResourceJournal {

    private final List<StoredResource> resources = new ArrayList<>();

    @Override
    public synchronized void record(StoredResource resource) {
        for (int i = 0; i < resources.size(); i++) {
            StoredResource known = resources.get(i);
            if (known.kind().equals(resource.kind()) && known.name().equals(resource.name())) {
                resources.set(i, resource);
                return;
            }
        }
        resources.add(resource);
    }

    /** Everything recorded, in the order first recorded. */
    public synchronized List<StoredResource> resources() {
        return List.copyOf(resources);
    }
}
