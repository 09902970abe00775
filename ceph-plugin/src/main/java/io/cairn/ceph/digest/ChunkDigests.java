package io.cairn.ceph.digest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digests of one restore point: the SHA-256 of each chunk of the image at the backup's snapshot,
 * in order. A chunk is a fixed byte range ({@link #chunkSize()}, chosen by {@link ChunkSizes}: 64 KiB for
 * volumes up to 8 GiB, larger for larger ones; 4 MiB in tables written before chunks became smaller); the
 * last one may be shorter. A chunk that reads as zeros is recorded as such (32 zero bytes, which no SHA-256
 * is), so that neither a backup nor a verify has to hash - or, where storage says it holds nothing, read - it.
 *
 * <p>While a backup is written the table fills in from several threads ({@link #set}, {@link #setZero});
 * it is written out only when every chunk is known ({@link #isComplete()}).
 *
 * <p>The stored form ({@link #toBytes}, {@link #parse}) is a short text header, the table, and the
 * SHA-256 of everything before it, so a damaged digest object is told from a damaged restore point:
 * <pre>
 * cairn-digests 1
 * backup_id 7529fb8c-...
 * algorithm sha256
 * chunk_size 65536
 * size_bytes 1073741824
 * chunks 16384
 *                                   (an empty line, then 16384 x 32 bytes, then 32 bytes of trailer)
 * </pre>
 * The chunk size has been part of the header since the first version, and every reader goes by it: a table
 * of 4 MiB chunks written before reads as it always did, and a Cairn from before smaller chunks reads a new
 * table correctly too. So the change of chunk size is recorded in {@code chunk_size}, not in the version.
 */
public final class ChunkDigests {

    private static final String MAGIC = "cairn-digests 1";
    private static final byte[] ZERO = new byte[Sha256.LENGTH];

    private final String backupId;
    private final int chunkSize;
    private final long sizeBytes;
    private final byte[] table;
    private final BitSet known;

    private ChunkDigests(String backupId, int chunkSize, long sizeBytes, byte[] table, BitSet known) {
        this.backupId = backupId;
        this.chunkSize = chunkSize;
        this.sizeBytes = sizeBytes;
        this.table = table;
        this.known = known;
    }

    /** A table of unknown digests, to be filled in. */
    public static ChunkDigests unknown(String backupId, int chunkSize, long sizeBytes) {
        if (chunkSize <= 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + ", size " + sizeBytes);
        }
        long count = chunkCount(chunkSize, sizeBytes);
        if (count * Sha256.LENGTH > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException(sizeBytes + " bytes in chunks of " + chunkSize + " are too many chunks");
        }
        return new ChunkDigests(backupId, chunkSize, sizeBytes, new byte[(int) count * Sha256.LENGTH],
                new BitSet((int) count));
    }

    private static long chunkCount(int chunkSize, long sizeBytes) {
        return sizeBytes == 0 ? 0 : (sizeBytes - 1) / chunkSize + 1;
    }

    public String backupId() {
        return backupId;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public int count() {
        return table.length / Sha256.LENGTH;
    }

    public long offsetOf(int chunk) {
        return (long) chunk * chunkSize;
    }

    public int lengthOf(int chunk) {
        return (int) Math.min(chunkSize, sizeBytes - offsetOf(chunk));
    }

    /** The chunk that holds byte {@code offset}. */
    public int chunkAt(long offset) {
        return (int) (offset / chunkSize);
    }

    public synchronized void set(int chunk, byte[] digest) {
        if (digest.length != Sha256.LENGTH || Arrays.equals(digest, ZERO)) {
            throw new IllegalArgumentException("not a SHA-256 digest");
        }
        System.arraycopy(digest, 0, table, chunk * Sha256.LENGTH, Sha256.LENGTH);
        known.set(chunk);
    }

    synchronized void setZero(int chunk) {
        System.arraycopy(ZERO, 0, table, chunk * Sha256.LENGTH, Sha256.LENGTH);
        known.set(chunk);
    }

    /** Takes chunk {@code chunk}'s entry from another table of the same chunk size. */
    synchronized void copyFrom(ChunkDigests other, int chunk) {
        if (!other.isKnown(chunk)) {
            throw new IllegalArgumentException("chunk " + chunk + " of " + other.backupId + " is not known");
        }
        System.arraycopy(other.table, chunk * Sha256.LENGTH, table, chunk * Sha256.LENGTH, Sha256.LENGTH);
        known.set(chunk);
    }

    synchronized boolean isKnown(int chunk) {
        return known.get(chunk);
    }

    synchronized boolean isComplete() {
        return known.cardinality() == count();
    }

    /** Whether the chunk was recorded as all zeros. */
    public synchronized boolean isZero(int chunk) {
        return known.get(chunk) && Arrays.equals(table, chunk * Sha256.LENGTH, (chunk + 1) * Sha256.LENGTH, ZERO, 0,
                Sha256.LENGTH);
    }

    /** Whether {@code digest} is the one recorded for the chunk (a zero chunk matches no digest). */
    public synchronized boolean matches(int chunk, byte[] digest) {
        return known.get(chunk) && Arrays.equals(table, chunk * Sha256.LENGTH, (chunk + 1) * Sha256.LENGTH, digest, 0,
                Sha256.LENGTH);
    }

    /** The recorded entry as text, for messages: 16 hex digits or {@code zeros}. */
    public synchronized String describe(int chunk) {
        return isZero(chunk) ? "zeros" : HexFormat.of().formatHex(table, chunk * Sha256.LENGTH, chunk * Sha256.LENGTH + 8);
    }

    /** The stored form: header, table, trailer. */
    public synchronized byte[] toBytes() {
        if (!isComplete()) {
            throw new IllegalStateException("digests of backup " + backupId + " are incomplete: " + known.cardinality()
                    + " of " + count() + " chunks");
        }
        // One array of the exact size: the table of a large volume is megabytes, and several backups of
        // `serve` may store theirs at once.
        byte[] header = header().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[header.length + table.length + Sha256.LENGTH];
        System.arraycopy(header, 0, bytes, 0, header.length);
        System.arraycopy(table, 0, bytes, header.length, table.length);
        int bodyLength = header.length + table.length;
        System.arraycopy(Sha256.of(bytes, bodyLength), 0, bytes, bodyLength, Sha256.LENGTH);
        return bytes;
    }

    private String header() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("backup_id", backupId);
        fields.put("algorithm", "sha256");
        fields.put("chunk_size", Integer.toString(chunkSize));
        fields.put("size_bytes", Long.toString(sizeBytes));
        fields.put("chunks", Integer.toString(count()));
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        fields.forEach((key, value) -> text.append(key).append(' ').append(value).append('\n'));
        return text.append('\n').toString();
    }

    /**
     * Reads the stored form.
     *
     * @throws DigestsDamagedException when it is not a whole, undamaged table
     */
    public static ChunkDigests parse(byte[] bytes, String where) {
        if (bytes.length < Sha256.LENGTH + MAGIC.length()) {
            throw new DigestsDamagedException(where + " is too short to hold digests (" + bytes.length + " bytes)");
        }
        int bodyLength = bytes.length - Sha256.LENGTH;
        byte[] expected = Sha256.of(bytes, bodyLength);
        if (!Arrays.equals(expected, 0, Sha256.LENGTH, bytes, bodyLength, bytes.length)) {
            throw new DigestsDamagedException(where + " is damaged: its trailing checksum does not match its content");
        }
        int headerEnd = indexOf(bytes, "\n\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
            throw new DigestsDamagedException(where + " has no header");
        }
        String[] lines = new String(bytes, 0, headerEnd, StandardCharsets.UTF_8).split("\n");
        if (!MAGIC.equals(lines[0])) {
            throw new DigestsDamagedException(where + " is not a digests object ('" + lines[0] + "')");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int space = lines[i].indexOf(' ');
            if (space > 0) {
                fields.put(lines[i].substring(0, space), lines[i].substring(space + 1));
            }
        }
        try {
            if (!"sha256".equals(fields.get("algorithm"))) {
                throw new DigestsDamagedException(where + ": unknown algorithm " + fields.get("algorithm"));
            }
            ChunkDigests digests = unknown(fields.get("backup_id"), Integer.parseInt(fields.get("chunk_size")),
                    Long.parseLong(fields.get("size_bytes")));
            int tableStart = headerEnd + 2;
            int chunks = Integer.parseInt(fields.get("chunks"));
            if (chunks != digests.count() || bodyLength - tableStart != chunks * Sha256.LENGTH) {
                throw new DigestsDamagedException(where + " holds " + (bodyLength - tableStart) / Sha256.LENGTH
                        + " digests for " + digests.count() + " chunks");
            }
            System.arraycopy(bytes, tableStart, digests.table, 0, digests.table.length);
            digests.known.set(0, chunks);
            return digests;
        } catch (NumberFormatException | NullPointerException e) {
            throw new DigestsDamagedException(where + " has an unreadable header: " + fields);
        }
    }

    /** The identity of a stored form: the start of its trailing checksum. */
    public static String identityOf(byte[] trailer) {
        return "sha256:" + HexFormat.of().formatHex(trailer, 0, 8);
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= Math.min(bytes.length, 4096); i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A digest object that cannot be trusted: torn, overwritten or not one at all. */
    public static final class DigestsDamagedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DigestsDamagedException(String message) {
            super(message);
        }
    }
}
