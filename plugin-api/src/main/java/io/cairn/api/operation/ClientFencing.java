package io.cairn.api.operation;

import java.time.Duration;

/**
 * Cuts a client off from storage, so that a process the host takes over from - dead, or frozen with
 * its lease expired - can neither hold locks and watches any longer nor write once it wakes up.
 *
 * <p>The host records {@link #clientIdentity()} of the session that works on a volume in the volume's
 * lease. When it later takes that lease over from a holder that died or let it expire, it calls
 * {@link #fence} with the recorded identity before it cleans up after it: without fencing, storage such
 * a client had open stays busy until the storage notices on its own (for Ceph, the OSDs' watch timeout,
 * about 30 s), and a frozen client that resumes could write over the clean-up. Fencing the identity of
 * a process that is really gone harms nothing.
 *
 * <p>Optional: a session offers it through {@link io.cairn.api.BackendSession#fencing()}; the default
 * offers none, and the host then simply waits for the storage to free what the dead client held.
 *
 * @since plugin API 1.1
 */
public interface ClientFencing {

    /**
     * This session's identity as storage knows its clients, complete enough for {@link #fence} to cut it
     * off from another process later (for Ceph: each connected cluster's fsid and this client's
     * address). Opaque to the host, which stores it and hands it back; at most 1000 characters.
     */
    String clientIdentity();

    /**
     * Cuts off the client {@code clientIdentity} names (an identity another session of this backend
     * returned, possibly in another process), for at least {@code duration}. Returns once storage
     * refuses that client, within the session's configured timeout. Fencing a client that is already
     * fenced, or gone, succeeds. This session's own identity is never fenced.
     *
     * @return what was done, one line for the log ({@code "blocklisted 10.0.0.5:0/3327117 on cluster
     *         <fsid> for 3600 s"}); empty when the identity names nothing this session can reach
     * @throws io.cairn.api.error.BackendException when storage refused or did not answer in time
     */
    String fence(String clientIdentity, Duration duration);
}
