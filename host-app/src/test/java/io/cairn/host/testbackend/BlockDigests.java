package io.cairn.host.testbackend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The SHA-256 of each block of a file, one hex line per block: what the directory backend records and verifies. */
final class BlockDigests {

    private BlockDigests() {
    }

    static String of(Path file, long blockSize) throws IOException {
        return String.join("\n", list(file, blockSize)) + "\n";
    }

    static List<String> list(Path file, long blockSize) throws IOException {
        List<String> digests = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[(int) blockSize];
            int n;
            while ((n = in.readNBytes(block, 0, block.length)) > 0) {
                digests.add(sha256(block, n));
            }
        }
        return digests;
    }

    static String sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
