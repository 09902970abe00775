package io.cairn.ceph.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.ceph.copy.Extent;
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
}
