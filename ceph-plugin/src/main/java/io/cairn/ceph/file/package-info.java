/**
 * Files and block devices as backup sources and restore targets: {@link io.cairn.ceph.file.FileVolume}
 * (whether one exists, its kind and size) and {@link io.cairn.ceph.file.FileBlocks} (either end of a copy).
 */
package io.cairn.ceph.file;
