package io.cairn.ceph.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.VolumeRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RbdVolumeTest {

    @ParameterizedTest
    @CsvSource({"volumes/db1, volumes, '', db1", "volumes/tenant-a/db1, volumes, tenant-a, db1",
        "rbd/volume-1234, rbd, '', volume-1234"})
    void parsesTheRbdCliForms(String text, String pool, String namespace, String image) {
        RbdVolume volume = RbdVolume.parse(new VolumeRef(text));
        assertEquals(new RbdVolume(pool, namespace, image), volume);
        assertEquals(text, volume.spec());
    }

    @ParameterizedTest
    @ValueSource(strings = {"db1", "volumes/", "/db1", "a/b/c/d", "volumes/db1@snap", "volumes//db1"})
    void refusesEverythingElseNamingTheText(String text) {
        BackendException e = assertThrows(BackendException.class, () -> RbdVolume.parse(new VolumeRef(text)));
        assertEquals(true, e.getMessage().contains("'" + text + "'"), e.getMessage());
    }
}
