package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the model runs against: the real test cluster with three pools of the run's own (the source
 * volumes', and one backup pool for each of two cluster files), and a conf directory whose cluster files
 * {@code local} and {@code offsite} both point at that cluster - a local and an "offsite" copy of the
 * same volumes - and whose schedules hold the retention rules prunes apply. Cairn runs in this JVM
 * ({@link #cairn}) or as a process of its own ({@link #child}).
 */
final class ModelWorld {

    static final List<String> CLUSTERS = List.of("local", "offsite");
    /** Schedule name -> cluster and keep_last; their cron never fires (prunes run through {@code cairn prune}). */
    static final Map<String, Schedule> SCHEDULES = Map.of(
            "local-last1", new Schedule("local", 1),
            "local-last3", new Schedule("local", 3),
            "offsite-last2", new Schedule("offsite", 2));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelCluster ceph;
    private final Path dir;
    private final TestConf conf;
    private final String sourcePool;
    private final Map<String, String> backupPools;
    private int children;

    private ModelWorld(ModelCluster ceph, Path dir, TestConf conf, String sourcePool, Map<String, String> backupPools) {
        this.ceph = ceph;
        this.dir = dir;
        this.conf = conf;
        this.sourcePool = sourcePool;
        this.backupPools = backupPools;
    }

    /** Creates the pools and the conf directory in {@code dir}; pool names carry {@code tag}. */
    static ModelWorld create(TestCluster cluster, Path dir, String tag) {
        ModelCluster ceph = new ModelCluster(cluster);
        String sourcePool = tag + "-volumes";
        Map<String, String> backupPools = Map.of("local", tag + "-local", "offsite", tag + "-offsite");
        ceph.createPool(sourcePool);
        CLUSTERS.forEach(name -> ceph.createPool(backupPools.get(name)));
        Path plugins = TestCluster.projectRoot().resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            throw new IllegalStateException(plugins + " does not exist: package ceph-plugin first (mvn verify does)");
        }
        TestConf conf = TestConf.in(dir);
        // serve's HTTP endpoint on a free port: other tests and hosts may hold the default one.
        conf.write("cairn.yaml", "plugins_dir: " + plugins + "\ndata_dir: " + dir.resolve("data")
                + "\nhttp_listen: \"127.0.0.1:0\"\n");
        conf.cluster("local", "plugin: ceph\noptions:\n  conf: " + cluster.conf() + "\n  user: admin\n  pool: "
                + backupPools.get("local") + "\n");
        // The offsite copy moves data the other way - rbd export-diff | rbd import-diff, processes of their
        // own that a killed cairn leaves running - and restores with other settings.
        conf.cluster("offsite", "plugin: ceph\noptions:\n  conf: " + cluster.conf() + "\n  user: admin\n  pool: "
                + backupPools.get("offsite") + "\n  transfer: rbd-cli\n  parallel_ios: 3\n  chunk_size: 256KiB\n");
        SCHEDULES.forEach((name, schedule) -> conf.write("schedules/" + name + ".yaml",
                "cluster: " + schedule.cluster() + "\nvolumes:\n  - \"" + sourcePool + "/v*\"\n"
                        + "cron: \"0 0 0 1 1 ? 2099\"\nretention:\n  keep_last: " + schedule.keepLast() + "\n"));
        return new ModelWorld(ceph, dir, conf, sourcePool, backupPools);
    }

    ModelCluster ceph() {
        return ceph;
    }

    Path dir() {
        return dir;
    }

    String sourcePool() {
        return sourcePool;
    }

    String backupPool(String cluster) {
        return backupPools.get(cluster);
    }

    /** Runs a cairn command in this JVM. */
    CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    /** Runs a cairn command in this JVM and reads its JSON output; fails unless it exits 0. */
    JsonNode cairnJson(String... args) {
        CliRun run = cairn(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("cairn " + String.join(" ", args) + " failed: " + run);
        }
        return parse(run.out());
    }

    /** Every backup the catalog holds, deleted ones included, oldest first. */
    List<JsonNode> catalog() {
        List<JsonNode> backups = new ArrayList<>();
        cairnJson("list", "--all", "--json").forEach(backups::add);
        return backups;
    }

    /** Starts a cairn command as a process of its own. */
    ChildCairn child(String... args) {
        return ChildCairn.start(conf.dir(), dir.resolve("children"), String.format("%04d-%s", ++children, args[0]),
                args);
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** Removes the run's pools (the cluster itself is shared with the JVM's other tests). */
    void removePools() {
        ceph.removePool(sourcePool);
        CLUSTERS.forEach(name -> ceph.removePool(backupPools.get(name)));
    }

    /** A schedule file's cluster and retention rule. */
    record Schedule(String cluster, int keepLast) {
    }
}
