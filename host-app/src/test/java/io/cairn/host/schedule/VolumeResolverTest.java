package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.VolumeNaming;
import io.cairn.api.VolumeNaming.Namespaces;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VolumeListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeResolverTest {

    private static final Map<String, List<String>> POOLS = Map.of(
            "volumes", List.of("volumes/db1", "volumes/web-1", "volumes/web-2", "volumes/web-old"),
            "volumes/ns", List.of("volumes/ns/web-9"));

    private static final VolumeNaming NAMING = VolumeNaming.of(Namespaces.REQUIRED, "POOL/IMAGE");

    private final List<String> listed = new ArrayList<>();
    private final VolumeListing listing = pool -> {
        listed.add(pool);
        return POOLS.getOrDefault(pool, List.of()).stream().map(VolumeRef::new).toList();
    };

    private static List<VolumeSelector> selectors(String... entries) {
        return java.util.Arrays.stream(entries).map(VolumeSelector::parse).toList();
    }

    private static List<String> locators(VolumeResolver.Resolved resolved) {
        return resolved.volumes().stream().map(VolumeRef::locator).toList();
    }

    @Test
    void patternsAreResolvedAgainstTheirPoolAndEachVolumeComesOnce() {
        VolumeResolver.Resolved resolved = VolumeResolver.resolve(
                selectors("volumes/web-2", "volumes/web-?", "volumes/ns/web-*", "volumes/db1"), Optional.of(listing), NAMING, "dir");
        assertEquals(List.of("volumes/web-2", "volumes/web-1", "volumes/ns/web-9", "volumes/db1"), locators(resolved));
        assertEquals(List.of("volumes", "volumes/ns"), listed);
        assertEquals(List.of(), resolved.notes());
    }

    @Test
    void namedVolumesNeedNoListing() {
        VolumeResolver.Resolved resolved = VolumeResolver.resolve(selectors("volumes/gone", "file:/srv/disk.img"),
                Optional.empty(), NAMING, "dir");
        // A named volume is kept even when it does not exist: its backup then fails, visibly.
        assertEquals(List.of("volumes/gone", "file:/srv/disk.img"), locators(resolved));
    }

    @Test
    void aBackendsOwnNamesAreListedInTheirNamespace() {
        Map<String, List<String>> directory = Map.of(
                "", List.of("notes.txt", "vm1.img", "vm2.img"),
                "images", List.of("images/old.qcow2", "images/vm3.img"));
        VolumeListing files = namespace -> {
            listed.add(namespace);
            return directory.getOrDefault(namespace, List.of()).stream().map(VolumeRef::new).toList();
        };
        VolumeResolver.Resolved resolved = VolumeResolver.resolve(selectors("*.img", "images/*.img", "vm1.img"),
                Optional.of(files), VolumeNaming.DEFAULT, "blockstore");
        assertEquals(List.of("vm1.img", "vm2.img", "images/vm3.img"), locators(resolved));
        assertEquals(List.of("", "images"), listed);
    }

    @Test
    void aPatternMatchingNothingIsNoted() {
        VolumeResolver.Resolved resolved = VolumeResolver.resolve(selectors("volumes/mail-*"), Optional.of(listing), NAMING, "dir");
        assertEquals(List.of(), resolved.volumes());
        assertEquals(List.of("'volumes/mail-*' matches no volume now"), resolved.notes());
    }

    @Test
    void aPatternOnABackendWithoutListingSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VolumeResolver.resolve(selectors("volumes/web-*"), Optional.empty(), NAMING, "tape"));
        assertTrue(e.getMessage().contains("backend tape cannot list volumes"), e.getMessage());
    }
}
