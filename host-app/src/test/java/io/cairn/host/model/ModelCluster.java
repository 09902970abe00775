package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.ceph.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model test's hands and eyes on the real test cluster, through the {@code rbd}, {@code rados} and
 * {@code ceph} CLIs only - programs independent of the plugin under test. Every call has a deadline and
 * fails naming the command and quoting its stderr.
 */
final class ModelCluster {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 300;

    private final TestCluster cluster;

    ModelCluster(TestCluster cluster) {
        this.cluster = cluster;
    }

    Path conf() {
        return cluster.conf();
    }

    /** A pool of the model's own (8 PGs, initialised for RBD), so that its listings hold only what the model made. */
    void createPool(String pool) {
        ceph("osd", "pool", "create", pool, "8");
        rbd("pool", "init", pool);
    }

    void removePool(String pool) {
        ceph("osd", "pool", "rm", pool, pool, "--yes-i-really-really-mean-it");
    }

    void createImage(String image, long bytes) {
        rbd("create", "--size", bytes + "B", image);
    }

    boolean imageExists(String image) {
        return cluster.tryRbd("info", image).exitCode() == 0;
    }

    /** Removes an image and its snapshots. */
    void removeImage(String image) {
        rbd("snap", "purge", "--no-progress", image);
        rbd("rm", "--no-progress", image);
    }

    long size(String image) {
        return json(rbd("info", "--format", "json", image)).get("size").asLong();
    }

    void resize(String image, long bytes) {
        rbd("resize", "--no-progress", "--allow-shrink", "--size", bytes + "B", image);
    }

    /** Applies an {@code rbd diff v1} stream written to a file: exactly its writes, zeros and discards. */
    void importDiff(String image, Path diff) {
        rbd("import-diff", "--no-progress", diff.toString(), image);
    }

    /** Creates a snapshot and returns its rbd snapshot id. */
    String createSnapshot(String image, String name) {
        rbd("snap", "create", "--no-progress", image + "@" + name);
        return snapshots(image).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    void removeSnapshot(String image, String name) {
        rbd("snap", "rm", "--no-progress", image + "@" + name);
    }

    /** The snapshots of {@code pool/image}, with their rbd snapshot ids, in creation order. */
    List<Snapshot> snapshots(String image) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (JsonNode node : json(rbd("snap", "ls", "--format", "json", image))) {
            snapshots.add(new Snapshot(node.get("name").asText(), node.get("id").asText()));
        }
        return snapshots;
    }

    /** The images of a pool, with their ids and snapshots. */
    List<Image> images(String pool) {
        List<Image> images = new ArrayList<>();
        for (JsonNode node : json(rbd("ls", "-l", "--format", "json", pool))) {
            String name = node.get("image").asText();
            if (!node.has("snapshot")) {
                images.add(new Image(name, node.get("id").asText(), new ArrayList<>()));
            }
        }
        for (JsonNode node : json(rbd("ls", "-l", "--format", "json", pool))) {
            if (node.has("snapshot")) {
                String name = node.get("image").asText();
                images.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().snapshots()
                        .add(new Snapshot(node.get("snapshot").asText(), node.get("snapshot_id").asText()));
            }
        }
        return images;
    }

    /** The plain RADOS objects of a pool (RBD's own included). */
    Set<String> objects(String pool) {
        TestCluster.Result result = run(List.of("rados", "--conf", conf().toString(), "-p", pool, "ls"));
        return new TreeSet<>(result.stdout().lines().filter(line -> !line.isBlank()).toList());
    }

    void putObject(String pool, String name, byte[] content) {
        try {
            Path file = Files.createTempFile("cairn-model-object-", ".bin");
            try {
                Files.write(file, content);
                run(List.of("rados", "--conf", conf().toString(), "-p", pool, "put", name, file.toString()));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of an image's metadata key, if set. */
    Optional<String> imageMeta(String image, String key) {
        TestCluster.Result result = cluster.tryRbd("image-meta", "get", image, key);
        return result.exitCode() == 0 ? Optional.of(result.stdout().strip()) : Optional.empty();
    }

    /** SHA-256 of every byte of {@code pool/image} or {@code pool/image@snap}, read by {@code rbd export}. */
    String sha256(String spec) {
        return cluster.sha256(spec);
    }

    /** Every byte of {@code pool/image}, read by {@code rbd export} into a file and then into memory. */
    byte[] read(String spec, Path scratch) {
        try {
            Files.deleteIfExists(scratch);
            rbd("export", "--no-progress", spec, scratch.toString());
            byte[] bytes = Files.readAllBytes(scratch);
            Files.delete(scratch);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rbd(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", conf().toString()));
        command.addAll(List.of(args));
        return run(command).stdout();
    }

    private void ceph(String... args) {
        List<String> command = new ArrayList<>(List.of("ceph", "--conf", conf().toString()));
        command.addAll(List.of(args));
        run(command);
    }

    private static TestCluster.Result run(List<String> command) {
        TestCluster.Result result = TestCluster.run(command, TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result;
    }

    private static JsonNode json(String text) {
        try {
            return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** A snapshot by name and rbd snapshot id. */
    record Snapshot(String name, String id) {
    }

    /** An image of a pool: name, rbd image id, snapshots. */
    record Image(String name, String id, List<Snapshot> snapshots) {
    }
}
