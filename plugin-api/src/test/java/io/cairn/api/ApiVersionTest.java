package io.cairn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void theApiVersionIsTheMavenVersionOfPluginApi() {
        // Set by plugin-api's pom from ${project.version}: the artifact a plugin depends on and the version
        // the host checks Plugin-Requires against are one number.
        String pomVersion = System.getProperty("cairn.api.pom.version");
        assertNotNull(pomVersion, "run by Maven, which passes the project's version");
        assertEquals(pomVersion, ApiVersion.CURRENT);
        assertEquals(Integer.parseInt(pomVersion.substring(0, pomVersion.indexOf('.'))), ApiVersion.major());
    }
}
