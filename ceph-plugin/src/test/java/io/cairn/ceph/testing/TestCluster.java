package io.cairn.ceph.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real, throwaway Ceph cluster (one mon, one memstore OSD, pools {@code volumes} and
 * {@code backups}) started by {@code scripts/ceph-dev-cluster} the first time a test asks for it, and
 * stopped when the test JVM exits. Two independent clusters are available for cross-cluster tests.
 *
 * <p>If the cluster cannot start, {@link #primary()} throws, so every test that needs Ceph fails
 * loudly; nothing is ever skipped.
 */
public final class TestCluster {

    private static final Map<String, TestCluster> RUNNING = new ConcurrentHashMap<>();

    private final String name;
    private final Path dir;
    private final Path conf;

    private TestCluster(String name, Path dir, Path conf) {
        this.name = name;
        this.dir = dir;
        this.conf = conf;
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
            Files.delete(dir); // the script wants to create it itself
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path script = root.resolve("scripts/ceph-dev-cluster");
        long started = System.nanoTime();
        Result result = run(List.of(script.toString(), "start", dir.toString()), 600);
        if (result.exitCode != 0) {
            run(List.of(script.toString(), "stop", dir.toString()), 60);
            throw new IllegalStateException("The test Ceph cluster '" + name + "' did not start (exit "
                    + result.exitCode + "). Tests that need Ceph cannot run.\n" + result.stderr + result.stdout);
        }
        String[] lines = result.stdout.strip().split("\n");
        Path conf = Path.of(lines[lines.length - 1].strip());
        TestCluster cluster = new TestCluster(name, dir, conf);
        System.err.printf("[test-cluster] %s up in %.1f s: %s%n", name, (System.nanoTime() - started) / 1e9, conf);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> run(List.of(script.toString(), "stop", dir.toString()), 60), "stop-ceph-" + name));
        return cluster;
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
        return dir;
    }

    /** The cluster's ceph.conf (its admin keyring is named in it). */
    public Path conf() {
        return conf;
    }

    /** The pid of the cluster's OSD (osd.0), for tests that stop it. */
    public long osdPid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("run/ceph-osd.0.pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OSD's pid file in " + dir, e);
        }
    }

    /** Runs {@code ceph} as admin on this cluster and returns its stdout; fails on a non-zero exit. */
    public String ceph(String... args) {
        List<String> command = new ArrayList<>(List.of("ceph", "--conf", conf.toString(), "--connect-timeout", "30"));
        command.addAll(List.of(args));
        Result result = run(command, 120);
        if (result.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode + "): "
                    + result.stderr);
        }
        return result.stdout;
    }

    /** The admin keyring. */
    public Path adminKeyring() {
        return dir.resolve("ceph.client.admin.keyring");
    }

    /** Creates cephx user {@code client.<user>} with RBD caps and returns its keyring. */
    public Path addUser(String user) {
        Path keyring = dir.resolve("ceph.client." + user + ".keyring");
        if (!Files.exists(keyring)) {
            Result result = run(List.of(projectRoot().resolve("scripts/ceph-dev-cluster").toString(),
                    "add-user", dir.toString(), user), 120);
            if (result.exitCode != 0) {
                throw new IllegalStateException("add-user " + user + " failed: " + result.stderr);
            }
        }
        return keyring;
    }

    /** Runs {@code rbd} as admin on this cluster and returns its stdout; fails on a non-zero exit. */
    public String rbd(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", conf.toString()));
        command.addAll(List.of(args));
        Result result = run(command, 600);
        if (result.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode + "): "
                    + result.stderr);
        }
        return result.stdout;
    }

    /** Runs {@code rbd} as admin and returns exit code, stdout and stderr, whatever the exit code. */
    public Result tryRbd(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", conf.toString()));
        command.addAll(List.of(args));
        return run(command, 600);
    }

    /** Whether {@code pool/image} exists. */
    public boolean imageExists(String image) {
        return tryRbd("info", image).exitCode == 0;
    }

    /** Snapshot names of {@code pool/image}, in creation order. */
    public List<String> snapshots(String image) {
        List<String> names = new ArrayList<>();
        for (String line : rbd("snap", "ls", "--format", "plain", image).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].matches("\\d+")) {
                names.add(fields[1]);
            }
        }
        return names;
    }

    /** Whether the plain RADOS object {@code name} exists in {@code pool}. */
    public boolean objectExists(String pool, String name) {
        return run(List.of("rados", "--conf", conf.toString(), "-p", pool, "stat", name), 60).exitCode == 0;
    }

    /** SHA-256 of the whole content of {@code pool/image} or {@code pool/image@snap}, read by the rbd CLI. */
    public String sha256(String imageSpec) {
        ProcessBuilder builder = new ProcessBuilder("rbd", "--conf", conf.toString(), "export", imageSpec, "-");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            String digest;
            try (InputStream in = process.getInputStream()) {
                digest = sha256(in);
            }
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rbd export " + imageSpec + " failed");
            }
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * SHA-256 of {@code pool/image} at the snapshot with id {@code snapshotId}, of any namespace - the
     * image of a group snapshot too, which {@code rbd export} cannot name. Read through Ceph's Python
     * binding (python3-rbd, which ceph-common brings), independently of the plugin's code.
     */
    public String sha256AtSnapshotId(String imageSpec, long snapshotId) {
        String[] parts = imageSpec.split("/");
        String script = String.join("\n",
                "import hashlib, sys, rados, rbd",
                "c = rados.Rados(conffile=sys.argv[1]); c.connect()",
                "io = c.open_ioctx(sys.argv[2])",
                "img = rbd.Image(io, sys.argv[3], read_only=True)",
                "img.set_snap_by_id(int(sys.argv[4]))",
                "h = hashlib.sha256(); size = img.size(); off = 0",
                "while off < size:",
                "    n = min(4 << 20, size - off); h.update(img.read(off, n)); off += n",
                "print(h.hexdigest())",
                "img.close(); io.close(); c.shutdown()");
        Result result = run(List.of("/usr/bin/python3", "-c", script, conf.toString(), parts[0], parts[parts.length - 1],
                Long.toString(snapshotId)), 600);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("reading " + imageSpec + " at snapshot id " + snapshotId + " failed: "
                    + result.stderr());
        }
        return result.stdout().trim();
    }

    /** The big-endian 64-bit number at {@code offset} of {@code pool/image} (its head), read through python3-rbd. */
    public long readLong(String imageSpec, long offset) {
        String[] parts = imageSpec.split("/");
        String script = String.join("\n",
                "import struct, sys, rados, rbd",
                "c = rados.Rados(conffile=sys.argv[1]); c.connect()",
                "io = c.open_ioctx(sys.argv[2])",
                "img = rbd.Image(io, sys.argv[3], read_only=True)",
                "print(struct.unpack('>q', img.read(int(sys.argv[4]), 8))[0])",
                "img.close(); io.close(); c.shutdown()");
        Result result = run(List.of("/usr/bin/python3", "-c", script, conf.toString(), parts[0], parts[parts.length - 1],
                Long.toString(offset)), 120);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("reading " + imageSpec + " failed: " + result.stderr());
        }
        return Long.parseLong(result.stdout().trim());
    }

    /** SHA-256 of a file's content. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command with a deadline and collects its output. */
    public static Result run(List<String> command, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), err);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            outPump.join();
            errPump.join();
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread thread = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Exit code and output of a command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }
}
