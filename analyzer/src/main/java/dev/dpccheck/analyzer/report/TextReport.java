package dev.dpccheck.analyzer.report;

import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text report: one finding per line as {@code path:line:col: level [RuleId] message}, then
 * the source line and a caret under the finding's columns, then a summary line.
 */
public final class TextReport {
    private TextReport() {
    }

    /** Writes the report; {@code hidden} findings were hidden by a baseline (0 for none). */
    public static void write(Analyzer.Result result, int hidden, PrintWriter out) {
        Map<String, List<String>> lines = new HashMap<>();
        Map<String, Integer> validated = new java.util.TreeMap<>();
        int shown = 0;
        int suppressed = 0;
        for (Finding f : result.findings()) {
            if (f.suppressed()) {
                suppressed++;
                continue;
            }
            shown++;
            var at = f.location();
            out.printf("%s:%d:%d: %s [%s] %s%n", at.file(), at.line(), at.column(), f.severity().level(), f.ruleId(),
                    f.message());
            List<String> text = lines.computeIfAbsent(at.file(), SourceLines::of);
            if (at.line() - 1 < text.size()) {
                String src = text.get(at.line() - 1).replace("\t", " ");
                out.println(src);
                int width = Math.max(1, Math.min(at.endColumn(), src.length() + 1) - at.column());
                out.println(" ".repeat(Math.max(0, at.column() - 1)) + "^" + "~".repeat(Math.max(0, width - 1)));
            }
            if (f.validation() != null) {
                out.println("    validation: " + f.validation().describe());
                if (f.validation().trace() != null) {
                    out.println("    replay: " + f.validation().replayCommand());
                }
                validated.merge(f.validation().status().label(), 1, Integer::sum);
            }
        }
        String notShown = suppressed > 0 && hidden > 0 ? " (" + suppressed + " suppressed, " + hidden + " in the baseline)"
                : suppressed > 0 ? " (" + suppressed + " suppressed)" : hidden > 0 ? " (" + hidden + " in the baseline)" : "";
        out.printf("%d finding%s%s in %d file%s analyzed (%d read)%s%n", shown, shown == 1 ? "" : "s",
                notShown, result.filesAnalyzed(),
                result.filesAnalyzed() == 1 ? "" : "s", result.filesRead(),
                result.notifications().isEmpty() ? "" : "; " + result.notifications().size() + " notification"
                        + (result.notifications().size() == 1 ? "" : "s"));
        if (!validated.isEmpty()) {
            StringBuilder sb = new StringBuilder("validation:");
            validated.forEach((status, n) -> sb.append(' ').append(n).append(' ').append(status).append(','));
            out.println(sb.substring(0, sb.length() - 1));
        }
    }
}
