package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfiguredCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open backend session per cluster, opened on first use - or ahead of it, for a command that knows which
 * cluster it needs - and closed together.
 */
public final class ClusterSessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSessions.class);

    private final Map<String, BackendSession> open = new LinkedHashMap<>();
    /** One lock per cluster: connecting to one cluster (bounded, but maybe slow) never holds up another. */
    private final Map<String, Object> connecting = new HashMap<>();
    /** Sessions being opened ahead of their first use, by cluster name; guarded by {@code this}. */
    private final Map<String, FutureTask<BackendSession>> ahead = new HashMap<>();

    /**
     * Starts opening the cluster's session on a thread of its own and returns at once, so that what a command does
     * before it needs the session (opening the catalog) overlaps the connection's round trips to the cluster. The
     * next {@link #session} of the cluster waits for this attempt and gets its outcome, failure included: an
     * unreachable cluster costs its bounded timeout once, not twice.
     */
    public void openAhead(ConfiguredCluster cluster) {
        FutureTask<BackendSession> attempt = new FutureTask<>(() -> opened(cluster));
        synchronized (this) {
            if (open.containsKey(cluster.name()) || ahead.containsKey(cluster.name())) {
                return;
            }
            ahead.put(cluster.name(), attempt);
        }
        Thread thread = new Thread(attempt, "cairn-connect-" + cluster.name());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The cluster's session, opened now if needed (or waited for, when it is being opened ahead).
     *
     * @throws io.cairn.host.config.ConfigurationException when the backend finds the options do not
     *         work together (named by cluster file and key)
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    public BackendSession session(ConfiguredCluster cluster) {
        FutureTask<BackendSession> attempt;
        synchronized (this) {
            attempt = ahead.remove(cluster.name());
        }
        return attempt == null ? opened(cluster) : outcome(cluster.name(), attempt);
    }

    /**
     * What an attempt to open ahead came to. The wait is as bounded as the connection itself: the backend bounds
     * its connecting, as it does on the caller's own thread.
     */
    private static BackendSession outcome(String cluster, FutureTask<BackendSession> attempt) {
        try {
            return attempt.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to cluster " + cluster, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("connecting to cluster " + cluster + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** The cluster's session from the cache, or opened now on this thread, one opening per cluster at a time. */
    private BackendSession opened(ConfiguredCluster cluster) {
        Object lock;
        synchronized (this) {
            BackendSession session = open.get(cluster.name());
            if (session != null) {
                return session;
            }
            lock = connecting.computeIfAbsent(cluster.name(), name -> new Object());
        }
        synchronized (lock) {
            synchronized (this) {
                BackendSession session = open.get(cluster.name());
                if (session != null) {
                    return session;
                }
            }
            LOG.info("opening cluster {} with backend {} {}", cluster.name(), cluster.backend().backendId(),
                    cluster.options());
            BackendSession session;
            try {
                session = open(cluster);
            } catch (InvalidConfigurationException e) {
                throw ConfigurationException.inClusterFile(cluster.file(), e);
            }
            LOG.info("cluster {}: {}", cluster.name(), session.describe());
            synchronized (this) {
                open.put(cluster.name(), session);
            }
            return session;
        }
    }

    /**
     * Opens a session that the caller closes, bypassing the cache: for checks such as "is it
     * reachable" that should not hold a connection.
     */
    public static BackendSession open(ConfiguredCluster cluster) {
        // Backends load classes (and native libraries) through their own class loader; make it the
        // context class loader for the call, as libraries such as JNA and Jackson look there.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(cluster.backend().descriptor().getClass().getClassLoader());
        try {
            return cluster.backend().descriptor().open(cluster.name(), cluster.options());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        List<FutureTask<BackendSession>> attempts;
        synchronized (this) {
            attempts = new ArrayList<>(ahead.values());
            ahead.clear();
        }
        // A session opened ahead that the command never asked for (it failed first) is closed with the others: its
        // attempt is waited for, bounded as every connection is, so that nothing of the command outlives it.
        for (FutureTask<BackendSession> attempt : attempts) {
            try {
                attempt.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("the session opened ahead failed and was not needed: {}", e.getCause().getMessage());
            }
        }
        closeOpen();
    }

    private synchronized void closeOpen() {
        for (Map.Entry<String, BackendSession> entry : open.entrySet()) {
            try {
                entry.getValue().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the session of cluster {} failed: {}", entry.getKey(), e.getMessage());
            }
        }
        open.clear();
    }
}
