package io.cairn.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server from Debian's {@code postgresql} package (installed by
 * {@code scripts/install-prerequisites}): {@code initdb} in a temporary directory, listening on a free
 * loopback port with password authentication, one per test JVM ({@link #shared()}), stopped and removed when
 * the JVM ends. When it cannot start, the test that asked for it fails with the server's log - nothing is
 * skipped.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (CI does), its commands run as the
 * {@code postgres} user the package creates.
 */
public final class TestPostgres {

    /** The superuser {@code initdb} creates, with {@link #PASSWORD}. */
    public static final String USER = "cairn_test";
    public static final String PASSWORD = "pg-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SYSTEM_USER = "postgres";
    private static TestPostgres shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private final boolean asSystemUser;

    private TestPostgres(Path bin, Path dir, int port, boolean asSystemUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
        this.asSystemUser = asSystemUser;
    }

    /** The JVM's server, started on first use and stopped when the JVM exits. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            TestPostgres server = create();
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "test-postgres-stop"));
            server.start();
            shared = server;
        }
        return shared;
    }

    private static TestPostgres create() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("cairn-test-postgres-");
            if (root) {
                // The server runs as `postgres` and must own its directory (and reach it: /tmp/... is world-traversable).
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                run(List.of("chown", SYSTEM_USER + ":", dir.toString()), dir, 30);
            }
            TestPostgres server = new TestPostgres(bin, dir, freePort(), root);
            server.initdb();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test PostgreSQL server's directory", e);
        }
    }

    /** The newest server in /usr/lib/postgresql (Debian's layout: the binaries are not on the PATH). */
    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(base) ? Files.list(base) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server in " + base
                            + ": install Debian's postgresql package (scripts/install-prerequisites does)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void initdb() throws IOException {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        if (asSystemUser) {
            run(List.of("chown", SYSTEM_USER + ":", passwordFile.toString()), dir, 30);
        }
        command(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile",
                passwordFile.toString(), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--locale=C", "--no-sync"), 120);
        // A test server: small, quick, and loopback only. fsync off costs nothing on a clean stop (pg_ctl stop
        // checkpoints), which is how the restart tests stop it.
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "max_connections = 200",
                "shared_buffers = 32MB",
                "fsync = off",
                "full_page_writes = off",
                "log_min_messages = warning",
                "log_connections = off",
                ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Starts the server and waits until it accepts connections. */
    public synchronized void start() {
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60",
                "start"), 90);
    }

    /** Stops the server (fast shutdown: sessions are ended, a checkpoint is written), for restart tests. */
    public synchronized void stop() {
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60",
                "stop"), 90);
    }

    /** Stops it if it runs and removes its files. */
    private synchronized void destroy() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } catch (RuntimeException e) {
            System.err.println("test PostgreSQL: " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
    }

    public int port() {
        return port;
    }

    /** A new, empty database on the server, for one test (class). */
    public Database createDatabase() {
        String name = "cairn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on the test PostgreSQL server: "
                    + e.getMessage() + "\n" + log(), e);
        }
        return new Database(url(name), USER, PASSWORD);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no server log)";
        } catch (IOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * A database on the test server.
     *
     * @param url      its JDBC URL (no password in it)
     * @param user     the user to connect as
     * @param password that user's password
     */
    public record Database(String url, String user, String password) {
        /** The lines of {@code cairn.yaml} that point at it. */
        public String yaml() {
            return "catalog_url: " + url + "\ncatalog_user: " + user + "\ncatalog_password: " + password + "\n";
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private void command(List<String> command, long seconds) {
        List<String> full = new ArrayList<>();
        if (asSystemUser) {
            full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        String output = run(full, dir, seconds);
        if (output == null) {
            throw new IllegalStateException("test PostgreSQL: " + String.join(" ", command) + " failed\n" + log());
        }
    }

    /** Runs a command; its output, or null when it failed. */
    private static String run(List<String> command, Path dir, long seconds) {
        try {
            Path out = Files.createTempFile("cairn-test-postgres-", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within " + seconds + " s");
                }
                String output = Files.readString(out);
                if (process.exitValue() != 0) {
                    System.err.println(String.join(" ", command) + ": exit " + process.exitValue() + "\n" + output);
                    return null;
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("test PostgreSQL: cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
