package io.cairn.ceph.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export-diff stream reaches import-diff whole but for its end-snapshot record: byte for byte, however the
 * pipe splits it, and on a real cluster import-diff then writes the image's head and creates no snapshot.
 */
class DiffWithoutEndSnapshotTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void dropsOnlyTheEndSnapshotRecordHoweverTheStreamIsSplit() throws IOException {
        byte[] data = new byte[5000];
        new Random(7).nextBytes(data);
        byte[] whole = new Stream().banner().name('f', "backup.a.snap.1").name('t', "backup.b.snap.2").size(64 * MIB)
                .write(4096, data).zero(1 << 20, 8192).write(0, new byte[0]).end();
        byte[] expected = new Stream().banner().name('f', "backup.a.snap.1").size(64 * MIB)
                .write(4096, data).zero(1 << 20, 8192).write(0, new byte[0]).end();

        for (int piece : new int[] {1, 2, 3, 7, 13, 4096, whole.length}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DiffWithoutEndSnapshot filter = new DiffWithoutEndSnapshot(out);
            for (int at = 0; at < whole.length; at += piece) {
                assertFalse(filter.complete(), "complete before the end record, pieces of " + piece);
                filter.write(whole, at, Math.min(piece, whole.length - at));
            }
            assertTrue(filter.complete(), "pieces of " + piece);
            assertArrayEquals(expected, out.toByteArray(), "pieces of " + piece);
        }
    }

    @Test
    void aStreamWithoutEndSnapshotPassesUnchanged() throws IOException {
        byte[] whole = new Stream().banner().size(MIB).write(0, new byte[] {1, 2, 3}).end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiffWithoutEndSnapshot filter = new DiffWithoutEndSnapshot(out);
        filter.write(whole);
        assertTrue(filter.complete());
        assertArrayEquals(whole, out.toByteArray());
    }

    @Test
    void aStreamThatStopsEarlyIsNotComplete() throws IOException {
        byte[] whole = new Stream().banner().name('t', "s").size(MIB).write(0, new byte[100]).end();
        DiffWithoutEndSnapshot filter = new DiffWithoutEndSnapshot(OutputStream.nullOutputStream());
        filter.write(whole, 0, whole.length - 10);
        assertFalse(filter.complete());
    }

    @Test
    void whatItDoesNotUnderstandFailsTheTransfer() {
        assertMalformed(new Stream().text("rbd diff v2\n").size(MIB).end(), "no format 1 banner");
        assertMalformed(new Stream().banner().size(MIB).tag('p').end(), "unknown type 112");
        assertMalformed(new Stream().banner().size(MIB).tag('e').size(MIB).end(), "after the stream's end record");
        assertMalformed(new Stream().banner().nameLength('t', 1 << 20).end(), "snapshot name of 1048576 bytes");
    }

    /**
     * On a real cluster: rbd import-diff given the filtered stream of {@code rbd export-diff} - a full one, then an
     * incremental from a snapshot the target has - leaves the target's head equal to each source snapshot and creates
     * no snapshot; given the same stream unfiltered, it does (so the check can fail).
     */
    @Test
    void rbdImportDiffOfTheFilteredStreamWritesTheHeadAndCreatesNoSnapshot() throws IOException {
        TestCluster cluster = TestCluster.primary();
        try (TestVolumes volumes = new TestVolumes(cluster, "volumes", 11)) {
            String source = volumes.create("difffilter-src", 16 * MIB);
            String target = volumes.create("difffilter-dst", 16 * MIB);
            String control = volumes.create("difffilter-ctl", 16 * MIB);
            volumes.writeRandom("difffilter-src", 0, (int) (3 * MIB));
            volumes.writeRandom("difffilter-src", 9 * MIB + 4096, 200_000);
            cluster.rbd("snap", "create", source + "@one");
            volumes.writeRandom("difffilter-src", 2 * MIB, 70_000);
            volumes.writeZeros("difffilter-src", 10 * MIB, 65536);
            volumes.resize("difffilter-src", 24 * MIB);
            volumes.writeRandom("difffilter-src", 20 * MIB, 4096);
            cluster.rbd("snap", "create", source + "@two");

            importFiltered(cluster, List.of("export-diff", source + "@one"), target);
            assertEquals(List.of(), cluster.snapshots(target), "import-diff created no snapshot");
            assertEquals(cluster.sha256(source + "@one"), cluster.sha256(target), "the head holds snapshot one");

            // The caller creates the restore point; the next incremental's from-snapshot record finds it.
            cluster.rbd("snap", "create", target + "@one");
            importFiltered(cluster, List.of("export-diff", "--from-snap", "one", source + "@two"), target);
            assertEquals(List.of("one"), cluster.snapshots(target), "import-diff created no snapshot");
            assertEquals(cluster.sha256(source + "@two"), cluster.sha256(target), "the head holds snapshot two");

            Path unfiltered = dir.resolve("unfiltered.diff");
            cluster.rbd("export-diff", source + "@one", unfiltered.toString());
            cluster.rbd("import-diff", unfiltered.toString(), control);
            assertEquals(List.of("one"), cluster.snapshots(control), "unfiltered, import-diff creates the end snapshot");
        }
    }

    private void importFiltered(TestCluster cluster, List<String> export, String target) throws IOException {
        Path raw = dir.resolve("raw.diff");
        Path filtered = dir.resolve("filtered.diff");
        Files.deleteIfExists(raw);
        String[] command = new String[export.size() + 1];
        export.toArray(command);
        command[export.size()] = raw.toString();
        cluster.rbd(command);
        DiffWithoutEndSnapshot filter;
        try (OutputStream out = Files.newOutputStream(filtered)) {
            filter = new DiffWithoutEndSnapshot(out);
            filter.write(Files.readAllBytes(raw));
        }
        assertTrue(filter.complete(), "the whole stream passed");
        assertTrue(Files.size(filtered) < Files.size(raw), "the end snapshot record was taken out");
        cluster.rbd("import-diff", filtered.toString(), target);
    }

    private static void assertMalformed(byte[] stream, String expected) {
        DiffWithoutEndSnapshot filter = new DiffWithoutEndSnapshot(OutputStream.nullOutputStream());
        IOException e = assertThrows(DiffWithoutEndSnapshot.MalformedDiffException.class, () -> filter.write(stream));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Builds a diff stream record by record, as rbd export-diff writes format 1. */
    private static final class Stream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Stream banner() {
            return text("rbd diff v1\n");
        }

        Stream text(String text) {
            bytes.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Stream tag(char tag) {
            bytes.write(tag);
            return this;
        }

        Stream name(char tag, String name) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            nameLength(tag, utf8.length);
            bytes.writeBytes(utf8);
            return this;
        }

        Stream nameLength(char tag, int length) {
            bytes.write(tag);
            bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
            return this;
        }

        Stream size(long size) {
            bytes.write('s');
            return longs(size);
        }

        Stream write(long offset, byte[] data) {
            bytes.write('w');
            longs(offset, data.length);
            bytes.writeBytes(data);
            return this;
        }

        Stream zero(long offset, long length) {
            bytes.write('z');
            return longs(offset, length);
        }

        byte[] end() {
            bytes.write('e');
            return bytes.toByteArray();
        }

        private Stream longs(long... values) {
            ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long value : values) {
                buffer.putLong(value);
            }
            bytes.writeBytes(buffer.array());
            return this;
        }
    }
}
