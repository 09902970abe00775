package io.cairn.ceph.digest;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a buffer, through OpenSSL's libcrypto where it can be loaded.
 *
 * <p>Why native: the JDK's SHA-256 uses the CPU's SHA instructions only once C2 has compiled it, and
 * {@code ./cairn} runs with C1 alone (it starts faster): there the JDK hashes at about 50 MB/s, against
 * about 2 GB/s for libcrypto on the same core. Hashing a direct buffer natively also copies nothing.
 * libcrypto comes with librados (Debian's librados2 depends on libssl3); when it cannot be loaded the
 * JDK's implementation is used, slower but equal in result.
 */
public final class Sha256 {

    /** Bytes in a digest. */
    public static final int LENGTH = 32;

    private static final Pointer EVP_SHA256 = loadNative();

    private Sha256() {
    }

    /** Where digests are computed: {@code "libcrypto"} or {@code "JDK"}. */
    static String implementation() {
        return EVP_SHA256 != null ? "libcrypto" : "JDK";
    }

    /** The digest of bytes {@code [offset, offset + length)} of {@code buffer}; its position is not used. */
    public static byte[] of(ByteBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.capacity()) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " of " + buffer.capacity());
        }
        byte[] digest = new byte[LENGTH];
        if (buffer.isDirect() && EVP_SHA256 != null) {
            Pointer data = Native.getDirectBufferPointer(buffer).share(offset);
            int rc = LibCrypto.EVP_Digest(data, length, digest, new IntByReference(), EVP_SHA256, null);
            if (rc != 1) {
                throw new IllegalStateException("libcrypto EVP_Digest failed");
            }
            return digest;
        }
        MessageDigest sha = jdk();
        sha.update(buffer.duplicate().limit(offset + length).position(offset));
        return sha.digest();
    }

    /** The digest of a byte array. */
    public static byte[] of(byte[] data) {
        return of(data, data.length);
    }

    /**
     * The digest of the first {@code length} bytes of {@code data}: natively where it can (a digests object's
     * trailer covers megabytes, which the JDK under C1 alone hashes at about 50 MB/s).
     */
    public static byte[] of(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IndexOutOfBoundsException(length + " of " + data.length);
        }
        if (EVP_SHA256 != null) {
            byte[] digest = new byte[LENGTH];
            if (LibCrypto.EVP_Digest(data, length, digest, new IntByReference(), EVP_SHA256, null) != 1) {
                throw new IllegalStateException("libcrypto EVP_Digest failed");
            }
            return digest;
        }
        MessageDigest sha = jdk();
        sha.update(data, 0, length);
        return sha.digest();
    }

    private static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pointer loadNative() {
        try {
            LibCrypto.register();
            return LibCrypto.EVP_sha256();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** The libcrypto calls used: {@code EVP_sha256()} and the one-shot {@code EVP_Digest}. */
    static final class LibCrypto {

        private LibCrypto() {
        }

        static void register() {
            // "crypto" finds libcrypto.so, or the versioned libcrypto.so.3 when no -dev package is installed.
            Native.register(LibCrypto.class, NativeLibrary.getInstance("crypto"));
        }

        static native Pointer EVP_sha256();

        /** {@code int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl)}. */
        static native int EVP_Digest(Pointer data, long count, byte[] md, IntByReference size, Pointer type, Pointer impl);

        /** The same over a Java array (JNA hands the native code the array's bytes). */
        static native int EVP_Digest(byte[] data, long count, byte[] md, IntByReference size, Pointer type, Pointer impl);
    }
}
