/**
 * Reaching the clusters: {@link io.cairn.ceph.cluster.ConnectionSettings} and
 * {@link io.cairn.ceph.cluster.ClusterConnection} (one librados client as one user, bounded, replaced when
 * blocklisted or stalled); {@link io.cairn.ceph.cluster.CephConnections}, a session's backup and source
 * sides and the pools, volumes ({@link io.cairn.ceph.cluster.RbdVolume}) and backup images opened on
 * them; and {@link io.cairn.ceph.cluster.CephErrors}, the one translation of a failed native call into
 * the plugin API's typed errors.
 */
package io.cairn.ceph.cluster;
