package io.cairn.ceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.ceph.copy.Extent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangedExtentsTest {

    private static final long OBJECT = 4L << 20;

    private static Extent object(long index, boolean exists) {
        return new Extent(index * OBJECT, OBJECT, exists);
    }

    @Test
    void nothingChangedMeansNoRangeToAskFor() {
        assertEquals(List.of(), ChangedExtents.merged(List.of(), 4 * OBJECT));
    }

    @Test
    void adjacentAndNearObjectsBecomeOneRangeWhateverTheyHold() {
        List<Extent> changed = List.of(object(0, true), object(1, false), object(5, true));
        assertEquals(List.of(new Extent(0, 6 * OBJECT, true)), ChangedExtents.merged(changed, 4 * OBJECT));
    }

    @Test
    void objectsFurtherApartThanTheGapStaySeparateRanges() {
        List<Extent> changed = List.of(object(0, true), object(6, true), object(25_599, true));
        assertEquals(List.of(new Extent(0, OBJECT, true), new Extent(6 * OBJECT, OBJECT, true),
                new Extent(25_599 * OBJECT, OBJECT, true)), ChangedExtents.merged(changed, 4 * OBJECT));
    }

    @Test
    void extentsInAnyOrderAndOverlappingAreMergedInOffsetOrder() {
        List<Extent> changed = List.of(object(9, true), new Extent(100, 50, true), object(0, true),
                new Extent(OBJECT * 9 + 10, 20, false));
        assertEquals(List.of(new Extent(0, OBJECT, true), new Extent(9 * OBJECT, OBJECT, true)),
                ChangedExtents.merged(changed, 0));
    }

    @Test
    void aPartialLastObjectEndsTheRangeWhereItEnds() {
        List<Extent> changed = List.of(object(2, true), new Extent(3 * OBJECT, 12_345, true));
        assertEquals(List.of(new Extent(2 * OBJECT, OBJECT + 12_345, true)), ChangedExtents.merged(changed, 0));
    }
}
