package io.cairn.devtools.ceph;

import io.cairn.devtools.process.Command;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' real Ceph cluster: a {@link DevCluster} started the first time a test of this JVM asks for
 * it, shared by the JVM's tests, and stopped when the JVM exits. Two independent clusters are available,
 * for cross-cluster tests.
 *
 * <pre>{@code
 * TestCluster cluster = TestCluster.primary();
 * cluster.rbd("create", "--size", "64M", "volumes/disk");
 * String sha = cluster.sha256("volumes/disk@snap");
 * }</pre>
 *
 * <p>If a cluster cannot start, {@link #primary()} throws, so every test that needs Ceph fails loudly;
 * nothing is ever skipped.
 */
public final class TestCluster {

    private static final Map<String, TestCluster> RUNNING = new ConcurrentHashMap<>();

    private final String name;
    private final DevCluster cluster;
    private final Rbd rbd;

    private TestCluster(String name, DevCluster cluster) {
        this.name = name;
        this.cluster = cluster;
        this.rbd = new Rbd(cluster.conf());
    }

    /** The cluster most tests use. */
    public static TestCluster primary() {
        return named("primary");
    }

    /** A second, independent cluster (another fsid, another port), for cross-cluster backups. */
    public static TestCluster secondary() {
        return named("secondary");
    }

    /**
     * A cluster of its own, for tests that break it (stop its OSD, blocklist its clients): the other
     * tests of the JVM never see those faults. Started on first use, stopped when the JVM exits.
     */
    public static TestCluster dedicated(String name) {
        if (name.equals("primary") || name.equals("secondary")) {
            throw new IllegalArgumentException(name + " is a shared cluster");
        }
        return named(name);
    }

    private static TestCluster named(String name) {
        return RUNNING.computeIfAbsent(name, TestCluster::start);
    }

    private static TestCluster start(String name) {
        Path root = projectRoot();
        Path dir;
        try {
            dir = Files.createTempDirectory("cairn-ceph-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        DevCluster cluster;
        try {
            cluster = DevCluster.in(root, dir).start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The test Ceph cluster '" + name + "' did not start. Tests that need Ceph"
                    + " cannot run.\n" + e.getMessage(), e);
        }
        System.err.printf("[test-cluster] %s up in %.1f s: %s%n", name, (System.nanoTime() - started) / 1e9,
                cluster.conf());
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-ceph-" + name));
        return new TestCluster(name, cluster);
    }

    /** The top of the Cairn checkout (system property {@code cairn.root}, set by the build). */
    public static Path projectRoot() {
        String root = System.getProperty("cairn.root");
        Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        if (!Files.isExecutable(path.resolve("scripts/ceph-dev-cluster"))) {
            throw new IllegalStateException("cannot find scripts/ceph-dev-cluster under " + path
                    + " (set -Dcairn.root to the top of the checkout)");
        }
        return path;
    }

    public String name() {
        return name;
    }

    /** The cluster's private directory. */
    public Path dir() {
        return cluster.dir();
    }

    /** The cluster's ceph.conf (its admin keyring is named in it). */
    public Path conf() {
        return cluster.conf();
    }

    /** The admin keyring. */
    public Path adminKeyring() {
        return cluster.adminKeyring();
    }

    /** The mon and the OSD with their pids, for tests that stop, freeze or kill one. */
    public List<DevCluster.Daemon> daemons() {
        return cluster.daemons();
    }

    /** The pid of the cluster's OSD (osd.0), for tests that stop it. */
    public long osdPid() {
        return cluster.daemons().stream().filter(daemon -> daemon.name().startsWith("osd.")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSD in " + cluster.dir())).pid();
    }

    /** Runs {@code ceph} as admin on this cluster and returns its stdout; fails on a non-zero exit. */
    public String ceph(String... args) {
        List<String> command = new ArrayList<>(List.of("ceph", "--conf", conf().toString(), "--connect-timeout", "30"));
        command.addAll(List.of(args));
        return Command.of(command).timeout(Duration.ofMinutes(2)).runOrThrow();
    }

    /** Creates cephx user {@code client.<user>} with RBD caps and returns its keyring. */
    public Path addUser(String user) {
        return cluster.addUser(user);
    }

    /** Runs {@code rbd} as admin on this cluster and returns its stdout; fails on a non-zero exit. */
    public String rbd(String... args) {
        return rbd.run(args);
    }

    /** Runs {@code rbd} as admin and returns exit code, stdout and stderr, whatever the exit code. */
    public Command.Result tryRbd(String... args) {
        return rbd.tryRun(args);
    }

    /** Whether {@code pool/image} exists. */
    public boolean imageExists(String image) {
        return rbd.exists(image);
    }

    /** Snapshot names of {@code pool/image}, in creation order. */
    public List<String> snapshots(String image) {
        return rbd.snapshots(image);
    }

    /** Whether the plain RADOS object {@code name} exists in {@code pool}. */
    public boolean objectExists(String pool, String name) {
        return run(List.of("rados", "--conf", conf().toString(), "-p", pool, "stat", name), 60).exitCode() == 0;
    }

    /** SHA-256 of the whole content of {@code pool/image} or {@code pool/image@snap}, read by the rbd CLI. */
    public String sha256(String imageSpec) {
        return rbd.sha256(imageSpec);
    }

    /** Creates an RBD pool of 8 placement groups, unless it exists. */
    public void createPool(String pool) {
        ceph("osd", "pool", "create", pool, "8");
        rbd("pool", "init", pool);
    }

    /** Runs {@code rados} as admin on this cluster and returns its stdout; fails on a non-zero exit. */
    public String rados(String... args) {
        List<String> command = new ArrayList<>(List.of("rados", "--conf", conf().toString()));
        command.addAll(List.of(args));
        return Command.of(command).runOrThrow();
    }

    /** The rbd image id of {@code pool/image}, as {@code rbd info} shows it. */
    public String imageId(String image) {
        for (String line : rbd("info", image).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("id:")) {
                return trimmed.substring(3).trim();
            }
        }
        throw new IllegalStateException("rbd info " + image + " shows no id");
    }

    /** The RADOS object holding object number {@code objectNumber} of an image with this id. */
    public static String dataObject(String imageId, long objectNumber) {
        return String.format("rbd_data.%s.%016x", imageId, objectNumber);
    }

    /**
     * The SHA-256 of every {@code chunkSize} bytes of {@code pool/image@snap}, read by {@code rbd export};
     * {@code null} for a chunk of zeros.
     */
    public List<String> chunkSha256s(String imageSpec, int chunkSize) {
        return rbd.command("export", imageSpec, "-").read(in -> {
            List<String> digests = new ArrayList<>();
            byte[] chunk = new byte[chunkSize];
            int n;
            while ((n = in.readNBytes(chunk, 0, chunkSize)) > 0) {
                digests.add(allZero(chunk, n) ? null : Checksums.sha256(new ByteArrayInputStream(chunk, 0, n)));
                if (n < chunkSize) {
                    break;
                }
            }
            return digests;
        });
    }

    private static boolean allZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * SHA-256 of {@code pool/image} at the snapshot with id {@code snapshotId}, of any namespace - the
     * image of a group snapshot too, which {@code rbd export} cannot name. Read through Ceph's Python
     * binding (python3-rbd, which ceph-common brings), independently of the plugin's code.
     */
    public String sha256AtSnapshotId(String imageSpec, long snapshotId) {
        return python(imageSpec, Duration.ofMinutes(10), Long.toString(snapshotId),
                "img.set_snap_by_id(int(sys.argv[4]))",
                "h = hashlib.sha256(); size = img.size(); off = 0",
                "while off < size:",
                "    n = min(4 << 20, size - off); h.update(img.read(off, n)); off += n",
                "print(h.hexdigest())");
    }

    /** The big-endian 64-bit number at {@code offset} of {@code pool/image} (its head), read through python3-rbd. */
    public long readLong(String imageSpec, long offset) {
        return Long.parseLong(python(imageSpec, Duration.ofMinutes(2), Long.toString(offset),
                "print(struct.unpack('>q', img.read(int(sys.argv[4]), 8))[0])"));
    }

    /** Runs python3-rbd lines with {@code img} open read-only on {@code pool/image} and {@code argument} as argv[4]. */
    private String python(String imageSpec, Duration timeout, String argument, String... lines) {
        String[] parts = imageSpec.split("/");
        String script = "import hashlib, struct, sys, rados, rbd\n"
                + "c = rados.Rados(conffile=sys.argv[1]); c.connect()\n"
                + "io = c.open_ioctx(sys.argv[2])\n"
                + "img = rbd.Image(io, sys.argv[3], read_only=True)\n"
                + String.join("\n", lines) + "\n"
                + "img.close(); io.close(); c.shutdown()\n";
        return Command.of("/usr/bin/python3", "-c", script, conf().toString(), parts[0], parts[parts.length - 1], argument)
                .timeout(timeout).runOrThrow().trim();
    }

    /** SHA-256 of a file's content. */
    public static String sha256(Path file) {
        return Checksums.sha256(file);
    }

    /** Runs a bash pipeline ({@code pipefail}) with a five-minute deadline; fails naming it on a non-zero exit. */
    public static String shell(String pipeline) {
        return Command.of("bash", "-o", "pipefail", "-c", pipeline).timeout(Duration.ofMinutes(5)).runOrThrow();
    }

    /** Runs a command with a deadline and collects its output, whatever its exit code. */
    public static Command.Result run(List<String> command, long timeoutSeconds) {
        return Command.run(command, timeoutSeconds);
    }
}
