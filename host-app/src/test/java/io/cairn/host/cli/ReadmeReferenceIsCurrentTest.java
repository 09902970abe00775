package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The option tables in README.md are the ones {@code cairn reference} generates from the declarations
 * (the host's, the schedule files', and the shipped plugins' as built): change a declaration and this
 * test says to regenerate them.
 */
class ReadmeReferenceIsCurrentTest {

    @Test
    void everyGeneratedTableIsInTheReadmeAsGenerated() throws IOException {
        CliRun run = CliRun.raw("--conf", TestCluster.projectRoot().resolve("conf").toString(), "reference");
        assertEquals(0, run.exitCode(), run.toString());
        String readme = Files.readString(TestCluster.projectRoot().resolve("README.md"));
        List<String> tables = tables(run.out());
        assertEquals(6, tables.size(), "cairn.yaml, chain, retention, verify, the blockstore and the ceph backend: "
                + run.out());
        for (String table : tables) {
            assertTrue(readme.contains(table), "README.md lacks this generated table (run ./cairn reference and"
                    + " paste it):\n" + table);
        }
    }

    /** The Markdown tables in a text: runs of lines that start with '|'. */
    private static List<String> tables(String markdown) {
        List<String> tables = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                current.append(line).append('\n');
            } else if (current.length() > 0) {
                tables.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            tables.add(current.toString());
        }
        return tables;
    }
}
