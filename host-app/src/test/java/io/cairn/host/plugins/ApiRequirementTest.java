package io.cairn.host.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRequirementTest {

    @ParameterizedTest(name = "''{0}'' against {1}")
    @CsvSource(delimiter = '|', value = {
        ">=1.0.0 & <2.0.0 | 1.0.0",
        ">=1.0.0 & <2.0.0 | 1.7.3",
        ">=1.2.0          | 1.2.0",
        "1.x              | 1.4.0",
    })
    void accepted(String requires, String provided) {
        assertEquals(Optional.empty(), ApiRequirement.refusal(requires, provided));
    }

    @ParameterizedTest(name = "''{0}'' against {1}")
    @CsvSource(delimiter = '|', value = {
        ">=2.0.0 & <3.0.0 | 1.0.0 | was built for plugin API '>=2.0.0 & <3.0.0', but this host provides plugin API 1.0.0",
        ">=1.0.0 & <2.0.0 | 2.1.0 | Plugin-Requires: >=2.1.0 & <3.0.0",
        ">=1.3.0 & <2.0.0 | 1.2.0 | Versions that meet: plugins whose Plugin-Requires admits 1.2.0",
        "''               | 1.0.0 | declares no Plugin-Requires",
        "*                | 1.0.0 | declares no Plugin-Requires",
        "banana           | 1.0.0 | is not a version range",
    })
    void refusedWithAnExplanation(String requires, String provided, String explanation) {
        Optional<String> refusal = ApiRequirement.refusal(requires, provided);
        assertTrue(refusal.isPresent());
        assertTrue(refusal.get().contains(explanation), refusal.get());
    }
}
