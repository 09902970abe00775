package io.cairn.api.operation;

import io.cairn.api.model.StoredResource;

/**
 * Where a transfer records what it creates, before it creates it: the host's write-ahead log of a
 * backup's storage.
 *
 * <p>A backend calls {@link #record} with {@link StoredResource#intended} just before it creates an
 * object, and again with the object's identity once it exists. The host has stored each call in its
 * catalog when the call returns, so whenever the process dies, the catalog names everything the
 * backup may have left behind, and the clean-up that follows removes exactly that
 * ({@link DeleteOperation}). Recording a resource of the same kind and name again replaces the
 * earlier record (it adds the identity).
 *
 * <p>Added in plugin API 1.1. A backend built against 1.0 never calls it; the host then knows of its
 * storage only what the transfer's result says.
 */
@FunctionalInterface
public interface ResourceJournal {

    /** Records nothing: for callers that keep no catalog (tests, tools). */
    ResourceJournal NONE = resource -> { };

    /**
     * Records a resource; returns once it is stored.
     *
     * @throws RuntimeException when the host cannot store it; the backend must then not create the
     *         resource, and fails the transfer with this exception
     */
    void record(StoredResource resource);
}
