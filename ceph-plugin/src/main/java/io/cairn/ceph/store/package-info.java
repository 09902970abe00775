/**
 * What Cairn keeps in the backup pool, and how a stored backup is found and checked again.
 *
 * <ul>
 *   <li>Names: {@link io.cairn.ceph.store.BackupNames} (base images, snapshots, metadata and digests
 *       objects, as the reference driver names them) and {@link io.cairn.ceph.store.ImageMarks} (the image
 *       metadata that marks a base image, or a restore target half written).</li>
 *   <li>Objects: {@link io.cairn.ceph.store.BaseImages} (created and removed, busy ones retried),
 *       {@link io.cairn.ceph.store.MetadataObjects} with {@link io.cairn.ceph.store.BackupMetadata}, and
 *       {@link io.cairn.ceph.store.DigestObjects}.</li>
 *   <li>Records: {@link io.cairn.ceph.store.CephResources} (what the host's journal records of each object)
 *       and {@link io.cairn.ceph.store.CephServiceMetadata} (what the catalog keeps of a backup).</li>
 *   <li>Lookups: {@link io.cairn.ceph.store.RestorePoint} (where a backup lives, checked against its
 *       records) and {@link io.cairn.ceph.store.ParentChain} (where an incremental diffs from).</li>
 * </ul>
 */
package io.cairn.ceph.store;
