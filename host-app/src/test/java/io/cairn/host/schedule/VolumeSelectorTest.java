package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.VolumeNaming.Namespaces;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeSelectorTest {

    /** Ceph's kind of names: every volume has a namespace (its pool). */
    private static final VolumeNaming POOLS = VolumeNaming.of(Namespaces.REQUIRED, "POOL/IMAGE");
    /** A directory's kind: names are paths, with or without sub-directories. */
    private static final VolumeNaming PATHS = new VolumeNaming() {
        @Override
        public Namespaces namespaces() {
            return Namespaces.OPTIONAL;
        }

        @Override
        public String form() {
            return "a path below volumes_dir";
        }

        @Override
        public Optional<String> problem(String name) {
            return VolumeNaming.super.problem(name).or(() -> name.equals(".") || name.startsWith("./")
                    ? Optional.of("'.' is not a directory name here; write the path below volumes_dir") : Optional.empty());
        }
    };
    private static final VolumeNaming FLAT = VolumeNaming.of(Namespaces.NONE, "a name");

    @ParameterizedTest(name = "{0} selects {1}: {2}")
    @CsvSource({
        "volumes/db1,          volumes/db1,          true",
        "volumes/db1,          volumes/db10,         false",
        "volumes/db1,          other/db1,            false",
        "volumes/web-*,        volumes/web-1,        true",
        "volumes/web-*,        volumes/db1,          false",
        "volumes/web-*,        other/web-1,          false",
        "volumes/web-*,        volumes/ns/web-1,     false",
        "volumes/ns/web-*,     volumes/ns/web-1,     true",
        "volumes/ns/web-*,     volumes/web-1,        false",
        "volumes/*,            volumes/anything,     true",
        "file:/srv/disk.img,   file:/srv/disk.img,   true",
        "file:/srv/disk.img,   file:/srv/other.img,  false",
    })
    void selectsInPools(String entry, String volume, boolean expected) {
        assertEquals(expected, VolumeSelector.parse(entry).selects(new VolumeRef(volume), POOLS));
    }

    @ParameterizedTest(name = "{0} selects {1}: {2}")
    @CsvSource({
        "vm1.img,              vm1.img,              true",
        "*.img,                vm1.img,              true",
        "*.img,                images/vm1.img,       false",
        "images/*.img,         images/vm1.img,       true",
        "images/*.img,         vm1.img,              false",
        "images/*.img,         images/old/vm1.img,   false",
        "vm[12].img,           vm2.img,              true",
    })
    void selectsInADirectory(String entry, String volume, boolean expected) {
        assertEquals(expected, VolumeSelector.parse(entry).selects(new VolumeRef(volume), PATHS));
    }

    @Test
    void aBackendWithoutNamespacesMatchesWholeNames() {
        VolumeSelector pattern = VolumeSelector.parse("tapes/*");
        assertEquals("", pattern.namespace(FLAT));
        assertTrue(pattern.selects(new VolumeRef("tapes/1"), FLAT));
        assertEquals("tapes", pattern.namespace(POOLS));
    }

    @Test
    void aNameIsAVolumeAndAPatternIsResolvedInItsNamespace() {
        VolumeSelector name = VolumeSelector.parse(" volumes/db1 ");
        assertFalse(name.isPattern());
        assertEquals(new VolumeRef("volumes/db1"), name.volume());
        VolumeSelector pattern = VolumeSelector.parse("volumes/ns/web-*");
        assertTrue(pattern.isPattern());
        assertEquals("volumes/ns", pattern.namespace(POOLS));
        assertThrows(IllegalStateException.class, pattern::volume);
        assertEquals("", VolumeSelector.parse("*.img").namespace(PATHS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "' '                 | got an empty entry",
        "vol*/db1            | patterns are allowed after the last '/' only",
        "volumes/db[1        | not closed",
        "file:               | names one file",
        "file:/srv/*.img     | without patterns",
    })
    void malformedEntriesSayWhy(String entry, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VolumeSelector.parse(entry));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "db1                 | 'db1' names no namespace; write POOL/IMAGE",
        "web-*               | 'web-*' names no namespace; write POOL/IMAGE",
        "volumes//db1        | 'volumes//db1' has an empty part",
        "volumes/            | 'volumes/' has an empty part",
        "file:/srv/disk.img  | backend pools cannot back up files; write POOL/IMAGE",
    })
    void entriesAreCheckedInTheBackendsTerms(String entry, String reason) {
        assertEquals(reason, VolumeSelector.parse(entry).problem(backend(POOLS, EnumSet.noneOf(BackendCapability.class)))
                .map(r -> r.length() > reason.length() ? r.substring(0, reason.length()) : r).orElse("no problem"));
    }

    @Test
    void aDirectoryBackendTakesItsOwnNamesAndRefusesWhatWouldSelectNothing() {
        BackendDescriptor directory = backend(PATHS, EnumSet.of(BackendCapability.FILE_SOURCES));
        for (String good : new String[] {"vm1.img", "images/*.img", "*.img", "file:/srv/disk.img"}) {
            assertEquals(Optional.empty(), VolumeSelector.parse(good).problem(directory), good);
        }
        assertEquals(Optional.of("'.' is not a directory name here; write the path below volumes_dir"),
                VolumeSelector.parse("./*.img").problem(directory));
    }

    private static BackendDescriptor backend(VolumeNaming naming, Set<BackendCapability> capabilities) {
        return new BackendDescriptor() {
            @Override
            public String id() {
                return naming == POOLS ? "pools" : "paths";
            }

            @Override
            public String version() {
                return "1";
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public OptionDefinitions options() {
                return OptionDefinitions.of();
            }

            @Override
            public Set<BackendCapability> capabilitySet() {
                return capabilities;
            }

            @Override
            public VolumeNaming volumeNaming() {
                return naming;
            }

            @Override
            public BackendSession open(String clusterName, OptionValues options) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
