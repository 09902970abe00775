package io.cairn.ceph.copy;

/**
 * What a copy did.
 *
 * @param bytesRead    bytes read from the source
 * @param bytesWritten bytes of data written to the target
 * @param bytesZeroed  bytes made to read as zeros on the target (holes and all-zero blocks)
 * @param bytesSkipped bytes not touched at all because the target already reads as zeros there
 */
public record CopyStats(long bytesRead, long bytesWritten, long bytesZeroed, long bytesSkipped) {
}
