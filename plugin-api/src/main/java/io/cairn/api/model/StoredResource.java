package io.cairn.api.model;

import java.util.Objects;

/**
 * One thing a backend created in storage for one backup (a base image, a snapshot on it, a metadata
 * object), as the host records it in its catalog.
 *
 * <p>The record is what makes a backup's storage Cairn's: the host hands it back on delete and on
 * clean-up after a crash, and a backend removes what is recorded, never what merely matches a name
 * pattern. {@link #identity()} tells the recorded object apart from another one created later under
 * the same name (for Ceph the image id or the snapshot id); an object whose identity differs is not
 * this backup's and must be left alone.
 *
 * @param kind     what it is, in the backend's words ({@code base-image}, {@code base-snapshot},
 *                 {@code metadata-object}); lowercase letters, digits and {@code -}
 * @param name     where it is, complete enough to find it again ({@code backups/db1.backup.<id>})
 * @param identity the backend's identity of the object once it exists; empty while it is only
 *                 about to be created (see {@link io.cairn.api.operation.ResourceJournal})
 */
public record StoredResource(String kind, String name, String identity) {

    public StoredResource {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(identity, "identity is null");
        if (!kind.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("resource kind '" + kind + "' must be 1-64 lowercase letters, digits or '-'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("resource name is empty");
        }
    }

    /** A resource about to be created: its identity is not known yet. */
    public static StoredResource intended(String kind, String name) {
        return new StoredResource(kind, name, "");
    }

    /** The same resource once it exists, with the identity the backend read back. */
    public StoredResource withIdentity(String newIdentity) {
        return new StoredResource(kind, name, newIdentity);
    }

    /** Whether the identity is known (the resource was seen to exist). */
    public boolean hasIdentity() {
        return !identity.isEmpty();
    }

    @Override
    public String toString() {
        return kind + " " + name + (identity.isEmpty() ? "" : " (id " + identity + ")");
    }
}
