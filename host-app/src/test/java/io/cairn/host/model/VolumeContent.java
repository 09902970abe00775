package io.cairn.host.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a volume should hold, byte for byte: the model's copy of a source volume (or of a restore target),
 * changed only by what the model itself wrote to the cluster.
 */
final class VolumeContent {

    private byte[] bytes;

    VolumeContent(byte[] bytes) {
        this.bytes = bytes;
    }

    static VolumeContent zeros(long size) {
        return new VolumeContent(new byte[Math.toIntExact(size)]);
    }

    long size() {
        return bytes.length;
    }

    void write(long offset, byte[] data) {
        System.arraycopy(data, 0, bytes, Math.toIntExact(offset), data.length);
    }

    void zero(long offset, long length) {
        Arrays.fill(bytes, Math.toIntExact(offset), Math.toIntExact(offset + length), (byte) 0);
    }

    /** Grows (new bytes read as zeros) or shrinks (the tail is gone). */
    void resize(long size) {
        bytes = Arrays.copyOf(bytes, Math.toIntExact(size));
    }

    /** The digest of the content so far; {@link Digest#padded} finishes it for a larger target. */
    Digest digest() {
        return Digest.of(bytes);
    }

    /**
     * A SHA-256 over some content, kept open so that the checksum of that content followed by zeros (a
     * restore over a larger target, whose excess is zeroed) can be had without keeping the bytes.
     */
    static final class Digest {
        private final MessageDigest state;
        private final long length;

        private Digest(MessageDigest state, long length) {
            this.state = state;
            this.length = length;
        }

        static Digest of(byte[] bytes) {
            MessageDigest digest = sha256();
            digest.update(bytes);
            return new Digest(digest, bytes.length);
        }

        long length() {
            return length;
        }

        String hex() {
            return padded(length);
        }

        /** The checksum of the content followed by zeros up to {@code size} bytes. */
        String padded(long size) {
            if (size < length) {
                throw new IllegalArgumentException(size + " < " + length);
            }
            try {
                MessageDigest copy = (MessageDigest) state.clone();
                byte[] zeros = new byte[1 << 20];
                for (long left = size - length; left > 0; left -= zeros.length) {
                    copy.update(zeros, 0, (int) Math.min(left, zeros.length));
                }
                return HexFormat.of().formatHex(copy.digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The checksum of {@code size} zero bytes: a target created and never written. */
        static String ofZeros(long size) {
            return new Digest(sha256(), 0).padded(size);
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
