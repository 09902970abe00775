package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn plan}: what a schedule's firing would do now, per volume, from the catalog's histories. */
class PlanCommandCliTest {

    @TempDir
    Path root;

    private TestConf conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        for (String name : new String[] {"volumes/db1", "volumes/db2", "volumes/web-1"}) {
            Path file = conf.volumesDir("lab").resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[8192]);
        }
    }

    @Test
    void eachVolumeIsPlannedAsTheFiringWouldWithoutBackingAnythingUp() throws IOException {
        conf.write("schedules/nightly.yaml", "cluster: lab\nvolumes: [volumes/db1, volumes/db2, \"volumes/web-*\"]\n"
                + "cron: \"0 0 3 * * ?\"\nchain: {full_every: 2}\n");
        assertEquals(0, CliRun.of(conf, "backup", "lab", "volumes/db1").exitCode());
        assertEquals(0, CliRun.of(conf, "backup", "lab", "volumes/db2").exitCode());
        assertEquals(0, CliRun.of(conf, "backup", "lab", "volumes/db2").exitCode());

        CliRun run = CliRun.of(conf, "plan", "nightly", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode plan = new ObjectMapper().readTree(run.out());
        JsonNode volumes = plan.get("volumes");
        assertEquals(3, volumes.size(), plan.toString());
        assertEquals("volumes/db1", volumes.get(0).get("volume").asText());
        assertEquals("incremental", volumes.get(0).get("kind").asText());
        assertEquals("full", volumes.get(1).get("kind").asText());
        assertTrue(volumes.get(1).get("reason").asText().contains("reached full_every 2"), volumes.toString());
        assertEquals("volumes/web-1", volumes.get(2).get("volume").asText(), "resolved from the pattern");
        assertTrue(volumes.get(2).get("reason").asText().contains("no available backup"), volumes.toString());

        CliRun text = CliRun.of(conf, "plan", "nightly");
        assertTrue(text.out().startsWith("schedule nightly on cluster lab, if it fired now: 3 volumes, 2 full, 1 incremental"),
                text.out());
        assertEquals(3, CliRun.of(conf, "list", "--json").out().split("\"id\"").length - 1, "nothing was backed up");

        CliRun unknown = CliRun.of(conf, "plan", "weekly");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no schedule 'weekly'"), unknown.err());
    }
}
