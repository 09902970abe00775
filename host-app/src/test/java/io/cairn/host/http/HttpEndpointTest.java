package io.cairn.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.host.Host;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.HttpSettings;
import io.cairn.host.metrics.CairnMetrics;
import io.cairn.host.metrics.CatalogActivity;
import io.cairn.host.metrics.HealthCheck;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.ScheduleService;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import io.cairn.host.view.BackupView;
import io.cairn.host.view.JsonStyle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoint in process, over real HTTP, on the real scheduler, catalog and metrics, with the
 * directory test backend (no Ceph: {@code ServeHttpOnCephIT} does the same end to end on a real cluster):
 * the token guards the POSTs, a fired schedule and a one-off backup show in the API and the metrics,
 * lists page and filter, errors are JSON, health turns 503 when the scheduler stops or the catalog goes,
 * and the token is in no answer.
 */
class HttpEndpointTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every answer's status line, headers and body, to look for the token in. */
    private final List<String> seen = new ArrayList<>();
    private Host host;
    private ScheduleService service;
    private HealthCheck health;
    private CairnMetrics metrics;
    private HttpEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        TestConf conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        Path volume = conf.volumesDir("lab").resolve("volumes/db1");
        Files.createDirectories(volume.getParent());
        Files.write(volume, new byte[64 * 1024]);
        conf.write("schedules/manual.yaml", "cluster: lab\nvolumes: [\"volumes/*\"]\ncron: \"0 0 3 1 1 ? 2099\"\n"
                + "retention: {keep_last: 1}\n");
        host = Host.open(conf.dir());
        List<Schedule> schedules = ScheduleFileReader.readAll(ConfDirectory.at(conf.dir()));
        AtomicReference<ScheduleService> running = new AtomicReference<>();
        health = new HealthCheck(host.database()::check, () -> running.get().problem(), Duration.ofSeconds(5));
        metrics = new CairnMetrics(host.catalog(), new CatalogActivity(host.restoreLog(), host.verifyLog(),
                java.time.Instant.now(), Duration.ofSeconds(5)), health, host::backends);
        metrics.expect(List.of("lab"), List.of("manual"));
        host.events().subscribe(metrics);
        service = host.serve(schedules);
        running.set(service);
        endpoint = start(Optional.of(TOKEN));
    }

    private HttpEndpoint start(Optional<String> token) {
        HttpSettings settings = new HttpSettings(Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                token);
        RetentionPreview retention = new RetentionPreview(service::schedules, host::cluster, host.pruner());
        return new HttpEndpoint(settings, host.catalog(), host.setCatalog(), host.runLog(), service, retention,
                metrics, health).start();
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
        service.stop();
        health.close();
        host.close();
    }

    @Test
    void runsNeedTheTokenAndWhatTheyStartShowsInTheApiAndTheMetrics() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        assertEquals("ok", json(get("/healthz")).get("status").asText());

        // Refused without the token, with a wrong one, and with the token in the wrong scheme.
        for (String authorization : new String[] {null, "Bearer wrong-token-0123456789", "Basic " + TOKEN, TOKEN}) {
            HttpResponse<String> refused = post("/api/v1/schedules/manual/run", "", authorization);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("Bearer realm=\"cairn\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            assertTrue(json(refused).get("error").asText().contains("Authorization: Bearer"), refused.body());
            assertEquals(401, post("/api/v1/backups", "{\"cluster\":\"lab\",\"volume\":\"volumes/db1\"}",
                    authorization).statusCode());
        }
        assertEquals(List.of(), host.catalog().list(BackupFilter.all()), "a refused request started nothing");

        HttpResponse<String> fired = post("/api/v1/schedules/manual/run", "", "Bearer " + TOKEN);
        assertEquals(202, fired.statusCode(), fired.body());
        assertEquals("requested", json(fired).get("status").asText());
        waitFor("the requested firing", () -> firings().size() == 1 && firings().get(0).get("status").asText().equals("ok"));
        assertEquals(1, host.catalog().list(BackupFilter.all()).size());

        HttpResponse<String> started = post("/api/v1/backups", "{\"cluster\":\"lab\",\"volume\":\"volumes/db1\","
                + "\"labels\":{\"why\":\"before upgrade\"}}", "bearer " + TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        String id = json(started).get("id").asText();
        assertEquals("/api/v1/backups/" + id, started.headers().firstValue("Location").orElse(""));
        waitFor("backup " + id, () -> {
            HttpResponse<String> one = get("/api/v1/backups/" + id);
            return one.statusCode() == 200 && json(one).get("status").asText().equals("available");
        });
        JsonNode backup = json(get("/api/v1/backups/" + id.substring(0, 8)));
        assertEquals("incremental", backup.get("kind").asText());
        assertEquals("before upgrade", backup.get("labels").get("why").asText());

        // The API's backups are cairn list --json's: the same records, the same fields.
        ObjectMapper style = JsonStyle.mapper();
        JsonNode expected = style.readTree(style.writeValueAsString(host.catalog().list(BackupFilter.all()).stream()
                .map(BackupView::of).toList()));
        JsonNode page = json(get("/api/v1/backups"));
        assertEquals(expected, page.get("items"));
        assertEquals(2, page.get("total").asInt());

        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"success\"} 1"), metrics);
        assertTrue(metrics.contains("cairn_backups_total{cluster=\"lab\",kind=\"incremental\",outcome=\"success\"} 1"),
                metrics);
        assertTrue(metrics.contains("cairn_backups_total{cluster=\"lab\",kind=\"unknown\",outcome=\"busy\"} 0"), metrics);
        assertTrue(metrics.contains("cairn_schedule_firings_total{result=\"ok\",schedule=\"manual\"} 1"), metrics);
        assertTrue(metrics.contains("cairn_backup_duration_seconds_count{cluster=\"lab\",kind=\"full\"} 1"), metrics);
        assertTrue(metrics.contains("cairn_volume_last_backup_timestamp_seconds{cluster=\"lab\",volume=\"volumes/db1\"} "),
                metrics);
        assertTrue(metrics.contains("cairn_up{part=\"catalog\"} 1"), metrics);
        assertTrue(metrics.contains("cairn_plugins{state=\"loaded\"} 1"), metrics);
        assertFalse(metrics.contains(id), "no backup id is a label");

        // The volume with its chain; keep_last 1 keeps the newest and would remove the full one.
        JsonNode volumes = json(get("/api/v1/volumes"));
        assertEquals(1, volumes.size(), volumes.toString());
        JsonNode volume = volumes.get(0);
        assertEquals("volumes/db1", volume.get("volume").asText());
        assertEquals("manual", volume.get("schedule").asText());
        assertEquals(2, volume.get("chains").get(0).get("backups").size());
        assertEquals("keep", volume.get("retention").get(id).get("decision").asText());
        String full = volume.get("chains").get(0).get("backups").get(0).get("id").asText();
        assertEquals("remove", volume.get("retention").get(full).get("decision").asText(), volume.toString());

        JsonNode schedules = json(get("/api/v1/schedules"));
        assertEquals("manual", schedules.get(0).get("name").asText());
        assertEquals("2099-01-01T03:00:00Z", schedules.get(0).get("next_firing").asText());
        assertEquals("ok", schedules.get(0).get("last_run").get("status").asText());

        assertTokenNeverSeen();
    }

    @Test
    void listsPageAndFilterAndBadRequestsAreJsonErrors() throws Exception {
        for (int i = 0; i < 3; i++) {
            String id = json(post("/api/v1/backups", "{\"cluster\":\"lab\",\"volume\":\"volumes/db1\",\"full\":true}",
                    "Bearer " + TOKEN)).get("id").asText();
            waitFor("backup " + id, () -> json(get("/api/v1/backups/" + id)).path("status").asText().equals("available"));
        }
        JsonNode page = json(get("/api/v1/backups?limit=2&offset=1"));
        assertEquals(3, page.get("total").asInt());
        assertEquals(2, page.get("items").size());
        assertEquals(1, page.get("offset").asInt());
        assertEquals(json(get("/api/v1/backups")).get("items").get(1), page.get("items").get(0));
        assertEquals(3, json(get("/api/v1/backups?cluster=lab&volume=volumes/db1&status=available")).get("total").asInt());
        assertEquals(0, json(get("/api/v1/backups?cluster=other")).get("total").asInt());
        assertEquals(0, json(get("/api/v1/backups?status=error")).get("total").asInt());
        json(get("/api/v1/backups")).get("items").forEach(b -> assertEquals("full", b.get("kind").asText()));

        assertError(get("/api/v1/backups?status=fine"), 400, "status 'fine' is none of");
        assertError(get("/api/v1/backups?limit=0"), 400, "limit must be a whole number from 1 to 1000");
        assertError(get("/api/v1/backups?offset=-1"), 400, "offset must be a whole number");
        assertError(get("/api/v1/backups/ffffffff-0000"), 404, "no backup 'ffffffff-0000'");
        assertError(post("/api/v1/schedules/nightly/run", "", "Bearer " + TOKEN), 404, "no schedule named nightly");
        assertError(post("/api/v1/backups", "{\"cluster\":\"lab\"", "Bearer " + TOKEN), 400, "not the JSON");
        assertError(post("/api/v1/backups", "{\"cluster\":\"lab\",\"volume\":\"v/x\",\"colour\":1}", "Bearer " + TOKEN),
                400, "colour");
        assertError(post("/api/v1/backups", "{\"volume\":\"volumes/db1\"}", "Bearer " + TOKEN), 400, "give the cluster");
        assertError(post("/api/v1/backups", "{\"cluster\":\"nope\",\"volume\":\"volumes/db1\"}", "Bearer " + TOKEN), 400,
                "no cluster named 'nope'");
        assertError(post("/api/v1/backups", "{\"cluster\":\"lab\",\"volume\":\"volumes/db1\",\"labels\":{\"schedule\":\"x\"}}",
                "Bearer " + TOKEN), 400, "reserved");
        assertEquals(3, host.catalog().list(BackupFilter.all()).size(), "no refused request started a backup");
        assertTokenNeverSeen();
    }

    @Test
    void theDashboardIsServedWithItsFilesAndNothingElse() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(page.body().contains("/assets/dashboard.js"), page.body());
        assertEquals(200, get("/assets/dashboard.js").statusCode());
        assertTrue(get("/assets/dashboard.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertEquals(404, get("/assets/..%2Fcairn.yaml").statusCode());
        assertEquals(404, get("/assets/index.htm").statusCode());
    }

    @Test
    void withoutATokenInCairnYamlEveryPostIsRefused() throws Exception {
        endpoint.close();
        endpoint = start(Optional.empty());
        assertError(post("/api/v1/schedules/manual/run", "", "Bearer anything-at-all-000000"), 401, "no http_token");
        assertError(post("/api/v1/backups", "{}", null), 401, "no http_token");
        assertEquals(200, get("/api/v1/backups").statusCode(), "reading needs no token");
    }

    @Test
    void healthTurnsUnhealthyWithAReasonWhenTheSchedulerStopsOrTheCatalogGoes() throws Exception {
        service.stop();
        HttpResponse<String> stopping = get("/healthz");
        assertEquals(503, stopping.statusCode(), stopping.body());
        assertEquals("scheduler: stopping", json(stopping).get("reason").asText());
        assertError(post("/api/v1/schedules/manual/run", "", "Bearer " + TOKEN), 503, "stopping");

        host.database().close();
        JsonNode down = json(get("/healthz"));
        assertEquals("unhealthy", down.get("status").asText());
        assertTrue(down.get("checks").get("catalog").asText().contains("cannot check the connection in catalog"),
                down.toString());
        assertTrue(get("/metrics").body().contains("cairn_up{part=\"catalog\"} 0"));
        assertEquals(503, get("/api/v1/backups").statusCode());
    }

    @Test
    void anAddressInUseIsNamed() {
        HttpSettings taken = new HttpSettings(Optional.of(endpoint.address()), Optional.empty());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new HttpEndpoint(taken, host.catalog(), host.setCatalog(), host.runLog(), service,
                        new RetentionPreview(service::schedules, host::cluster, host.pruner()),
                        metrics, health).start());
        assertTrue(e.getMessage().startsWith("cannot listen on " + HttpSettings.text(endpoint.address())
                + " (http_listen in cairn.yaml): "), e.getMessage());
    }

    private List<JsonNode> firings() {
        List<JsonNode> all = new ArrayList<>();
        json(get("/api/v1/firings?schedule=manual")).forEach(all::add);
        return all;
    }

    private void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(json(response).get("error").asText().contains(message), response.body());
    }

    private void assertTokenNeverSeen() {
        assertFalse(seen.isEmpty());
        seen.forEach(answer -> assertFalse(answer.contains(TOKEN), answer));
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).GET());
    }

    private HttpResponse<String> post(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            assertNotNull(node, response.body());
            return node;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
