package io.cairn.tck;

import io.cairn.api.model.StoredResource;

/** What the kit's journal throws to interrupt a transfer: the host could not store a record. */
final class JournalFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JournalFailure(StoredResource resource, int call) {
        super("the contract test kit's journal refused call " + call + " (" + resource + "), as a host whose catalog"
                + " went away would", null, false, false);
    }
}
