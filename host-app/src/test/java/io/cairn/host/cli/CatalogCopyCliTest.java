package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import io.cairn.host.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn catalog copy}: the embedded catalog moved to a real PostgreSQL database and back, every record
 * intact (compared as {@code cairn list --all --json} prints them); a non-empty target refused unless replaced;
 * a catalog with a running backup refused; an earlier version's H2 catalog moved to the embedded one.
 */
class CatalogCopyCliTest {

    @TempDir
    Path root;

    private TestConf conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        for (String name : new String[] {"volumes/db1", "volumes/db2"}) {
            Path file = conf.volumesDir("lab").resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[32 * 1024]);
        }
    }

    private CliRun cairn(String... args) {
        CliRun run = CliRun.of(conf, args);
        assertEquals(0, run.exitCode(), run.toString());
        return run;
    }

    private Path passwordFile(TestPostgres.Database database) throws IOException {
        Path file = root.resolve("pg-password");
        Files.writeString(file, database.password() + "\n");
        return file;
    }

    @Test
    void theEmbeddedCatalogMovesToPostgreSqlAndBackWithEveryRecord() throws IOException {
        cairn("backup", "lab", "volumes/db1", "--label", "env=test");
        cairn("backup", "lab", "volumes/db1");
        String deleted = cairn("backup", "lab", "volumes/db2", "--json").out().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");
        cairn("delete", deleted);
        String before = cairn("list", "--all", "--json").out();
        String first = before.replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");
        cairn("restore", first, "file:" + root.resolve("restored-before-copy"));
        String shownBefore = cairn("show", first, "--json").out();
        assertTrue(shownBefore.contains("\"resources\" : [ {") && shownBefore.contains("\"status\" : \"finished\""),
                shownBefore);

        TestPostgres.Database database = TestPostgres.shared().createDatabase();
        CliRun copied = cairn("catalog", "copy", "--to", database.url(), "--to-user", database.user(),
                "--to-password-file", passwordFile(database).toString());
        assertTrue(copied.out().startsWith("copied 3 backup records (2 not deleted) and 0 schedule firings from jdbc:sqlite:"),
                copied.out());
        assertFalse(copied.out().contains(database.password()) || copied.err().contains(database.password()), copied.toString());

        // The host now runs on PostgreSQL: the same listing, and an incremental from the copied chain.
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + database.yaml());
        assertEquals(before, cairn("list", "--all", "--json").out());
        assertEquals(shownBefore, cairn("show", first, "--json").out(), "what Cairn owns and the restores moved too");
        String incremental = cairn("backup", "lab", "volumes/db1", "--json").out();
        assertTrue(incremental.contains("\"kind\" : \"incremental\""), incremental);
        String id = incremental.replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");
        assertTrue(cairn("show", id.substring(0, 8)).out().contains(id));
        cairn("restore", id, "file:" + root.resolve("restored-from-postgres"));
        assertEquals(32 * 1024, Files.size(root.resolve("restored-from-postgres")));
        String older = before.replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");
        assertTrue(cairn("delete", older).out().contains(older), "a delete on the PostgreSQL catalog");
        String onPostgres = cairn("list", "--all", "--json").out();

        // And back: the embedded file already exists with the old records, so only --replace may overwrite it.
        CliRun refused = CliRun.of(conf, "catalog", "copy", "--to", "embedded");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("is not empty (3 backups, 0 schedule firings)"), refused.err());
        cairn("catalog", "copy", "--to", "embedded", "--replace");
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n");
        assertEquals(onPostgres, cairn("list", "--all", "--json").out());
    }

    @Test
    void aCatalogWithAVolumeLockedIsNotCopied() {
        cairn("backup", "lab", "volumes/db1");
        CatalogSettings embedded = new CatalogSettings("jdbc:sqlite:" + root.resolve("data/catalog.db"), Optional.empty(),
                Optional.empty());
        try (CatalogDatabase database = CatalogDatabase.open(embedded);
                VolumeLeases leases = new VolumeLeases(database, Duration.ofMinutes(2), Clock.systemUTC(),
                        ProcessIdentity.current());
                VolumeLease running = leases.acquire("lab", new VolumeRef("volumes/db1"), "backup 1234")) {
            CliRun refused = CliRun.of(conf, "catalog", "copy", "--to", "jdbc:sqlite:" + root.resolve("copy.db"));
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("while volumes are locked") && refused.err().contains("backup 1234 by "
                    + running.holder()), refused.err());
        }
    }

    @Test
    void anEarlierVersionsH2CatalogMovesToTheEmbeddedOne() {
        // What an earlier Cairn left in data_dir: an H2 catalog.
        Path data = root.resolve("data");
        CatalogSettings h2 = new CatalogSettings("jdbc:h2:file:" + data.resolve("catalog") + ";AUTO_SERVER=TRUE",
                Optional.empty(), Optional.empty());
        try (CatalogDatabase database = CatalogDatabase.open(h2)) {
            new BackupCatalog(database).insert(BackupRecord.creating(new BackupId("0ld0-0001"), "lab",
                    new VolumeRef("volumes/db1"), BackupKind.FULL, Optional.empty(), Map.of(), "full", Instant.now()));
        }
        CliRun legacy = cairn("list");
        assertTrue(legacy.out().contains("0ld0-0001"), legacy.toString());
        assertTrue(legacy.err().contains("holds an H2 catalog from an earlier Cairn"), legacy.err());

        assertTrue(cairn("catalog", "copy", "--to", "embedded").out().startsWith("copied 1 backup records"));
        CliRun moved = cairn("list");
        assertTrue(moved.out().contains("0ld0-0001"), moved.toString());
        assertEquals("", moved.err());
    }
}
