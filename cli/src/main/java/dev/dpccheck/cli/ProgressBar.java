package dev.dpccheck.cli;

import dev.dpccheck.analyzer.Analyzer;
import java.io.PrintWriter;

/**
 * A one-line progress display on stderr, shown only when stderr is a terminal and only once the
 * audit has taken more than a moment; it erases itself when done.
 */
final class ProgressBar implements Analyzer.Progress, AutoCloseable {
    private static final long DELAY_NANOS = 700_000_000L;
    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private boolean shown;

    private ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A bar on {@code err} when the process has a terminal (System.console()), else one that shows nothing. */
    static ProgressBar onTerminal(PrintWriter err) {
        return new ProgressBar(err, System.console() != null);
    }

    @Override
    public synchronized void step(String phase, int done, int total) {
        if (!terminal || System.nanoTime() - start < DELAY_NANOS) {
            return;
        }
        int width = 30;
        int filled = total == 0 ? width : Math.min(width, done * width / total);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + phase + " " + done + "/" + total
                + "   ");
        err.flush();
        shown = true;
    }

    @Override
    public synchronized void close() {
        if (shown) {
            err.print("\r" + " ".repeat(70) + "\r");
            err.flush();
        }
    }
}
