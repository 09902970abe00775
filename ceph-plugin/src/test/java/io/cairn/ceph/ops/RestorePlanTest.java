package io.cairn.ceph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.ceph.copy.Extent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestorePlanTest {

    @Test
    void holesFillTheGapsBetweenDataUpToTheSize() {
        List<Extent> data = List.of(new Extent(100, 50, true), new Extent(150, 10, true), new Extent(400, 100, true));
        assertEquals(List.of(new Extent(0, 100, false), new Extent(100, 50, true), new Extent(150, 10, true),
                new Extent(160, 240, false), new Extent(400, 100, true), new Extent(500, 524, false)),
                CephRestore.withHoles(data, 1024));
    }

    @Test
    void anEmptyBackupIsOneHole() {
        assertEquals(List.of(new Extent(0, 4096, false)), CephRestore.withHoles(List.of(), 4096));
    }

    @Test
    void dataToTheEndLeavesNoTrailingHole() {
        assertEquals(List.of(new Extent(0, 4096, true)), CephRestore.withHoles(List.of(new Extent(0, 4096, true)), 4096));
    }

    @Test
    void snapshotTimesAreReadBackFromTheirNames() {
        assertEquals(Instant.ofEpochSecond(1700000000, 123_000),
                CephSnapshots.takenAt("backup.abc.snap.1700000000.000123"));
        assertEquals(Instant.ofEpochSecond(1453210245, 160_000_000), CephSnapshots.takenAt("backup.x.snap.1453210245.16"));
        assertEquals(Instant.EPOCH, CephSnapshots.takenAt("backup.x.snap.garbage"));
    }
}
