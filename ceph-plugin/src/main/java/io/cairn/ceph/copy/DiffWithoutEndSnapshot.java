package io.cairn.ceph.copy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes an {@code rbd export-diff} stream (format 1) on, less its end-snapshot record ({@code 't'}).
 *
 * <p>Why: {@code rbd import-diff} creates the stream's end snapshot itself once it has read the end record
 * and its writes are done. When the process that pumps the stream is killed, an {@code import-diff} child
 * can outlive it for a moment with the whole stream in its pipe, and would then create a restore point after
 * crash recovery had already removed the backup's resources - a snapshot nobody records. Without the
 * record, {@code import-diff} only writes the base image's head (which no restore reads); the restore
 * point is created by Cairn, journaled first, once {@code import-diff} has exited 0.
 *
 * <p>The format, as {@code rbd import-diff} reads it: the banner {@code "rbd diff v1\n"}, then records of a
 * tag byte and a fixed part - {@code 'f'} and {@code 't'} a little-endian 32-bit length and that many bytes
 * of snapshot name, {@code 's'} the image size (64 bits), {@code 'z'} offset and length (64 bits each),
 * {@code 'w'} offset and length followed by length bytes of data - and {@code 'e'}, the end. Anything else
 * (format 2, an unknown tag, bytes after the end) fails the transfer rather than passing on a stream this
 * class does not understand.
 */
final class DiffWithoutEndSnapshot extends OutputStream {

    /** A stream this filter cannot pass on faithfully. */
    static final class MalformedDiffException extends IOException {
        MalformedDiffException(String message) {
            super(message);
        }
    }

    private static final byte[] BANNER = "rbd diff v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NAME_LIMIT = 4096;

    private enum State { BANNER, TAG, FIXED, PAYLOAD, END }

    private final OutputStream out;
    private final byte[] fixed = new byte[16];
    private State state = State.BANNER;
    private int fixedWanted;
    private int fixedHave;
    private byte tag;
    private long payloadLeft;
    private boolean dropping;

    DiffWithoutEndSnapshot(OutputStream out) {
        this.out = out;
    }

    /** Whether the stream's end record has passed. */
    boolean complete() {
        return state == State.END;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            switch (state) {
                case BANNER, FIXED -> at = collect(bytes, at, end);
                case TAG -> startRecord(bytes[at++]);
                case PAYLOAD -> {
                    int n = (int) Math.min(payloadLeft, end - at);
                    if (!dropping) {
                        out.write(bytes, at, n);
                    }
                    at += n;
                    payloadLeft -= n;
                    if (payloadLeft == 0) {
                        finishPayload();
                    }
                }
                case END -> throw new MalformedDiffException("rbd export-diff wrote " + (end - at)
                        + " bytes after the stream's end record");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Gathers the banner or a record's fixed part, which may arrive split across writes. */
    private int collect(byte[] bytes, int at, int end) throws IOException {
        int wanted = state == State.BANNER ? BANNER.length : fixedWanted;
        int n = Math.min(wanted - fixedHave, end - at);
        System.arraycopy(bytes, at, fixed, fixedHave, n);
        fixedHave += n;
        if (fixedHave == wanted) {
            fixedHave = 0;
            if (state == State.BANNER) {
                checkBanner();
            } else {
                finishFixedPart();
            }
        }
        return at + n;
    }

    private void checkBanner() throws IOException {
        if (!Arrays.equals(fixed, 0, BANNER.length, BANNER, 0, BANNER.length)) {
            throw new MalformedDiffException("rbd export-diff wrote no format 1 banner (\"rbd diff v1\"): its stream"
                    + " starts with \"" + new String(fixed, 0, BANNER.length, StandardCharsets.US_ASCII).strip() + "\"");
        }
        out.write(BANNER);
        state = State.TAG;
    }

    private void startRecord(byte next) throws IOException {
        tag = next;
        dropping = next == 't';
        switch (next) {
            case 'f', 't' -> fixedWanted = 4;
            case 's' -> fixedWanted = 8;
            case 'w', 'z' -> fixedWanted = 16;
            case 'e' -> {
                out.write(next);
                state = State.END;
                return;
            }
            default -> throw new MalformedDiffException("rbd export-diff wrote a record of unknown type "
                    + (next & 0xff) + "; import-diff would skip it, so it is not passed on blindly");
        }
        if (!dropping) {
            out.write(next);
        }
        state = State.FIXED;
    }

    private void finishFixedPart() throws IOException {
        if (!dropping) {
            out.write(fixed, 0, fixedWanted);
        }
        payloadLeft = switch (tag) {
            case 'f', 't' -> nameLength();
            case 'w' -> littleEndianLong(8);
            default -> 0;
        };
        if (payloadLeft < 0) {
            throw new MalformedDiffException("rbd export-diff wrote a write record of negative length " + payloadLeft);
        }
        state = State.PAYLOAD;
        if (payloadLeft == 0) {
            finishPayload();
        }
    }

    private long nameLength() throws IOException {
        long length = (fixed[0] & 0xffL) | (fixed[1] & 0xffL) << 8 | (fixed[2] & 0xffL) << 16 | (fixed[3] & 0xffL) << 24;
        if (length > NAME_LIMIT) {
            throw new MalformedDiffException("rbd export-diff wrote a snapshot name of " + length + " bytes");
        }
        return length;
    }

    private long littleEndianLong(int from) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (fixed[from + i] & 0xffL);
        }
        return value;
    }

    private void finishPayload() {
        state = State.TAG;
    }
}
