package dev.dpccheck.analyzer.findings;

/**
 * Something the analyzer could not do, and the rest of the run went on: a file that does not
 * parse or is not UTF-8, a type that does not resolve, a method over the analysis budget.
 *
 * @param file the file concerned, or null for the whole run
 * @param line the line, or 0
 * @param message one sentence saying what and why
 */
public record Notification(String file, int line, String message) implements Comparable<Notification> {
    @Override
    public int compareTo(Notification o) {
        int c = String.valueOf(file).compareTo(String.valueOf(o.file));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(line, o.line);
        return c != 0 ? c : message.compareTo(o.message);
    }

    @Override
    public String toString() {
        return (file == null ? "" : file + (line > 0 ? ":" + line : "") + ": ") + message;
    }
}
