package io.cairn.ceph.rbd;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.cairn.ceph.copy.Extent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What differs between two points of an image, as exact extents - in a time that follows what
 * changed, not the image's size.
 *
 * <p>{@code rbd_diff_iterate2} with exact extents asks the OSD for every object of the range
 * ({@code list_snaps}), existing or not: 25,600 requests for a 100 GiB image, about 0.9 s here even
 * when 10 MiB changed. With whole objects and the fast-diff feature it reads the object maps instead,
 * and answers in milliseconds, but at object granularity. So when fast-diff can be trusted, the
 * object maps first say which objects changed, and only those ranges are asked for exact extents.
 * The result is the same as one exact pass over the whole image.
 *
 * <p>Fast-diff is not used from the start of a clone (the child's object map does not show the
 * parent's data) or when the image's fast-diff is flagged invalid; then one exact pass does it all.
 *
 * <p>Every call is bounded by the client's {@link NativeCalls}; each extent reported counts as progress,
 * and exact passes go over at most {@link #WINDOW_OBJECTS} objects per call, so a large sparse image
 * (where the OSDs report nothing for long stretches) is not taken for a stalled cluster.
 */
final class ChangedExtents {

    /** {@code RBD_FLAG_FAST_DIFF_INVALID}: the object map may not tell changes apart. */
    private static final long FLAG_FAST_DIFF_INVALID = 1L << 1;
    /**
     * Changed ranges closer than this many objects are asked for in one call: a call has a fixed cost
     * (a flush and a header check) that a few more {@code list_snaps} in its pipeline do not.
     */
    private static final int MERGE_GAP_OBJECTS = 4;
    /** Objects one exact call covers at most: 4 GiB of 4 MiB objects, about 0.15 s of list_snaps here. */
    static final int WINDOW_OBJECTS = 1024;

    private final Pointer image;
    private final String name;
    private final NativeCalls calls;

    ChangedExtents(Pointer image, String name, NativeCalls calls) {
        this.image = image;
        this.name = name;
        this.calls = calls;
    }

    /**
     * @param fromSnapshot the older point, or {@code null} for the beginning (everything allocated)
     * @param length       the image's size at the newer point
     * @return extents in offset order; {@code data == false} marks ranges that became holes
     */
    List<Extent> list(String fromSnapshot, long length, long features, long objectSize) {
        List<Extent> extents;
        long window = WINDOW_OBJECTS * objectSize;
        if (calls.call("check the object map of " + name, progress -> objectMapCanNarrow(fromSnapshot, features))) {
            extents = new ArrayList<>();
            for (Extent range : merged(iterate(fromSnapshot, 0, length, true), MERGE_GAP_OBJECTS * objectSize)) {
                extents.addAll(exactly(fromSnapshot, range.offset(), range.end(), window));
            }
        } else {
            extents = exactly(fromSnapshot, 0, length, window);
        }
        extents.sort(Comparator.comparingLong(Extent::offset));
        return extents;
    }

    private boolean objectMapCanNarrow(String fromSnapshot, long features) {
        if ((features & LibRbd.FEATURE_FAST_DIFF) == 0) {
            return false;
        }
        LongByReference flags = new LongByReference();
        if (LibRbd.rbd_get_flags(image, flags) < 0 || (flags.getValue() & FLAG_FAST_DIFF_INVALID) != 0) {
            return false;
        }
        if (fromSnapshot != null) {
            return true; // a diff between two snapshots never includes the parent
        }
        LongByReference overlap = new LongByReference();
        int rc = LibRbd.rbd_get_overlap(image, overlap);
        // ENOENT: no parent at all.
        return rc == -Errno.ENOENT || (rc == 0 && overlap.getValue() == 0);
    }

    /** Exact extents of {@code [start, end)}, one bounded call per window. */
    private List<Extent> exactly(String fromSnapshot, long start, long end, long window) {
        List<Extent> extents = new ArrayList<>();
        for (long offset = start; offset < end; offset += window) {
            extents.addAll(iterate(fromSnapshot, offset, Math.min(window, end - offset), false));
        }
        return extents;
    }

    private List<Extent> iterate(String fromSnapshot, long offset, long length, boolean wholeObjects) {
        String what = "diff " + name + (fromSnapshot == null ? "" : " from " + fromSnapshot) + " at " + offset + "+"
                + length;
        return calls.call(what, progress -> {
            // Filled on the call's thread; handed over only when the call has returned.
            List<Extent> extents = new ArrayList<>();
            LibRbd.DiffCallback callback = (extentOffset, extentLength, exists, arg) -> {
                progress.tick();
                if (extentLength > 0) {
                    extents.add(new Extent(extentOffset, extentLength, exists != 0));
                }
                return 0;
            };
            int rc = LibRbd.rbd_diff_iterate2(image, fromSnapshot, offset, length, (byte) 1,
                    (byte) (wholeObjects ? 1 : 0), callback, null);
            NativeCallException.check(what, rc);
            return extents;
        });
    }

    /** The ranges the extents cover, those closer than {@code gap} joined, in offset order. */
    static List<Extent> merged(List<Extent> extents, long gap) {
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparingLong(Extent::offset));
        List<Extent> ranges = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Extent extent : sorted) {
            if (start >= 0 && extent.offset() <= end + gap) {
                end = Math.max(end, extent.end());
                continue;
            }
            if (start >= 0) {
                ranges.add(new Extent(start, end - start, true));
            }
            start = extent.offset();
            end = extent.end();
        }
        if (start >= 0) {
            ranges.add(new Extent(start, end - start, true));
        }
        return ranges;
    }
}
