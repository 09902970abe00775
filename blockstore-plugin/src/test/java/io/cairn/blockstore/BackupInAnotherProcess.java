package io.cairn.blockstore;

import io.cairn.api.BackendSession;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * A backup in a process of its own, for {@link CrashDuringBackupTest} to kill: it journals each
 * resource to a file (flushed before it returns, as the host's catalog commits), writes {@code halfway}
 * once a quarter of the volume is read, and from then on goes slowly, so the kill lands mid-transfer.
 *
 * <p>Arguments: volumes_dir store_dir volume journal_file halfway_file
 */
public final class BackupInAnotherProcess {

    private BackupInAnotherProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path journalFile = Path.of(args[3]);
        Path halfway = Path.of(args[4]);
        BlockStoreBackend backend = new BlockStoreBackend();
        try (BackendSession session = backend.open("crash", backend.options().validate(Map.of("volumes_dir", args[0],
                "store_dir", args[1], "chunk_size", "64KiB")))) {
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(args[2])));
            Files.writeString(journalFile, "snapshot " + snapshot.backupId() + " " + snapshot.name() + " " + snapshot.identity()
                    + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            session.transfers().transfer(new TransferRequest(snapshot, Optional.empty(), Map.of(), (done, total) -> {
                if (done * 4 >= total) {
                    try {
                        if (!Files.exists(halfway)) {
                            Files.writeString(halfway, "yes");
                        }
                        Thread.sleep(50);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, resource -> append(journalFile, resource)));
        }
    }

    private static void append(Path journal, StoredResource resource) {
        try {
            Files.writeString(journal, "resource " + resource.kind() + " " + resource.name() + " " + resource.identity() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
