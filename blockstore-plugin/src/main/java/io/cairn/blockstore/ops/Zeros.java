package io.cairn.blockstore.ops;

/** Whether a block holds only zeros: such blocks are holes in copies and {@code -} in manifests. */
final class Zeros {

    private Zeros() {
    }

    static boolean isZero(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
