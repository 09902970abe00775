package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfiguredCluster;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open backend session per cluster, opened on first use and closed together.
 */
public final class ClusterSessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSessions.class);

    private final Map<String, BackendSession> open = new LinkedHashMap<>();
    /** One lock per cluster: connecting to one cluster (bounded, but maybe slow) never holds up another. */
    private final Map<String, Object> connecting = new HashMap<>();

    /**
     * The cluster's session, opened now if needed.
     *
     * @throws io.cairn.host.config.ConfigurationException when the backend finds the options do not
     *         work together (named by cluster file and key)
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    public BackendSession session(ConfiguredCluster cluster) {
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
    public synchronized void close() {
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
