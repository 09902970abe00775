package io.cairn.tck;

import io.cairn.api.model.VolumeRef;
import java.util.Random;

/** A volume the kit made, and what it must hold: every write goes to the volume and to this model. */
final class TckVolume {

    private final BackendFixture fixture;
    private final VolumeRef ref;
    private final byte[] content;
    private final Random random;

    TckVolume(BackendFixture fixture, VolumeRef ref, long size, long seed) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the kit's volumes are small; " + size + " bytes is too much");
        }
        this.fixture = fixture;
        this.ref = ref;
        this.content = new byte[(int) size];
        this.random = new Random(seed);
    }

    VolumeRef ref() {
        return ref;
    }

    long size() {
        return content.length;
    }

    /** Writes random bytes at {@code offset} (clipped to the volume). */
    void writeRandom(long offset, int length) {
        int n = (int) Math.min(length, content.length - offset);
        byte[] data = new byte[n];
        random.nextBytes(data);
        write(offset, data);
    }

    void write(long offset, byte[] data) {
        fixture.write(ref, offset, data);
        System.arraycopy(data, 0, content, (int) offset, data.length);
    }

    /** What the volume holds now. */
    byte[] content() {
        return content.clone();
    }

    @Override
    public String toString() {
        return ref.toString();
    }
}
