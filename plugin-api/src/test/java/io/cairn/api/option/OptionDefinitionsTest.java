package io.cairn.api.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.error.InvalidConfigurationException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionDefinitionsTest {

    private static final OptionDefinitions OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("conf", OptionType.PATH).defaultValue("/etc/ceph/ceph.conf").doc("conf").build(),
            OptionDefinition.builder("pool", OptionType.STRING).required().doc("pool").build(),
            OptionDefinition.builder("key", OptionType.STRING).secret().doc("key").build(),
            OptionDefinition.builder("chunk_size", OptionType.SIZE).defaultValue("128MiB").minimum(65536)
                    .maximum(1L << 30).doc("chunk").build(),
            OptionDefinition.builder("parallel_ios", OptionType.INTEGER).defaultValue("16").minimum(1).maximum(256)
                    .doc("ios").build(),
            OptionDefinition.builder("journals", OptionType.BOOLEAN).defaultValue("false").doc("journals").build(),
            OptionDefinition.builder("timeout", OptionType.DURATION).defaultValue("30s").doc("timeout").build(),
            OptionDefinition.builder("transfer", OptionType.ENUM).defaultValue("native")
                    .allowedValues("native", "rbd-cli").doc("transfer").build());

    private static Map<String, Object> with(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("pool", "backups");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Problem onlyProblem(Map<String, Object> raw) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> OPTIONS.validate(raw));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void defaultsApplyWhenNotGiven() {
        OptionValues values = OPTIONS.validate(with());
        assertEquals(Path.of("/etc/ceph/ceph.conf"), values.path("conf"));
        assertEquals(128L << 20, values.size("chunk_size"));
        assertEquals(16, values.integer("parallel_ios"));
        assertFalse(values.bool("journals"));
        assertEquals(Duration.ofSeconds(30), values.duration("timeout"));
        assertEquals("native", values.string("transfer"));
        assertTrue(values.optionalString("key").isEmpty());
        assertFalse(values.isSet("key"));
    }

    @Test
    void yamlTypesAndTextAreBothAccepted() {
        OptionValues values = OPTIONS.validate(with("chunk_size", 1048576, "parallel_ios", "8", "journals", true,
                "timeout", 10, "pool", 123));
        assertEquals(1L << 20, values.size("chunk_size"));
        assertEquals(8, values.integer("parallel_ios"));
        assertTrue(values.bool("journals"));
        assertEquals(Duration.ofSeconds(10), values.duration("timeout"));
        assertEquals("123", values.string("pool"), "a pool named by a number is still a name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chunk_size|12 apples|unknown unit",
        "chunk_size|1KiB|below the minimum 64KiB",
        "chunk_size|2GiB|above the maximum 1GiB",
        "parallel_ios|0|below the minimum 1",
        "parallel_ios|many|expected a whole number",
        "parallel_ios|99999999999|too large",
        "journals|yes|expected true or false",
        "timeout|soon|not a duration",
        "transfer|scp|not one of native, rbd-cli"})
    void wrongValuesNameTheKeyAndTheReason(String key, String value, String reason) {
        Problem problem = onlyProblem(with(key, value));
        assertEquals(key, problem.key());
        assertTrue(problem.reason().contains(reason), problem.reason());
    }

    @Test
    void unknownKeySuggestsTheClosestAndListsTheKnown() {
        Problem problem = onlyProblem(with("chunk_sise", "4MiB"));
        assertEquals("chunk_sise", problem.key());
        assertTrue(problem.reason().contains("did you mean 'chunk_size'"), problem.reason());
        assertTrue(problem.reason().contains("parallel_ios"), problem.reason());
    }

    @Test
    void unknownKeyFarFromAnyGetsNoSuggestion() {
        Problem problem = onlyProblem(with("colour", "blue"));
        assertFalse(problem.reason().contains("did you mean"), problem.reason());
    }

    @Test
    void missingRequiredOptionIsReported() {
        Map<String, Object> raw = with();
        raw.remove("pool");
        Problem problem = onlyProblem(raw);
        assertEquals("pool", problem.key());
        assertTrue(problem.reason().contains("required"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> raw = with("parallel_ios", "x", "journals", 3, "bogus", 1);
        raw.remove("pool");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> OPTIONS.validate(raw));
        assertEquals(List.of("bogus", "pool", "parallel_ios", "journals"),
                e.problems().stream().map(Problem::key).toList());
    }

    @Test
    void secretsNeverAppearInErrorsOrDisplay() {
        String secret = "AQD9zsecretsecretsecret==";
        OptionValues values = OPTIONS.validate(with("key", secret));
        assertEquals(secret, values.string("key"));
        assertEquals("[hidden]", values.display("key"));
        assertFalse(values.toString().contains(secret), values.toString());
        assertFalse(values.displayAll().containsValue(secret));

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> OPTIONS.validate(with("key", List.of(secret))));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void displayUsesUnits() {
        OptionValues values = OPTIONS.validate(with("chunk_size", "4MiB", "timeout", "2m"));
        assertEquals("4MiB", values.display("chunk_size"));
        assertEquals("2m", values.display("timeout"));
    }

    @Test
    void readingAnUndeclaredOrMistypedOptionIsAProgrammingError() {
        OptionValues values = OPTIONS.validate(with());
        assertThrows(IllegalArgumentException.class, () -> values.string("nope"));
        assertThrows(IllegalStateException.class, () -> values.integer("pool"));
        assertThrows(IllegalStateException.class, () -> values.string("key"));
    }

    @Test
    void badDeclarationsFailWhenTheBackendLoads() {
        assertThrows(IllegalArgumentException.class,
                () -> OptionDefinition.builder("Bad-Name", OptionType.STRING).doc("x").build());
        assertThrows(IllegalArgumentException.class,
                () -> OptionDefinition.builder("no_doc", OptionType.STRING).build());
        assertThrows(IllegalArgumentException.class,
                () -> OptionDefinition.builder("size", OptionType.SIZE).defaultValue("lots").doc("x").build());
        assertThrows(IllegalArgumentException.class,
                () -> OptionDefinition.builder("mode", OptionType.ENUM).doc("x").build());
        assertThrows(IllegalArgumentException.class,
                () -> OptionDefinition.builder("both", OptionType.STRING).required().defaultValue("x").doc("x").build());
        assertThrows(IllegalArgumentException.class, () -> OptionDefinitions.of(
                OptionDefinition.builder("twice", OptionType.STRING).doc("x").build(),
                OptionDefinition.builder("twice", OptionType.STRING).doc("y").build()));
    }

    @ParameterizedTest
    @CsvSource({"kitten, sitting, 3", "chunk_size, chunk_sise, 1", "pool, pool, 0", "'', abc, 3"})
    void editDistance(String a, String b, int distance) {
        assertEquals(distance, OptionDefinitions.editDistance(a, b));
    }
}
