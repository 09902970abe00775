/**
 * Moving blocks. {@link io.cairn.ceph.copy.ExtentCopier} copies extents from a
 * {@link io.cairn.ceph.copy.BlockSource} to a {@link io.cairn.ceph.copy.BlockSink} with many IOs in
 * flight, skipping zeros, showing every block read to a {@link io.cairn.ceph.copy.ReadObserver} (how the
 * digests are recorded); {@link io.cairn.ceph.copy.MaskedSink} limits its writes to some ranges. The ends
 * live with their storage ({@code rbd.RbdBlocks}, {@code file.FileBlocks}). With {@code transfer: rbd-cli}
 * a backup moves through {@link io.cairn.ceph.copy.RbdCliTransfer} instead: {@code rbd export-diff |
 * rbd import-diff}, the stream's end-snapshot record taken out by {@code DiffWithoutEndSnapshot} (the caller
 * creates the restore point), the key handed over in an {@code InMemoryKeyFile}.
 */
package io.cairn.ceph.copy;
