package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.HeadlessChromium;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code ./cairn serve} on a real Ceph cluster, watched and driven over HTTP as an operator would:
 * runs without the token are refused and with it start a firing and a one-off backup; the metrics count
 * the backups made (and the one that failed), and - from the catalog - a restore and verifies run by the CLI
 * beside serve and the backup a verify found corrupt; the API lists what {@code cairn list --json} lists; the
 * dashboard, loaded by headless Chromium, renders the volume and its backups with the failure first;
 * the token appears in no log line and no response. Then SIGTERM stops serve with exit code 0.
 */
class ServeHttpOnCephIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\S+) (\\S+)$");

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> answers = new ArrayList<>();
    private String url;

    @Test
    void serveIsWatchedAndDrivenOverHttp() throws Exception {
        String tag = "http" + UUID.randomUUID().toString().substring(0, 6);
        String image = "volumes/" + tag + "-a";
        String missing = "volumes/" + tag + "-missing";
        ceph.rbd("create", image, "--size", "64M");
        write(image, "8M");
        TestConf conf = CephTestConf.lab(root, ceph);
        Path yaml = conf.dir().resolve("cairn.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "http_token: " + TOKEN + "\n");
        conf.write("schedules/manual.yaml", "cluster: lab\nvolumes: [" + image + "]\ncron: \"0 0 3 1 1 ? 2099\"\n"
                + "retention: {keep_last: 5}\n");

        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve.log")).awaitServing(120)) {
            url = serve.httpUrl();
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            waitFor("healthy", Duration.ofSeconds(30), () -> get("/healthz").statusCode() == 200);

            // Without the token, or with a wrong one: refused, nothing fires.
            assertEquals(401, post("/api/v1/schedules/manual/run", "", null).statusCode());
            assertEquals(401, post("/api/v1/schedules/manual/run", "", "Bearer not-" + TOKEN).statusCode());
            assertEquals(401, post("/api/v1/backups", body(image), null).statusCode());
            assertEquals(0, json(get("/api/v1/firings")).size());

            // With it: a firing of the schedule (a full backup), then a one-off incremental.
            assertEquals(202, post("/api/v1/schedules/manual/run", "", "Bearer " + TOKEN).statusCode());
            waitFor("the requested firing", Duration.ofSeconds(120), () -> {
                JsonNode firings = json(get("/api/v1/firings?schedule=manual"));
                return firings.size() == 1 && firings.get(0).get("status").asText().equals("ok");
            });
            write(image, "1M");
            HttpResponse<String> started = post("/api/v1/backups", body(image), "Bearer " + TOKEN);
            assertEquals(202, started.statusCode(), started.body());
            String id = json(started).get("id").asText();
            waitFor("backup " + id, Duration.ofSeconds(120),
                    () -> json(get("/api/v1/backups/" + id)).path("status").asText().equals("available"));
            assertEquals("incremental", json(get("/api/v1/backups/" + id)).get("kind").asText());
            // A backup of a volume that does not exist fails, and is recorded and counted as failed.
            String failedId = json(post("/api/v1/backups", body(missing), "Bearer " + TOKEN)).get("id").asText();
            waitFor("the failed backup " + failedId, Duration.ofSeconds(120),
                    () -> json(get("/api/v1/backups/" + failedId)).path("status").asText().equals("error"));

            // The API lists what cairn list --json lists.
            CliRun list = CliRun.of(conf, "list", "--json");
            assertEquals(0, list.exitCode(), list.toString());
            JsonNode listed = JSON.readTree(list.out());
            assertEquals(3, listed.size(), listed.toString());
            assertEquals(listed, json(get("/api/v1/backups")).get("items"));
            assertEquals(listed.get(0), json(get("/api/v1/backups?volume=" + image + "&limit=1")).get("items").get(0));

            // The metrics count them.
            String metrics = get("/metrics").body();
            assertEquals(1.0, sample(metrics, "cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"success\"}"));
            assertEquals(1.0, sample(metrics,
                    "cairn_backups_total{cluster=\"lab\",kind=\"incremental\",outcome=\"success\"}"));
            assertEquals(1.0, sample(metrics, "cairn_backups_total{cluster=\"lab\",kind=\"full\",outcome=\"failed\"}"));
            assertEquals(1.0, sample(metrics, "cairn_schedule_firings_total{result=\"ok\",schedule=\"manual\"}"));
            assertEquals(2.0, sample(metrics, "cairn_backup_duration_seconds_count{cluster=\"lab\",kind=\"full\"}")
                    + sample(metrics, "cairn_backup_duration_seconds_count{cluster=\"lab\",kind=\"incremental\"}"));
            double newest = sample(metrics, "cairn_volume_last_backup_timestamp_seconds{cluster=\"lab\",volume=\""
                    + image + "\"}");
            assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - newest) < 600, "newest backup at " + newest);
            assertEquals(1.0, sample(metrics, "cairn_up{part=\"catalog\"}"));
            assertEquals(1.0, sample(metrics, "cairn_up{part=\"scheduler\"}"));
            long jars;
            try (var files = Files.list(TestCluster.projectRoot().resolve("plugins"))) {
                jars = files.filter(f -> f.toString().endsWith(".jar")).count();
            }
            assertEquals(jars, sample(metrics, "cairn_plugins{state=\"loaded\"}"), "every plugin JAR loads");
            assertEquals(0.0, sample(metrics, "cairn_plugins{state=\"refused\"}"));
            assertEquals(0.0, sample(metrics, "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
            assertEquals(0.0, sample(metrics, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
            assertEquals(0.0, sample(metrics, "cairn_catalog_backups{cluster=\"lab\",status=\"corrupt\"}"));

            // A restore and a verify run by the CLI - processes of their own, beside serve - are in the next scrape.
            String fullId = listed.get(0).get("id").asText();
            String target = image + "-restored";
            CliRun restore = CliRun.of(conf, "restore", id, target, "--json", "-q");
            assertEquals(0, restore.exitCode(), restore.toString());
            long restored = JSON.readTree(restore.out()).get("bytes_written").asLong();
            assertTrue(restored > 0, restore.out());
            CliRun verify = CliRun.of(conf, "verify", fullId, "--json");
            assertEquals(0, verify.exitCode(), verify.toString());
            assertEquals("intact", JSON.readTree(verify.out()).get(0).get("result").asText(), verify.out());
            String afterCli = get("/metrics").body();
            assertEquals(1.0, sample(afterCli,
                    "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"));
            assertTrue(sample(afterCli, "cairn_restore_duration_seconds_sum{cluster=\"lab\",outcome=\"success\"}") > 0);
            assertEquals(1.0, sample(afterCli, "cairn_restore_written_bytes_count{cluster=\"lab\"}"));
            assertEquals((double) restored, sample(afterCli, "cairn_restore_written_bytes_sum{cluster=\"lab\"}"));
            assertEquals(1.0, sample(afterCli, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
            double intactAt = sample(afterCli, "cairn_last_intact_verify_timestamp_seconds{cluster=\"lab\"}");
            assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - intactAt) < 600, "intact verify at " + intactAt);
            ceph.rbd("rm", "--no-progress", target);

            // An object of the incremental's base image overwritten behind Cairn's back: cairn verify finds the
            // damage, and the next scrape counts the corrupt verify and the corrupt backup.
            String base = "backups/" + json(get("/api/v1/backups/" + id)).get("service_metadata").get("base").asText();
            Path garbage = root.resolve("garbage");
            byte[] junk = new byte[4096];
            new Random(7).nextBytes(junk);
            Files.write(garbage, junk);
            ceph.rados("-p", "backups", "put", "--offset", "8192", TestCluster.dataObject(ceph.imageId(base), 3),
                    garbage.toString());
            CliRun caught = CliRun.of(conf, "verify", id, "--json");
            assertEquals(1, caught.exitCode(), caught.toString());
            assertEquals("corrupt", JSON.readTree(caught.out()).get(0).get("status").asText(), caught.out());
            String afterDamage = get("/metrics").body();
            assertEquals(1.0, sample(afterDamage, "cairn_verifies_total{cluster=\"lab\",result=\"corrupt\"}"));
            assertEquals(1.0, sample(afterDamage, "cairn_verifies_total{cluster=\"lab\",result=\"intact\"}"));
            assertEquals(1.0, sample(afterDamage, "cairn_catalog_backups{cluster=\"lab\",status=\"corrupt\"}"));
            assertEquals(1.0, sample(afterDamage,
                    "cairn_restore_duration_seconds_count{cluster=\"lab\",outcome=\"success\"}"), "counted once");
            assertEquals("corrupt", json(get("/api/v1/backups/" + id)).get("status").asText());

            // The dashboard in a real browser: the failing volume first, then the volume with both backups.
            HeadlessChromium chromium = new HeadlessChromium(root);
            String dom = chromium.dumpDom(url + "/", 8000);
            answers.add(dom);
            assertTrue(dom.contains("data-loaded=\"true\""), "the dashboard's script did not finish:\n" + dom);
            int failingAt = dom.indexOf("data-volume=\"" + missing + "\"");
            int volumeAt = dom.indexOf("data-volume=\"" + image + "\"");
            assertTrue(failingAt > 0 && volumeAt > failingAt, "failing volume first, then " + image + ":\n" + dom);
            for (JsonNode backup : listed) {
                assertTrue(dom.contains("data-backup-id=\"" + backup.get("id").asText() + "\""), backup + "\n" + dom);
            }
            assertTrue(dom.contains("the newest backup failed"), dom);
            // The corrupt backup is flagged, and its volume is named among what needs attention.
            Matcher flagged = Pattern.compile("data-backup-id=\"" + id + "\"[^>]*data-status=\"corrupt\"").matcher(dom);
            assertTrue(flagged.find(), "the corrupt backup is not flagged:\n" + dom);
            assertTrue(dom.contains(image + ": 1 corrupt backup"), dom);
            assertTrue(dom.contains("data-schedule=\"manual\""), dom);
            Path png = chromium.screenshot(url + "/", root.resolve("dashboard.png"), 1280, 900, 8000);
            Files.copy(png, TestCluster.projectRoot().resolve("host-app/target/serve-dashboard.png"),
                    StandardCopyOption.REPLACE_EXISTING);

            assertEquals(0, serve.terminate(120), "SIGTERM exit code\n" + serve.log());
            assertTrue(serve.log().contains("cairn: stopped"), serve.log());
            assertFalse(serve.log().contains(TOKEN), "the token is in the log:\n" + serve.log());
        }
        assertFalse(answers.isEmpty());
        answers.forEach(answer -> assertFalse(answer.contains(TOKEN), "the token is in an answer: " + answer));
    }

    private static String body(String volume) {
        return "{\"cluster\": \"lab\", \"volume\": \"" + volume + "\"}";
    }

    private void write(String image, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "64K", "--io-total", total, image);
    }

    private static double sample(String metrics, String series) {
        Matcher line = SAMPLE.matcher(metrics);
        while (line.find()) {
            if (line.group(1).equals(series)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no " + series + " in\n" + metrics);
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private HttpResponse<String> post(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
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
            answers.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
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
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
