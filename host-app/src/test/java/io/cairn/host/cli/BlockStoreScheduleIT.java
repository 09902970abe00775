package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn serve} with the shipped block store plugin: a schedule over the backend's own volume names
 * ({@code vm1.img} and {@code images/*.img}) fires every two seconds; every selected volume - and no other
 * file - is backed up in chains, retention keeps two per volume, and the newest backup of each restores
 * byte for byte.
 */
class BlockStoreScheduleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aScheduleOverTheBackendsOwnNamesBacksUpEachSelectedVolume() throws Exception {
        TestConf conf = TestConf.in(root);
        conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\ndata_dir: "
                + root.resolve("data") + "\n" + TestConf.FREE_PORT);
        Path volumes = root.resolve("nas/images");
        Files.createDirectories(volumes.resolve("images"));
        Map<String, byte[]> content = new LinkedHashMap<>();
        Random random = new Random(7);
        for (String name : List.of("vm1.img", "images/vm2.img", "images/vm3.img")) {
            byte[] data = new byte[512 * 1024];
            random.nextBytes(data);
            Files.write(volumes.resolve(name), data);
            content.put(name, data);
        }
        Files.writeString(volumes.resolve("images/readme.txt"), "not an image");
        conf.cluster("nas", "plugin: blockstore\noptions:\n  volumes_dir: " + volumes + "\n  store_dir: "
                + root.resolve("nas/store") + "\n  chunk_size: 64KiB\n");
        conf.write("schedules/often.yaml", "cluster: nas\nvolumes: [vm1.img, 'images/*.img']\ncron: \"0/2 * * * * ?\"\n"
                + "chain: {full_every: 3}\nretention: {keep_last: 2}\n");

        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve.log")).awaitServing(120)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!everyVolumeHasAnIncremental(conf, content.keySet())) {
                assertTrue(serve.isAlive(), "cairn serve ended early:\n" + serve.log());
                assertTrue(System.currentTimeMillis() < deadline, "no incremental of every volume in 60 s:\n" + serve.log());
                Thread.sleep(500);
            }
            assertEquals(0, serve.terminate(120), "SIGTERM exit code\n" + serve.log());
        }

        JsonNode all = list(conf, "--all");
        List<String> backedUp = new ArrayList<>();
        all.forEach(b -> backedUp.add(b.get("volume").asText()));
        assertTrue(backedUp.stream().allMatch(content::containsKey), "backed up what the schedule does not select: " + backedUp);
        for (String volume : content.keySet()) {
            JsonNode available = list(conf, "--volume", volume);
            assertTrue(available.size() >= 1 && available.size() <= 2, "retention keep_last 2 left " + available.size()
                    + " backups of " + volume);
            String newest = available.get(available.size() - 1).get("id").asText();
            String target = "restored/" + volume.replace('/', '-');
            CliRun restore = CliRun.of(conf, "restore", newest, target);
            assertEquals(0, restore.exitCode(), restore.toString());
            assertArrayEquals(content.get(volume), Files.readAllBytes(volumes.resolve(target)), "restore of " + volume);
        }
    }

    private static boolean everyVolumeHasAnIncremental(TestConf conf, Iterable<String> volumes) throws IOException {
        for (String volume : volumes) {
            boolean incremental = false;
            for (JsonNode backup : list(conf, "--all", "--volume", volume)) {
                incremental |= backup.get("kind").asText().equals("incremental") && backup.get("status").asText().equals("available");
            }
            if (!incremental) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode list(TestConf conf, String... filters) throws IOException {
        List<String> args = new ArrayList<>(List.of("list", "--json"));
        args.addAll(List.of(filters));
        CliRun run = CliRun.of(conf, args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out());
    }
}
