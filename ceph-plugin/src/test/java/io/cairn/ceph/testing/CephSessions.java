package io.cairn.ceph.testing;

import io.cairn.api.BackendSession;
import io.cairn.ceph.CephBackendDescriptor;
import io.cairn.devtools.ceph.TestCluster;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens Ceph backend sessions on a test cluster the way the host does: options validated against the
 * descriptor's declarations, then {@code open}.
 */
public final class CephSessions {

    private CephSessions() {
    }

    /** A session whose source and backup sides are both {@code cluster}, pool {@code backups}. */
    public static BackendSession open(TestCluster cluster, Map<String, Object> overrides) {
        Map<String, Object> options = new HashMap<>();
        options.put("conf", cluster.conf().toString());
        options.put("user", "admin");
        options.put("pool", "backups");
        options.putAll(overrides);
        CephBackendDescriptor descriptor = new CephBackendDescriptor();
        return descriptor.open("test-" + cluster.name(), descriptor.options().validate(options));
    }

    public static BackendSession open(TestCluster cluster) {
        return open(cluster, Map.of());
    }
}
