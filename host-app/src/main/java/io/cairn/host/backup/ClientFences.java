package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.operation.ClientFencing;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fences the backend client of a process the host takes over from (one that died, or froze and let its
 * lease expire), before cleaning up after it: its locks and watches then go at once instead of when
 * storage notices on its own, and a frozen process that wakes up can no longer write. For backends
 * without {@link ClientFencing} this does nothing, and the clean-up waits as before.
 */
final class ClientFences {

    /** Long enough for any process fenced to be gone for good; storage forgets the fence afterwards. */
    static final Duration FENCE_FOR = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(ClientFences.class);

    private ClientFences() {
    }

    /** This session's client, to record with a lease or a restore; empty when the backend cannot fence. */
    static Optional<String> clientOf(BackendSession session) {
        try {
            return session.fencing().map(ClientFencing::clientIdentity).filter(identity -> !identity.isBlank());
        } catch (RuntimeException e) {
            LOG.warn("cannot read this session's client identity ({}); a process taking over from this one will"
                    + " not be able to fence it", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Fences {@code client}, the client of {@code whom}, unless it is this session's own.
     *
     * @return one line for the operator: what was fenced, or why not
     */
    static Optional<String> fence(BackendSession session, String client, String whom) {
        Optional<ClientFencing> fencing = session.fencing();
        if (fencing.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (client.equals(fencing.get().clientIdentity())) {
                return Optional.empty();
            }
            String done = fencing.get().fence(client, FENCE_FOR);
            if (done.isEmpty()) {
                return Optional.of("could not fence the client of " + whom + " (" + client + "): not reachable"
                        + " through this cluster file");
            }
            LOG.info("fenced the client of {}: {}", whom, done);
            return Optional.of("fenced the client of " + whom + ": " + done);
        } catch (RuntimeException e) {
            LOG.warn("cannot fence the client of {} ({}): {}", whom, client, e.getMessage());
            return Optional.of("could not fence the client of " + whom + " (" + client + "): " + e.getMessage()
                    + "; clean-up waits until storage frees what it held");
        }
    }
}
