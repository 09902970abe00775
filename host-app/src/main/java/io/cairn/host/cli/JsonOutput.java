package io.cairn.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cairn.host.view.JsonStyle;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;

/** {@code --json}: Cairn's {@link JsonStyle}, pretty-printed. */
final class JsonOutput {

    private static final ObjectMapper JSON = JsonStyle.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * An array written element by element, exactly as {@link #write} writes a list followed by a line end (what
     * {@code println} of it prints): for listings too long to hold in memory as one text.
     */
    static ArrayWriter array(PrintStream out) {
        return new ArrayWriter(out);
    }

    /** A JSON array on its way out, in large pieces ({@link OutputText}); {@link #finish} ends it. */
    static final class ArrayWriter {

        private final Writer target;
        private final SequenceWriter sequence;

        private ArrayWriter(PrintStream out) {
            this.target = OutputText.bufferedTo(out);
            try {
                this.sequence = JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                        .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValuesAsArray(target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(Object value) {
            try {
                sequence.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Closes the array and writes the line end. */
        void finish() {
            try {
                sequence.close();
                target.write(System.lineSeparator());
                target.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
