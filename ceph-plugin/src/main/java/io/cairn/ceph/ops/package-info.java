/**
 * The verbs: one public class per operation of the plugin API, each built by
 * {@link io.cairn.ceph.CephSession} with the session's {@link io.cairn.ceph.cluster.CephConnections} and
 * {@link io.cairn.ceph.cluster.CephErrors}.
 *
 * <ul>
 *   <li>{@link io.cairn.ceph.ops.CephSnapshots} - source snapshots (and existing ones backed up);</li>
 *   <li>{@link io.cairn.ceph.ops.CephGroupSnapshots} - RBD group snapshots for backup sets;</li>
 *   <li>{@link io.cairn.ceph.ops.CephTransfer} - a snapshot stored into a base image: full or incremental,
 *       with its metadata and digests objects;</li>
 *   <li>{@link io.cairn.ceph.ops.CephRestore} - a restore point into an image or a file;</li>
 *   <li>{@link io.cairn.ceph.ops.CephDelete} - a backup's storage removed, and only its own;</li>
 *   <li>{@link io.cairn.ceph.ops.CephVerify} and {@link io.cairn.ceph.ops.CephInventory} - checking a
 *       backup against its digests, and finding every backup in the pool;</li>
 *   <li>{@link io.cairn.ceph.ops.CephVolumeListing}, {@link io.cairn.ceph.ops.CephAccessCheck},
 *       {@link io.cairn.ceph.ops.CephFencing} - listing volumes, checking the users' rights, blocklisting a
 *       dead holder's client.</li>
 * </ul>
 * The package-private rest belongs to one verb each: {@code TransferDigests} and {@code Rollback} to the
 * transfer, {@code RestoreTargetGuard} to the restore.
 */
package io.cairn.ceph.ops;
