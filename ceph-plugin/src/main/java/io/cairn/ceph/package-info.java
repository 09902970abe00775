/**
 * The Ceph RBD backend as the host sees it: {@link io.cairn.ceph.CephBackendDescriptor} (the PF4J
 * extension: id, options, capabilities, volume naming), {@link io.cairn.ceph.CephOptions} and
 * {@link io.cairn.ceph.CephSettings} (one cluster file's options, typed), and
 * {@link io.cairn.ceph.CephSession}, which connects both sides of a cluster and wires the verbs.
 *
 * <p>Below it, one package per concern:
 * <ul>
 *   <li>{@code ops} - the verbs, one class per operation of the plugin API;</li>
 *   <li>{@code store} - what Cairn keeps in the backup pool, its names and how a backup is found again;</li>
 *   <li>{@code cluster} - reaching the clusters, opening volumes and images, and translating their errors;</li>
 *   <li>{@code copy} - moving blocks (the native engine, and the {@code rbd} CLI pipe);</li>
 *   <li>{@code digest} - the SHA-256 digests a backup records and verify checks;</li>
 *   <li>{@code file} - files and block devices as sources and restore targets;</li>
 *   <li>{@code rbd} - librados and librbd through JNA, every call bounded by a watchdog.</li>
 * </ul>
 */
package io.cairn.ceph;
