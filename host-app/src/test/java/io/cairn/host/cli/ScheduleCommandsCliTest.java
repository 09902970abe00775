package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn schedules}, {@code cairn prune} and {@code serve}'s configuration check, end to end on the
 * directory test backend: JSON, verdicts with their rules, dry runs that delete nothing, exit codes.
 */
class ScheduleCommandsCliTest {

    @TempDir
    Path root;
    private TestConf conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        for (String name : List.of("volumes/db1", "volumes/web-1", "volumes/web-2", "other/x")) {
            Path file = conf.volumesDir("lab").resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[8192]);
        }
        conf.write("schedules/nightly.yaml", "cluster: lab\nvolumes: [volumes/db1, \"volumes/web-*\"]\n"
                + "cron: \"0 30 2 * * ?\"\ntime_zone: Europe/Berlin\nchain: {full_every: 7}\nretention: {keep_last: 2}\n"
                + "labels: {tier: gold}\n");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    @Test
    void schedulesShowsVolumesSelectedNowTheNextFiringAndRules() throws IOException {
        JsonNode schedule = json(cairn("schedules", "--json")).get(0);
        assertEquals("nightly", schedule.get("name").asText());
        assertEquals("lab", schedule.get("cluster").asText());
        assertEquals("Europe/Berlin", schedule.get("time_zone").asText());
        List<String> resolved = new ArrayList<>();
        schedule.get("resolved_volumes").forEach(v -> resolved.add(v.asText()));
        assertEquals(List.of("volumes/db1", "volumes/web-1", "volumes/web-2"), resolved);
        assertTrue(schedule.get("next_firing").asText().matches("\\d{4}-\\d\\d-\\d\\dT(00|01):30:00Z"),
                "02:30 in Berlin is 00:30 or 01:30 UTC: " + schedule.get("next_firing"));
        assertEquals("full_every 7", schedule.get("chain").asText());
        assertEquals("keep-last 2", schedule.get("retention").asText());
        assertTrue(schedule.get("last_run").isNull());

        JsonNode offline = json(cairn("schedules", "--json", "--offline")).get(0);
        assertTrue(offline.get("resolved_volumes").isNull());
        String text = cairn("schedules").out();
        assertTrue(text.contains("selects now: volumes/db1, volumes/web-1, volumes/web-2"), text);
        assertTrue(text.contains("last run:    never fired"), text);
    }

    @Test
    void pruneListsVerdictsDryRunDeletesNothingAndPruneDeletes() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(json(cairn("backup", "lab", "volumes/db1", "--json")).get("id").asText());
        }
        json(cairn("backup", "lab", "other/x", "--json"));

        JsonNode dry = json(cairn("prune", "nightly", "--dry-run", "--json"));
        assertEquals(1, dry.size(), "only volumes the schedule selects, and only those with backups");
        JsonNode verdicts = dry.get(0).get("backups");
        assertEquals(ids.get(3), verdicts.get(0).get("id").asText(), "newest first");
        assertEquals(List.of("keep", "keep", "remove", "remove"), decisions(verdicts));
        assertEquals("keep-last", verdicts.get(0).get("reason").asText());
        assertEquals("not kept by any rule", verdicts.get(3).get("reason").asText());
        assertEquals(4, json(cairn("list", "--volume", "volumes/db1", "--json")).size(), "a dry run deleted something");
        String text = cairn("prune", "nightly", "--dry-run").out();
        assertTrue(text.contains("keep (keep-last)") && text.contains("remove (not kept by any rule)"), text);
        assertTrue(text.contains("2 kept, 2 would be removed"), text);

        JsonNode pruned = json(cairn("prune", "nightly", "--json"));
        pruned.get(0).get("backups").forEach(b -> assertEquals(b.get("decision").asText().equals("remove"),
                b.get("deleted").asBoolean(), b.toString()));
        JsonNode left = json(cairn("list", "--volume", "volumes/db1", "--json"));
        assertEquals(List.of(ids.get(2), ids.get(3)), List.of(left.get(0).get("id").asText(), left.get(1).get("id").asText()));
        assertEquals(1, json(cairn("list", "--volume", "other/x", "--json")).size(), "pruned a volume the schedule does not select");
    }

    @Test
    void badSchedulesAreExitCodeTwoNamingFileAndKey() {
        conf.write("schedules/broken.yaml", "cluster: lab\nvolumes: ['vol*/db1']\ncron: \"0 30 2 * *\"\n");
        for (String[] command : List.of(new String[] {"serve"}, new String[] {"schedules"},
                new String[] {"prune", "broken", "--dry-run"})) {
            CliRun run = cairn(command);
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("broken.yaml: volumes[0]: 'vol*/db1': patterns are allowed after the last '/' only"),
                    run.err());
            assertTrue(run.err().contains("broken.yaml: cron: '0 30 2 * *' is not a Quartz cron expression"), run.err());
        }
        CliRun unknown = cairn("prune", "weekly");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no schedule named 'weekly' (configured: broken, nightly)"), unknown.err());
    }

    @Test
    void volumesAreCheckedInTheBackendsTermsBeforeAnythingFires() {
        // The directory test backend declares no naming of its own: names with or without a namespace.
        conf.write("schedules/odd.yaml", "cluster: lab\nvolumes: [db1, 'volumes//db2', 'images/*.img']\ncron: \"0 30 2 * * ?\"\n");
        for (String[] command : List.of(new String[] {"serve"}, new String[] {"schedules", "--offline"})) {
            CliRun run = cairn(command);
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("odd.yaml: volumes[1]: 'volumes//db2' has an empty part between '/'"), run.err());
            assertFalse(run.err().contains("volumes[0]"), run.err());
            assertFalse(run.err().contains("volumes[2]"), run.err());
        }
    }

    private static List<String> decisions(JsonNode verdicts) {
        List<String> list = new ArrayList<>();
        verdicts.forEach(v -> list.add(v.get("decision").asText()));
        return list;
    }
}
