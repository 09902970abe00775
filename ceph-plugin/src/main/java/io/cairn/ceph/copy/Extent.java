package io.cairn.ceph.copy;

/**
 * A byte range of a volume and whether it holds data.
 *
 * @param offset where it starts
 * @param length how long it is (positive)
 * @param data   {@code true} when the range holds data to copy; {@code false} when it is a hole that
 *               must read as zeros on the target
 */
public record Extent(long offset, long length, boolean data) {

    public Extent {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad extent " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
