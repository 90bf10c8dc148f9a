package dev.dpccheck.analyzer.findings;

import java.util.Comparator;

/**
 * A place in a source file.
 *
 * @param file the path as the user gave it (relative paths stay relative), with '/' separators
 * @param line 1-based
 * @param column 1-based first column
 * @param endColumn 1-based column after the last character on the first line, at least column + 1
 */
public record Location(String file, int line, int column, int endColumn) implements Comparable<Location> {
    private static final Comparator<Location> ORDER = Comparator.comparing(Location::file)
            .thenComparingInt(Location::line).thenComparingInt(Location::column).thenComparingInt(Location::endColumn);

    @Override
    public int compareTo(Location o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
