package io.cairn.blockstore.store;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stored backup: which volume, how big, and the SHA-256 of each of its blocks in order ({@code -}
 * for a block of zeros, which is not stored). Every backup has a complete manifest, so each is a
 * restore point of its own; an incremental differs from a full one only in that most of its blocks
 * were already in the store.
 *
 * <pre>
 * cairn-blockstore-manifest 1
 * backup_id 7529fb8c-...
 * volume images%2Fvm1.img
 * size_bytes 10737418240
 * chunk_size 1048576
 * created_at 2026-12-01T02:30:00Z
 * parent 2f0df95a-...              (absent for a full backup)
 * snapshot backup.7529fb8c-...     the source snapshot it was made from, and that snapshot's identity:
 * snapshot_identity 1f0c...         an incremental from this backup diffs from exactly that one
 * label tier gold
 * chunks 10240
 * 9f86d081884c7d65...
 * -
 * ...
 * </pre>
 */
public record Manifest(String backupId, String volume, long sizeBytes, int chunkSize, Instant createdAt, String parent,
        String snapshot, String snapshotIdentity, Map<String, String> labels, List<String> chunks) {

    public static final String ZERO = "-";
    private static final String MAGIC = "cairn-blockstore-manifest 1";

    public Manifest {
        labels = Map.copyOf(labels);
        chunks = List.copyOf(chunks);
        long expected = sizeBytes == 0 ? 0 : (sizeBytes - 1) / chunkSize + 1;
        if (chunks.size() != expected) {
            throw new IllegalArgumentException("a manifest of " + sizeBytes + " bytes in chunks of " + chunkSize + " has "
                    + expected + " chunks, not " + chunks.size());
        }
    }

    /** The length of chunk {@code index}: the chunk size, or what is left at the end. */
    public int chunkLength(int index) {
        return (int) Math.min(chunkSize, sizeBytes - (long) index * chunkSize);
    }

    public void write(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(MAGIC + "\n");
            out.write("backup_id " + backupId + "\n");
            out.write("volume " + encode(volume) + "\n");
            out.write("size_bytes " + sizeBytes + "\n");
            out.write("chunk_size " + chunkSize + "\n");
            out.write("created_at " + createdAt + "\n");
            if (parent != null) {
                out.write("parent " + parent + "\n");
            }
            out.write("snapshot " + encode(snapshot) + "\n");
            out.write("snapshot_identity " + encode(snapshotIdentity) + "\n");
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                out.write("label " + encode(label.getKey()) + " " + encode(label.getValue()) + "\n");
            }
            out.write("chunks " + chunks.size() + "\n");
            for (String chunk : chunks) {
                out.write(chunk);
                out.write('\n');
            }
        }
    }

    /**
     * Reads a manifest.
     *
     * @throws IOException when it cannot be read, or is not a whole manifest (a torn write never
     *         passes: the count of chunks is checked)
     */
    public static Manifest read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (!MAGIC.equals(in.readLine())) {
                throw new IOException(file + " is not a block store manifest");
            }
            String id = null;
            String volume = null;
            String parent = null;
            String snapshot = "";
            String snapshotIdentity = "";
            long size = -1;
            int chunkSize = -1;
            Instant created = null;
            Map<String, String> labels = new TreeMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("chunks ")) {
                String[] fields = line.split(" ");
                switch (fields[0]) {
                    case "backup_id" -> id = fields[1];
                    case "volume" -> volume = decode(fields[1]);
                    case "size_bytes" -> size = Long.parseLong(fields[1]);
                    case "chunk_size" -> chunkSize = Integer.parseInt(fields[1]);
                    case "created_at" -> created = Instant.parse(fields[1]);
                    case "parent" -> parent = fields[1];
                    case "snapshot" -> snapshot = fields.length > 1 ? decode(fields[1]) : "";
                    case "snapshot_identity" -> snapshotIdentity = fields.length > 1 ? decode(fields[1]) : "";
                    case "label" -> labels.put(decode(fields[1]), fields.length > 2 ? decode(fields[2]) : "");
                    default -> throw new IOException(file + ": unknown line '" + line + "'");
                }
            }
            if (line == null || id == null || volume == null || size < 0 || chunkSize <= 0 || created == null) {
                throw new IOException(file + " is incomplete");
            }
            int count = Integer.parseInt(line.substring("chunks ".length()));
            List<String> chunks = new ArrayList<>(count);
            while ((line = in.readLine()) != null) {
                chunks.add(line);
            }
            if (chunks.size() != count) {
                throw new IOException(file + " lists " + chunks.size() + " chunks of " + count + ": it is incomplete");
            }
            try {
                return new Manifest(id, volume, size, chunkSize, created, parent, snapshot, snapshotIdentity, labels, chunks);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a readable manifest: " + e.getMessage(), e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
