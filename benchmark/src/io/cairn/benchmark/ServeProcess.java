package io.cairn.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./cairn serve} for the benchmark: its HTTP endpoint on a free loopback port with a bearer token of its
 * own (added to the conf directory's {@code cairn.yaml}), its log in a file, its schedules fired on request.
 */
final class ServeProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServeProcess(Process process, Path log, int port, String token) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.token = token;
    }

    /**
     * Starts serve on {@code conf} (its schedules written already) and returns once its JSON API answers and its
     * crash recovery at start has ended - as it has long ended when a schedule fires in a serve that runs for days.
     */
    static ServeProcess start(Path root, Path conf, Path log, ChildProcesses children) {
        String token = java.util.UUID.randomUUID().toString().replace("-", "");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            Files.writeString(conf.resolve("cairn.yaml"), "http_listen: 127.0.0.1:" + port + "\nhttp_token: " + token
                    + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(root.resolve("cairn").toString(), "--conf", conf.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        ServeProcess serve;
        try {
            serve = new ServeProcess(children.start(builder), log, port, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!serve.process.isAlive()) {
                throw new IllegalStateException("cairn serve exited (" + serve.process.exitValue() + "); see " + log);
            }
            try {
                serve.get("/api/v1/schedules");
                break;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    serve.process.destroyForcibly();
                    throw new IllegalStateException("cairn serve did not answer within 90 s; see " + log, notYet);
                }
                sleep(200);
            }
        }
        long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < quiet && !serve.logHas("crash recovery: ")) {
            sleep(200);
        }
        sleep(1000);
        return serve;
    }

    /**
     * Runs a schedule now and waits for its firing to end.
     *
     * @return the firing as {@code GET /api/v1/firings} shows it
     * @throws IllegalStateException when it did not end within {@code limit} or ended other than {@code ok}
     */
    JsonNode fire(String schedule, Duration limit) {
        Instant asked = Instant.now();
        post("/api/v1/schedules/" + schedule + "/run");
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode recent = get("/api/v1/firings?schedule=" + schedule + "&limit=1");
            JsonNode firing = recent.size() == 0 ? null : recent.get(0);
            if (firing != null && !Instant.parse(firing.path("fired_at").asText()).isBefore(asked.minusSeconds(1))
                    && !firing.path("status").asText().equals("running")) {
                if (!firing.path("status").asText().equals("ok")) {
                    throw new IllegalStateException("the firing of " + schedule + " ended " + firing + "; see " + log);
                }
                return firing;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the firing of " + schedule + " did not end within " + limit
                        + (process.isAlive() ? "" : " (serve exited)") + "; see " + log);
            }
            sleep(100);
        }
    }

    /** The largest resident set size the serve process has had so far (its JVM: the launcher execs it). */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM for cairn serve (pid " + process.pid() + ")");
    }

    private boolean logHas(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, as an operator stops it; SIGKILL after 60 s. */
    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("cairn serve did not stop within 60 s of SIGTERM; killed it");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .GET().build());
    }

    private JsonNode post(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + ": " + response.statusCode()
                        + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
