package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The example conf/ in the repository stays valid against the Ceph plugin the build produces. */
class ExampleConfTest {

    @Test
    void everyExampleClusterIsValid() throws IOException {
        CliRun run = CliRun.raw("--conf", TestCluster.projectRoot().resolve("conf").toString(), "clusters", "--offline",
                "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode clusters = new ObjectMapper().readTree(run.out());
        assertTrue(clusters.size() > 0, run.out());
        for (JsonNode cluster : clusters) {
            assertTrue(cluster.get("valid").asBoolean(), cluster.toString());
        }
    }

    @Test
    void everyExampleScheduleIsValid() throws IOException {
        CliRun run = CliRun.raw("--conf", TestCluster.projectRoot().resolve("conf").toString(), "schedules", "--offline",
                "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode schedules = new ObjectMapper().readTree(run.out());
        assertTrue(schedules.size() > 0, run.out());
        assertEquals("nightly", schedules.get(0).get("name").asText());
        assertEquals("keep-last 3, keep-daily 7, keep-weekly 4, keep-monthly 6", schedules.get(0).get("retention").asText());
    }
}
