package io.cairn.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.view.BackupView;
import io.cairn.host.view.FiringView;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/openapi.yaml} describes exactly the routes the endpoint serves (method and path), marks
 * exactly the token-guarded ones as needing the bearer token, and its schemas have exactly the fields of
 * the records the API writes - so the document cannot drift from the code.
 */
class OpenApiMatchesRoutesTest {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private final JsonNode spec = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(TestCluster.projectRoot().resolve("docs/openapi.yaml").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyDocumentedRouteIsServedAndEveryServedRouteDocumented() {
        Set<String> documented = new TreeSet<>();
        Set<String> guarded = new TreeSet<>();
        for (Iterator<String> paths = spec.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = spec.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                String route = method.toUpperCase(Locale.ROOT) + " " + path;
                documented.add(route);
                if (spec.get("paths").get(path).get(method).has("security")) {
                    guarded.add(route);
                }
            }
        }
        assertEquals(Arrays.stream(Route.values()).filter(Route::documented).map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new)), documented);
        assertEquals(Arrays.stream(Route.values()).filter(Route::needsToken).map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new)), guarded);
    }

    @Test
    void theSchemasHaveTheFieldsTheApiWrites() {
        assertFields("Backup", BackupView.class);
        assertFields("BackupPage", Page.class);
        assertFields("StartBackupRequest", BackupsApi.StartBackupRequest.class);
        assertFields("StartedBackup", BackupsApi.StartedBackup.class);
        assertFields("Volume", VolumeView.class);
        assertFields("Schedule", ScheduleJson.class);
        assertFields("Firing", FiringView.class);
        assertFields("FiringRequested", SchedulesApi.FiringRequested.class);
    }

    @Test
    void theStatusesAreEveryStatusABackupCanHave() {
        List<String> statuses = Arrays.stream(io.cairn.host.catalog.BackupStatus.values())
                .map(io.cairn.host.catalog.BackupStatus::label).sorted().toList();
        List<String> written = new java.util.ArrayList<>();
        spec.get("components").get("schemas").get("Backup").get("properties").get("status").get("enum")
                .forEach(value -> written.add(value.asText()));
        assertEquals(statuses, written.stream().sorted().toList(), "Backup.status");
        List<String> asked = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode parameter : spec.get("paths").get("/api/v1/backups").get("get")
                .get("parameters")) {
            if (parameter.get("name").asText().equals("status")) {
                parameter.get("schema").get("enum").forEach(value -> asked.add(value.asText()));
            }
        }
        assertEquals(statuses, asked.stream().sorted().toList(), "the status parameter of GET /api/v1/backups");
    }

    private void assertFields(String schema, Class<? extends Record> record) {
        Set<String> documented = new TreeSet<>();
        spec.get("components").get("schemas").get(schema).get("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> written = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .map(SNAKE::translate).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(written, documented, "schema " + schema + " against " + record.getSimpleName());
    }
}
