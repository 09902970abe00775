/**
 * librados and librbd through JNA ({@link io.cairn.ceph.rbd.LibRados}, {@link io.cairn.ceph.rbd.LibRbd}:
 * only the calls the plugin makes), and the wrappers every call goes through:
 * {@link io.cairn.ceph.rbd.NativeCalls}, the watchdog that bounds each call and IO by the cluster's
 * timeout; {@link io.cairn.ceph.rbd.RadosPool}; {@link io.cairn.ceph.rbd.RbdImageHandle} (an open image or
 * snapshot, its diff, metadata, locks and asynchronous IO) with {@link io.cairn.ceph.rbd.RbdBlocks} (it as
 * either end of a copy); {@link io.cairn.ceph.rbd.RbdGroup}; listing images and objects
 * ({@link io.cairn.ceph.rbd.RbdImageNames}, {@link io.cairn.ceph.rbd.RadosObjectNames}); and the errors
 * ({@link io.cairn.ceph.rbd.Errno}, {@link io.cairn.ceph.rbd.NativeCallException},
 * {@link io.cairn.ceph.rbd.ClusterStalledException}).
 */
package io.cairn.ceph.rbd;
