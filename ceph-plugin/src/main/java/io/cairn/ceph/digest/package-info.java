/**
 * The SHA-256 digests of a backup's chunks: the table ({@link io.cairn.ceph.digest.ChunkDigests}), how large
 * its chunks are ({@link io.cairn.ceph.digest.ChunkSizes}), what a
 * backup must compute ({@link io.cairn.ceph.digest.DigestPlan}), recording them from the blocks a copy
 * reads ({@link io.cairn.ceph.digest.DigestRecorder}) and reading the rest
 * ({@link io.cairn.ceph.digest.ChunkReader}), hashing on every core ({@link io.cairn.ceph.digest.Hashers},
 * native {@link io.cairn.ceph.digest.Sha256}), and what verify samples and reports
 * ({@link io.cairn.ceph.digest.ChunkSample}, {@link io.cairn.ceph.digest.DamageReport}).
 */
package io.cairn.ceph.digest;
