package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One restore as the catalog remembers it. While it runs it is also a lease on its backup: a backup
 * with a running restore whose holder is alive is not deleted or pruned.
 *
 * @param id           the restore's id
 * @param backup       the backup restored
 * @param cluster      the cluster it was restored on
 * @param target       the volume or file written
 * @param status       where it is
 * @param holder       the process restoring ({@code host/pid#nonce})
 * @param client       the backend client it worked through, to fence it once it is dead
 * @param startedAt    when it started
 * @param expiresAt    until when a running restore's lease holds unless renewed
 * @param finishedAt   when it ended
 * @param bytesWritten bytes written to the target, once finished
 * @param errorReason  why it failed or was interrupted
 */
public record RestoreRecord(String id, BackupId backup, String cluster, VolumeRef target, Status status, String holder,
        Optional<String> client, Instant startedAt, Instant expiresAt, Optional<Instant> finishedAt, long bytesWritten,
        Optional<String> errorReason) {

    /** Where a restore is in its life. */
    public enum Status {
        /** Writing the target (or its process died, until someone notices). */
        RUNNING,
        /** Every byte written; the target equals the backup. */
        FINISHED,
        /** Refused or failed; the backend checks before the first write, so a refused target is untouched. */
        FAILED,
        /** Its process died while it ran: the target may hold a mix, and the backend marked it incomplete. */
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public RestoreRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(backup, "backup is null");
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(holder, "holder is null");
        Objects.requireNonNull(client, "client is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(expiresAt, "expiresAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        Objects.requireNonNull(errorReason, "errorReason is null");
    }

    /** {@code restore 1a2b... of backup 3c4d... into volumes/db1-restored}. */
    public String describe() {
        return "restore " + id + " of backup " + backup + " into " + target;
    }
}
