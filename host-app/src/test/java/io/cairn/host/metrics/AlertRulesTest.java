package io.cairn.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cairn.api.model.VolumeRef;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import io.cairn.host.events.OperationEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/prometheus/cairn-alerts.yaml} parses as Prometheus rule groups, every rule has an alert name,
 * an expression and a summary, and every {@code cairn_} metric an expression names - with every label
 * and label value it matches on - is one {@code cairn serve} exposes.
 */
class AlertRulesTest {

    private static final Pattern SELECTOR = Pattern.compile("\\b(cairn_[a-z_]+)(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|=|!=|!~)\\s*\"([^\"]*)\"");
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{([^}]*)})? ");

    @TempDir
    Path root;

    @Test
    void everyRuleNamesMetricsAndLabelsThatExist() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(TestCluster.projectRoot().resolve("conf/prometheus/cairn-alerts.yaml").toFile());
        Map<String, Set<String>> exposed = exposed();
        List<String> checked = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            assertTrue(group.hasNonNull("name"), group.toString());
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.path("alert").asText();
                assertFalse(alert.isEmpty(), rule.toString());
                assertFalse(rule.path("expr").asText().isBlank(), alert);
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + " has no summary");
                Matcher selector = SELECTOR.matcher(rule.get("expr").asText());
                while (selector.find()) {
                    String metric = selector.group(1);
                    assertTrue(exposed.containsKey(metric), alert + ": cairn serve exposes no " + metric + "; it has "
                            + exposed.keySet());
                    Matcher matcher = MATCHER.matcher(selector.group(3) == null ? "" : selector.group(3));
                    while (matcher.find()) {
                        for (String value : matcher.group(3).split("\\|")) {
                            String pair = matcher.group(1) + "=" + value;
                            assertTrue(exposed.get(metric).contains(pair), alert + ": " + metric + " has no series with "
                                    + pair + "; it has " + exposed.get(metric));
                        }
                    }
                    checked.add(alert + ": " + metric);
                }
            }
        }
        assertTrue(checked.size() >= 6, "the rules name cairn metrics: " + checked);
    }

    /**
     * Prometheus' own tool (Debian's {@code prometheus} package, which {@code scripts/install-prerequisites}
     * installs for the tests) accepts the rules - their PromQL included, which the test above does not parse - and
     * a scrape of serve's metrics, lint included (names, units, help texts).
     */
    @Test
    void promtoolAcceptsTheRulesAndAScrape() {
        Path rules = TestCluster.projectRoot().resolve("conf/prometheus/cairn-alerts.yaml");
        String checked = promtool("", "check", "rules", rules.toString());
        assertTrue(checked.contains("SUCCESS"), checked);
        promtool(scrape(), "check", "metrics");
    }

    /** Runs promtool with {@code input} on its stdin; what it said, or the test fails showing it. */
    private static String promtool(String input, String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Command.Result result = Command.of(command).timeout(Duration.ofSeconds(60)).input(stdin -> {
            try {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).run();
        String said = result.stdout() + result.stderr();
        assertEquals(0, result.exitCode(), String.join(" ", command) + " refused it (promtool comes with Debian's"
                + " prometheus package, which scripts/install-prerequisites installs):\n" + said);
        return said;
    }

    /** Metric name -> every label=value of its series, after one event of each kind (failures included). */
    private Map<String, Set<String>> exposed() {
        Map<String, Set<String>> exposed = new HashMap<>();
        for (String line : scrape().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = exposed.computeIfAbsent(sample.group(1), name -> new HashSet<>());
            Matcher label = MATCHER.matcher(sample.group(3) == null ? "" : sample.group(3));
            while (label.find()) {
                labels.add(label.group(1) + "=" + label.group(3));
            }
        }
        return exposed;
    }

    /** A scrape after one event of each kind (failures included). */
    private String scrape() {
        try (MetricsFixture fixture = new MetricsFixture(root)) {
            fixture.metrics.expect(List.of("lab"), List.of("nightly"));
            fixture.availableBackup("cccc0001-0000-0000-0000-000000000001", "volumes/db1", Instant.now());
            fixture.metrics.backupFailed("lab", new VolumeRef("volumes/db1"), Optional.empty(),
                    OperationEvents.Failure.FAILED);
            fixture.metrics.retentionDeletion("lab", false);
            return fixture.scrape();
        }
    }
}
