package io.cairn.host.cli;

import java.io.BufferedWriter;
import java.io.PrintStream;
import java.io.Writer;

/**
 * Long output (a listing of 100,000 backups) written to a command's stream in large pieces: the stream flushes at
 * every line end, one system call per line otherwise. Characters are encoded by the stream itself, in its charset,
 * as {@code print} would.
 */
final class OutputText {

    private static final int BUFFER_CHARS = 1 << 16;

    private OutputText() {
    }

    /** A buffered writer onto {@code out}; flush it at the end. Closing it flushes and leaves {@code out} open. */
    static Writer bufferedTo(PrintStream out) {
        return new BufferedWriter(new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                out.print(java.nio.CharBuffer.wrap(chars, offset, length));
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        }, BUFFER_CHARS);
    }
}
