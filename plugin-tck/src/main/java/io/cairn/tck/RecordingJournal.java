package io.cairn.tck;

import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.ResourceJournal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's write-ahead journal as the kit keeps it: every record, checked against backup storage at
 * the moment it is made (an object about to be created must not exist yet; one recorded with its
 * identity must exist), and optionally refusing the {@code failAt}-th call as a host that lost its
 * catalog would.
 */
final class RecordingJournal implements ResourceJournal {

    private final BackendFixture fixture;
    private final int failAt;
    private final Map<String, StoredResource> records = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int calls;
    private StoredResource refused;

    /** @param failAt the call to refuse, counting from 1; 0 refuses none */
    RecordingJournal(BackendFixture fixture, int failAt) {
        this.fixture = fixture;
        this.failAt = failAt;
    }

    @Override
    public synchronized void record(StoredResource resource) {
        calls++;
        if (calls == failAt) {
            refused = resource;
            throw new JournalFailure(resource, calls);
        }
        Set<String> storage = fixture.storageObjects();
        if (!resource.hasIdentity() && storage.contains(resource.name())) {
            violations.add(resource + " was recorded as about to be created, but it exists already: a resource is"
                    + " journaled before it is created");
        }
        if (resource.hasIdentity() && !storage.contains(resource.name())) {
            violations.add(resource + " was recorded with its identity, but is not in backup storage: the identity is"
                    + " recorded once the resource exists");
        }
        // A second record of the same resource adds its identity (ResourceJournal's contract).
        records.put(resource.kind() + " " + resource.name(), resource);
    }

    /** What was recorded, in the order first recorded, each with its latest identity. */
    synchronized List<StoredResource> resources() {
        return List.copyOf(records.values());
    }

    synchronized boolean recorded(String name) {
        return records.values().stream().anyMatch(r -> r.name().equals(name));
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized int calls() {
        return calls;
    }

    /** The resource whose record was refused, when one was. */
    synchronized Optional<StoredResource> refused() {
        return Optional.ofNullable(refused);
    }
}
