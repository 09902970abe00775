package io.cairn.host.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row and columns padded to their widest cell, separated by two spaces,
 * the last column unpadded.
 */
final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + header.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        StringBuilder text = new StringBuilder();
        writeTo(text);
        return text.toString();
    }

    /** Writes the table line by line (a listing's table can be 100,000 lines). */
    void writeTo(Appendable out) {
        int[] widths = new int[header.size()];
        measure(header, widths);
        for (List<String> row : rows) {
            measure(row, widths);
        }
        try {
            writeRow(out, header, widths);
            for (List<String> row : rows) {
                writeRow(out, row, widths);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void measure(List<String> row, int[] widths) {
        for (int i = 0; i < row.size(); i++) {
            widths[i] = Math.max(widths[i], row.get(i).length());
        }
    }

    private static void writeRow(Appendable out, List<String> row, int[] widths) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i])).append(i == row.size() - 1 ? "" : "  ");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }
}
