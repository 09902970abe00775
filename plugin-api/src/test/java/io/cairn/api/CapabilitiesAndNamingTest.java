package io.cairn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.VolumeNaming.Namespaces;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilitiesAndNamingTest {

    @Test
    void aOnePointZeroDeclarationIsSeenAsTheSameSet() {
        BackendDescriptor legacy = new Stub() {
            @Override
            public Capabilities capabilities() {
                return new Capabilities(true, RestorePointDependency.DEPENDS_ON_PARENT, false, true);
            }
        };
        assertEquals(Set.of(BackendCapability.INCREMENTAL, BackendCapability.FILE_SOURCES), legacy.capabilitySet());
    }

    @Test
    void aSetDeclarationHasItsOnePointZeroView() {
        BackendDescriptor current = new Stub() {
            @Override
            public Set<BackendCapability> capabilitySet() {
                return EnumSet.of(BackendCapability.INDEPENDENT_RESTORE_POINTS, BackendCapability.DIFFERENTIAL_RESTORE);
            }
        };
        assertEquals(new Capabilities(false, RestorePointDependency.INDEPENDENT, true, false), current.capabilities());
        Set<BackendCapability> knownToOnePointZero = EnumSet.of(BackendCapability.INCREMENTAL,
                BackendCapability.INDEPENDENT_RESTORE_POINTS, BackendCapability.DIFFERENTIAL_RESTORE,
                BackendCapability.FILE_SOURCES);
        for (Set<BackendCapability> set : Set.of(knownToOnePointZero, EnumSet.noneOf(BackendCapability.class),
                EnumSet.of(BackendCapability.INCREMENTAL))) {
            assertEquals(set, Capabilities.of(set).toSet());
        }
        // Capabilities added since 1.0 have no place in its view; the host reads the set.
        assertEquals(knownToOnePointZero, Capabilities.of(EnumSet.allOf(BackendCapability.class)).toSet());
    }

    @Test
    void defaultNamingChecksTheFormOnly() {
        VolumeNaming optional = VolumeNaming.DEFAULT;
        assertEquals(Optional.empty(), optional.problem("vm1.img"));
        assertEquals(Optional.empty(), optional.problem("images/vm1.img"));
        assertTrue(optional.problem(" ").isPresent());
        assertTrue(optional.problem("file:/srv/x.img").orElseThrow().contains("names a file"));
        assertTrue(optional.problem("images//vm1.img").orElseThrow().contains("empty part"));
        assertTrue(optional.problem("/vm1.img").isPresent());
        assertEquals("images", optional.namespaceOf("images/vm1.img"));
        assertEquals("", optional.namespaceOf("vm1.img"));

        VolumeNaming required = VolumeNaming.of(Namespaces.REQUIRED, "POOL/IMAGE");
        assertEquals("'db1' names no namespace; write POOL/IMAGE", required.problem("db1").orElseThrow());
        assertEquals(Optional.empty(), required.problem("volumes/db1"));

        VolumeNaming flat = VolumeNaming.of(Namespaces.NONE, "a name");
        assertEquals(Optional.empty(), flat.problem("a//b"));
        assertEquals("", flat.namespaceOf("a/b"));
    }

    private abstract static class Stub implements BackendDescriptor {
        @Override
        public String id() {
            return "stub";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public String description() {
            return "stub";
        }

        @Override
        public OptionDefinitions options() {
            return OptionDefinitions.of();
        }

        @Override
        public BackendSession open(String clusterName, OptionValues options) {
            throw new UnsupportedOperationException();
        }
    }
}
