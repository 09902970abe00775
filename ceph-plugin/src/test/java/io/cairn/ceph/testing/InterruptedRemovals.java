package io.cairn.ceph.testing;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Leaves RBD objects exactly as a process killed in the middle of removing them leaves them, by taking
 * the same first steps librbd takes - so tests need not hit a window of milliseconds with a SIGKILL
 * (the model test does that, at random):
 *
 * <ul>
 *   <li>{@link #trashSnapshot}: librbd's snapshot removal first moves the snapshot to the trash namespace
 *       (cls_rbd {@code snapshot_trash_add}, under a new name) and removes it after; killed in between,
 *       the snapshot stays there - not found by its name, and keeping its image from being removed;</li>
 *   <li>{@link #removeHeader}: image removal deletes the header object before the pool directory's
 *       entry; killed in between, the image is listed but cannot be opened.</li>
 * </ul>
 */
public final class InterruptedRemovals {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The one librados call these states need that rados-java lacks: running a class method. */
    private static final class RadosExec {
        static {
            Native.register(RadosExec.class, "rados");
        }

        static native int rados_exec(Pointer io, String oid, String cls, String method, byte[] in, long inLength,
                                     Pointer out, long outLength);
    }

    private InterruptedRemovals() {
    }

    /** Moves snapshot {@code snapshot} of {@code pool/image} to the trash namespace, as librbd's first step does. */
    public static void trashSnapshot(TestCluster cluster, String image, String snapshot) {
        long snapId = snapshotId(cluster, image, snapshot);
        byte[] encoded = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(snapId).array();
        String pool = image.substring(0, image.indexOf('/'));
        String header = "rbd_header." + cluster.imageId(image);
        try {
            Rados rados = new Rados("admin");
            rados.confReadFile(cluster.conf().toFile());
            rados.connect();
            try (IoCTX io = rados.ioCtxCreate(pool)) {
                int rc = RadosExec.rados_exec(io.getPointer(), header, "rbd", "snapshot_trash_add", encoded,
                        encoded.length, null, 0);
                if (rc < 0) {
                    throw new IllegalStateException("snapshot_trash_add on " + header + " returned " + rc);
                }
            } finally {
                rados.shutDown();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot trash " + image + "@" + snapshot, e);
        }
    }

    /** Removes the header object of {@code pool/image}, as image removal does before its directory entry. */
    public static void removeHeader(TestCluster cluster, String image) {
        String pool = image.substring(0, image.indexOf('/'));
        String header = "rbd_header." + cluster.imageId(image);
        cluster.rados("-p", pool, "rm", header);
    }

    /** Every snapshot of {@code pool/image}, whatever its namespace, as {@code namespace:name}. */
    public static List<String> allSnapshots(TestCluster cluster, String image) {
        return java.util.stream.StreamSupport.stream(json(cluster.rbd("snap", "ls", "--all", "--format", "json",
                image)).spliterator(), false).map(node -> node.path("namespace").path("type").asText("user") + ":"
                + node.path("namespace").path("original_name").asText(node.get("name").asText())).toList();
    }

    private static long snapshotId(TestCluster cluster, String image, String snapshot) {
        for (JsonNode node : json(cluster.rbd("snap", "ls", "--format", "json", image))) {
            if (node.get("name").asText().equals(snapshot)) {
                return node.get("id").asLong();
            }
        }
        throw new IllegalStateException("no snapshot " + image + "@" + snapshot);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
