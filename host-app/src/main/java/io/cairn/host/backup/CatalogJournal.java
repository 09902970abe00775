package io.cairn.host.backup;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.ResourceJournal;
import io.cairn.host.catalog.BackupCatalog;
import java.time.Clock;

/**
 * The resource journal a transfer writes through: each call is in the catalog when it returns
 * (write-ahead), so that whenever the process dies the catalog names everything the backup may have
 * left, and the clean-up removes exactly that. A call that cannot be stored throws, and the backend
 * then creates nothing.
 */
final class CatalogJournal implements ResourceJournal {

    private final BackupCatalog catalog;
    private final BackupId backup;
    private final Clock clock;

    CatalogJournal(BackupCatalog catalog, BackupId backup, Clock clock) {
        this.catalog = catalog;
        this.backup = backup;
        this.clock = clock;
    }

    @Override
    public void record(StoredResource resource) {
        catalog.recordResource(backup, resource, clock.instant());
    }
}
