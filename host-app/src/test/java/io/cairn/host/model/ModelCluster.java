package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
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

    /**
     * Who the cluster says holds {@code image} open, for a report: the watchers {@code rbd status} lists, and
     * whether each of them is on the OSD blocklist ({@code ceph osd blocklist ls}) - a blocklisted client's
     * watches are dropped by the OSDs as soon as they see the blocklist, so one listed while blocklisted is
     * a watch that outlived its client. Never throws: it is asked when something has already gone wrong.
     */
    String holders(String image) {
        Command.Result status = TestCluster.run(command("rbd", "status", "--format", "json", image), TIMEOUT_SECONDS);
        if (status.exitCode() != 0) {
            return "rbd status " + image + " failed: " + status.stderr().strip();
        }
        JsonNode listed = lenientJson(status.stdout()).path("watchers");
        if (listed.isEmpty()) {
            return "no watchers";
        }
        String blocklist = TestCluster.run(command("ceph", "osd", "blocklist", "ls"), TIMEOUT_SECONDS).stdout();
        List<String> watchers = new ArrayList<>();
        for (JsonNode watcher : listed) {
            String address = watcher.path("address").asText();
            watchers.add(address + (blocklist.contains(address) ? " (blocklisted)" : " (not blocklisted)"));
        }
        return "watchers " + String.join(", ", watchers);
    }

    /** Removes an image and its snapshots. */
    void removeImage(String image) {
        rbd("snap", "purge", "--no-progress", image);
        rbd("rm", "--no-progress", image);
    }

    /** {@code rbd rm}: what an operator runs on the remains of an image whose creation was cut short. */
    void removeRemains(String image) {
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

    /** Snapshots of {@code pool/image} outside the user namespace, as {@code type:original name}. */
    List<String> trashedSnapshots(String image) {
        List<String> trashed = new ArrayList<>();
        for (JsonNode node : json(rbd("snap", "ls", "--all", "--format", "json", image))) {
            JsonNode namespace = node.get("namespace");
            if (namespace != null && !"user".equals(namespace.path("type").asText("user"))) {
                trashed.add(namespace.path("type").asText() + ":" + namespace.path("original_name").asText(
                        node.get("name").asText()));
            }
        }
        return trashed;
    }

    /**
     * The images of a pool, from its directory: with their ids and snapshots when they can be opened (an
     * image whose removal was interrupted may be listed with its header gone). With {@code deep}, also the
     * snapshots outside the user namespace - a snapshot whose removal was interrupted stays in the trash
     * namespace, invisible to {@code rbd snap ls} but keeping the image from being removed.
     */
    List<Image> images(String pool, boolean deep) {
        List<Image> images = new ArrayList<>();
        JsonNode listed = json(rbd("ls", "--format", "json", pool));
        // rbd ls -l stops at the first image it cannot open (exit 2), having printed what it read before.
        List<String> command = List.of("rbd", "--conf", conf().toString(), "ls", "-l", "--format", "json", pool);
        JsonNode detailed = lenientJson(TestCluster.run(command, TIMEOUT_SECONDS).stdout());
        for (JsonNode name : listed) {
            String image = name.asText();
            String id = null;
            List<Snapshot> snapshots = new ArrayList<>();
            for (JsonNode node : detailed) {
                if (node.get("image").asText().equals(image)) {
                    id = node.get("id").asText();
                    if (node.has("snapshot")) {
                        snapshots.add(new Snapshot(node.get("snapshot").asText(), node.get("snapshot_id").asText()));
                    }
                }
            }
            if (id == null && cluster.tryRbd("info", pool + "/" + image).exitCode() == 0) {
                // Listed after the image rbd ls -l could not open: read it on its own.
                id = json(rbd("info", "--format", "json", pool + "/" + image)).get("id").asText();
                snapshots.addAll(snapshots(pool + "/" + image));
            }
            List<String> trashed = deep && id != null ? trashedSnapshots(pool + "/" + image) : List.of();
            images.add(new Image(image, id, snapshots, trashed));
        }
        return images;
    }

    /** The plain RADOS objects of a pool (RBD's own included). */
    Set<String> objects(String pool) {
        Command.Result result = run(List.of("rados", "--conf", conf().toString(), "-p", pool, "ls"));
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
        Command.Result result = cluster.tryRbd("image-meta", "get", image, key);
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
        return run(command("rbd", args)).stdout();
    }

    private void ceph(String... args) {
        run(command("ceph", args));
    }

    private List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program, "--conf", conf().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Command.Result run(List<String> command) {
        Command.Result result = TestCluster.run(command, TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result;
    }

    private static JsonNode lenientJson(String text) {
        try {
            return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createArrayNode();
        }
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

    /**
     * An image of a pool.
     *
     * @param id        its rbd image id, or null when it cannot be opened (a removal was interrupted)
     * @param snapshots its snapshots in the user namespace
     * @param trashed   snapshots in other namespaces, as {@code type:original name} (only when listed deep)
     */
    record Image(String name, String id, List<Snapshot> snapshots, List<String> trashed) {
        boolean openable() {
            return id != null;
        }
    }
}
