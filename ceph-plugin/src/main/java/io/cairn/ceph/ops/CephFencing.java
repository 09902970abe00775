package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.operation.ClientFencing;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.ClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fences the clients of a Ceph session by blocklisting them ({@code ceph osd blocklist add}, as
 * {@code rbd lock break} does): the OSDs drop their watches and refuse their IO at once, so the images a
 * dead or frozen process had open are free for the clean-up, and a frozen one cannot write when it wakes.
 *
 * <p>A session's identity names each cluster it is connected to and its client there:
 * {@code <fsid>=<address>}, separated by a space when the source side is another cluster. Fencing
 * blocklists each address on the cluster of its fsid, through this session's connection to that cluster;
 * an fsid this session is not connected to is skipped. Needs the monitor cap to blocklist (Ceph's
 * {@code profile rbd} grants it). Each monitor command is bounded by the cluster's {@code timeout}.
 */
public final class CephFencing implements ClientFencing {

    private final CephConnections connections;

    public CephFencing(CephConnections connections) {
        this.connections = connections;
    }

    @Override
    public String clientIdentity() {
        List<String> parts = new ArrayList<>();
        sides().forEach((fsid, connection) -> parts.add(fsid + "=" + connection.clientAddress()));
        return String.join(" ", parts);
    }

    @Override
    public String fence(String clientIdentity, Duration duration) {
        Map<String, ClusterConnection> sides = sides();
        List<String> done = new ArrayList<>();
        for (String part : clientIdentity.trim().split("\\s+")) {
            int equals = part.indexOf('=');
            if (equals <= 0 || equals == part.length() - 1) {
                throw new BackendException("client identity '" + clientIdentity + "' is not <fsid>=<address>");
            }
            String fsid = part.substring(0, equals);
            String address = part.substring(equals + 1);
            ClusterConnection connection = sides.get(fsid);
            if (connection == null || address.equals(connection.clientAddress())) {
                continue; // a cluster this session does not reach, or this session itself
            }
            connection.blocklist(address, duration);
            done.add("blocklisted " + address + " on cluster " + fsid + " for " + Math.max(1, duration.toSeconds())
                    + " s");
        }
        return String.join(", ", done);
    }

    /** The clusters this session is connected to, by fsid: the backup side, and the source side if another. */
    private Map<String, ClusterConnection> sides() {
        Map<String, ClusterConnection> sides = new LinkedHashMap<>();
        sides.put(connections.backup().fsid(), connections.backup());
        sides.putIfAbsent(connections.source().fsid(), connections.source());
        return sides;
    }
}
