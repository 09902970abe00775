package io.cairn.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostOptionsTest {

    @TempDir
    Path root;

    private Path conf(String yaml) throws IOException {
        Path conf = root.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("cairn.yaml"), yaml);
        return conf;
    }

    @Test
    void defaultsPutPluginsAndDataBesideTheConfDirectory() throws IOException {
        HostSettings settings = ConfDirectory.at(conf("")).hostSettings();
        assertEquals(root.resolve("plugins"), settings.pluginsDir());
        assertEquals(root.resolve("data"), settings.dataDir());
        assertEquals("jdbc:sqlite:" + root.resolve("data/catalog.db"), settings.catalog().url());
        assertEquals(Duration.ofSeconds(60), settings.catalog().timeout());
        assertEquals(Duration.ofMinutes(2), settings.volumeLease());
        assertEquals(Optional.empty(), settings.catalog().password());
    }

    @Test
    void relativePathsResolveAgainstTheConfDirectoryNotTheWorkingDirectory() throws IOException {
        HostSettings settings = ConfDirectory.at(conf("plugins_dir: my-plugins\ndata_dir: /var/lib/cairn\n")).hostSettings();
        assertEquals(root.resolve("conf/my-plugins"), settings.pluginsDir());
        assertEquals(Path.of("/var/lib/cairn"), settings.dataDir());
        assertEquals("jdbc:sqlite:/var/lib/cairn/catalog.db", settings.catalog().url());
    }

    @Test
    void anEarlierVersionsH2CatalogKeepsBeingUsedUntilItIsCopied() throws IOException {
        Path data = root.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("catalog.mv.db"), "");
        assertEquals("jdbc:h2:retry:" + data.resolve("catalog") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0",
                ConfDirectory.at(conf("")).hostSettings().catalog().url());
        Files.writeString(data.resolve("catalog.db"), "");
        assertEquals("jdbc:sqlite:" + data.resolve("catalog.db"), ConfDirectory.at(conf("")).hostSettings().catalog().url());
    }

    @Test
    void aClusteredSchedulerNeedsAPostgreSqlCatalog() throws IOException {
        Path conf = conf("scheduler_clustered: true\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertEquals("scheduler_clustered", e.problems().get(0).key());
        assertTrue(e.problems().get(0).reason().contains("set catalog_url to a PostgreSQL database"), e.getMessage());
        assertTrue(ConfDirectory.at(conf("scheduler_clustered: true\ncatalog_url: jdbc:postgresql://db/cairn\n"))
                .hostSettings().serve().clustered());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/cairn?user=c&password=hunter2&ssl=true | jdbc:postgresql://db/cairn?user=c&password=[hidden]&ssl=true",
        "jdbc:postgresql://db/cairn?PASSWORD=hunter2                 | jdbc:postgresql://db/cairn?PASSWORD=[hidden]",
        "jdbc:h2:tcp://db/x;USER=sa;PASSWORD=hunter2                  | jdbc:h2:tcp://db/x;USER=sa;PASSWORD=[hidden]",
        "jdbc:mysql://cairn:hunter2@db/cairn                          | jdbc:mysql://cairn:[hidden]@db/cairn",
        "jdbc:sqlite:/var/lib/cairn/catalog.db                        | jdbc:sqlite:/var/lib/cairn/catalog.db",
    })
    void aPasswordWrittenIntoTheUrlIsNeverShown(String url, String shown) {
        CatalogSettings settings = new CatalogSettings(url, Optional.empty(), Optional.empty());
        assertEquals(shown, settings.displayUrl());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void catalogSettingsAreTakenAndThePasswordNeverShown() throws IOException {
        HostSettings settings = ConfDirectory.at(conf("catalog_url: jdbc:postgresql://db/cairn\ncatalog_user: cairn\n"
                + "catalog_password: hunter2\nvolume_lease: 90s\n")).hostSettings();
        assertEquals("jdbc:postgresql://db/cairn", settings.catalog().url());
        assertEquals(Optional.of("cairn"), settings.catalog().user());
        assertEquals(Optional.of("hunter2"), settings.catalog().password());
        assertEquals(Duration.ofSeconds(90), settings.volumeLease());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plugin_dir: x                      | plugin_dir       | did you mean 'plugins_dir'",
        "volume_lease: soon                 | volume_lease     | is not a duration (examples",
        "volume_lease: 5s                   | volume_lease     | must be at least 10s",
        "catalog_url: postgresql://db/cairn | catalog_url      | must be a JDBC URL",
        "data_dir: [a, b]                   | data_dir         | expected a file path",
        "catalog_password: [oops]           | catalog_password | expected text",
        "catalog_timeout: 0s                | catalog_timeout  | must be at least 1s",
    })
    void badValuesNameTheFileTheKeyAndTheReason(String yaml, String key, String reason) throws IOException {
        Path conf = conf(yaml + "\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        ConfigurationProblem problem = e.problems().get(0);
        assertEquals(conf.resolve("cairn.yaml"), problem.file());
        assertEquals(key, problem.key());
        assertTrue(problem.reason().contains(reason), problem.reason());
        assertTrue(e.getMessage().startsWith(conf.resolve("cairn.yaml") + ": " + key + ": "), e.getMessage());
    }

    @Test
    void aSecretsBadValueIsNotRepeatedInTheMessage() throws IOException {
        Path conf = conf("catalog_password: 12345\ncatalog_password_typo: 1\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertFalse(e.getMessage().contains("12345"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path conf = conf("plugin_dir: x\nvolume_lease: soon\ncolour: blue\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'plugins_dir: [unclosed'       | is not valid YAML (line 1",
        "'- a\n- b'                     | must be a mapping",
        "'data_dir: a\ndata_dir: b'     | Duplicate field 'data_dir'",
        "'a: b: c'                      | is not valid YAML",
    })
    void malformedFilesAreNamedWithWhereAndWhy(String yaml, String reason) throws IOException {
        Path conf = conf(yaml.replace("\\n", "\n"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertTrue(e.getMessage().startsWith(conf.resolve("cairn.yaml") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aMissingCairnYamlIsNamed() throws IOException {
        Path conf = Files.createDirectories(root.resolve("empty-conf"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertEquals(conf.resolve("cairn.yaml") + ": file does not exist", e.getMessage());
    }

    @Test
    void aMissingConfDirectorySaysHowToChooseOne() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(root.resolve("nope")));
        assertTrue(e.getMessage().contains("--conf DIR or CAIRN_CONF"), e.getMessage());
    }
    @Test
    void theHttpEndpointListensOnLoopbackByDefaultAndEmptyTurnsItOff() throws IOException {
        HttpSettings http = ConfDirectory.at(conf("")).hostSettings().http();
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9464)), http.listen());
        assertEquals(Optional.empty(), http.token());
        assertEquals(Optional.empty(), ConfDirectory.at(conf("http_listen: \"\"\n")).hostSettings().http().listen());
        assertEquals(9999, ConfDirectory.at(conf("http_listen: \"[::1]:9999\"\n")).hostSettings().http().listen()
                .orElseThrow().getPort());
    }

    @Test
    void anAddressOtherMachinesReachNeedsATokenThatIsNeverShown() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfDirectory.at(conf("http_listen: 0.0.0.0:9464\n")).hostSettings());
        assertEquals("http_listen", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("set http_token too"), e.getMessage());

        String token = "0123456789abcdef-token";
        HttpSettings http = ConfDirectory.at(conf("http_listen: 0.0.0.0:9464\nhttp_token: " + token + "\n"))
                .hostSettings().http();
        assertEquals(Optional.of(token), http.token());
        assertFalse(http.toString().contains(token), http.toString());
        assertFalse(ConfDirectory.at(conf("http_token: " + token + "\n")).hostSettings().toString().contains(token));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http_token: short-secret       | http_token  | at least 16 characters",
        "http_token: [a, b]             | http_token  | expected text",
        "http_listen: 9464              | http_listen | is not HOST:PORT",
        "http_listen: 127.0.0.1:99999   | http_listen | from 0 to 65535",
        "http_listen: '::1:9464'        | http_listen | in brackets",
        "http_listen: nohost.invalid:80 | http_listen | unknown host",
    })
    void badHttpSettingsNameTheKeyButNotTheToken(String yaml, String key, String reason) throws IOException {
        Path conf = conf(yaml + "\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfDirectory.at(conf).hostSettings());
        assertEquals(key, e.problems().get(0).key());
        assertTrue(e.problems().get(0).reason().contains(reason), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
    }
}
