package io.cairn.host.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cairn.api.model.VolumeRef;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.events.OperationEvents;
import java.io.IOException;
import java.nio.file.Path;
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

    /** Metric name -> every label=value of its series, after one event of each kind (failures included). */
    private Map<String, Set<String>> exposed() {
        try (MetricsFixture fixture = new MetricsFixture(root)) {
            fixture.metrics.expect(List.of("lab"), List.of("nightly"));
            fixture.availableBackup("cccc0001-0000-0000-0000-000000000001", "volumes/db1", Instant.now());
            fixture.metrics.backupFailed("lab", new VolumeRef("volumes/db1"), Optional.empty(),
                    OperationEvents.Failure.FAILED);
            fixture.metrics.retentionDeletion("lab", false);
            Map<String, Set<String>> exposed = new HashMap<>();
            for (String line : fixture.scrape().lines().toList()) {
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
    }
}
