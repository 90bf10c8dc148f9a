package dev.dpccheck.kernel.verifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The inline markers of the test drivers under {@code testdata/}, one parser for the conformance
 * test, the corpus test and the benchmarks:
 * <ul>
 * <li>{@code // expect: A, B (confirmed)}: the analyzer reports A and B on this line; B is also
 * shown here by the simulated kernel's runtime verifier. A rule with no static check (such as
 * {@code DataRace}) can only be expected {@code (confirmed)}.</li>
 * <li>{@code // expect-run: A}: the runtime verifier shows A with no driver line to name (a stall
 * of the whole run).</li>
 * <li>{@code // spurious: A}: the analyzer reports A here and it is not a defect (a known false
 * positive).</li>
 * <li>{@code // missing: A}: a defect the analyzer does not report (a known false negative);
 * {@code (confirmed)} here too says that the kernel shows it.</li>
 * </ul>
 * Text after the list (a parenthesised remark that is not {@code (confirmed)}) is a comment.
 */
public final class Markers {
    private static final Pattern START = Pattern.compile("//\\s*(expect-run|expect|spurious|missing):");
    private static final Pattern ITEM = Pattern.compile("\\s*([A-Za-z]+)(\\s*\\(confirmed\\))?\\s*(,)?");

    /** What a marker says. */
    public enum Kind {
        EXPECT, EXPECT_RUN, SPURIOUS, MISSING
    }

    /** One rule named by a marker: {@code file} as given to {@link #of}, {@code line} from 1. */
    public record Marker(Path file, int line, Kind kind, String rule, boolean confirmed) {
        /** {@code File.java:line:Rule} with the file's name only, as the corpus tests key runtime violations. */
        public String key() {
            return file.getFileName() + ":" + line + ":" + rule;
        }
    }

    private Markers() {
    }

    /** The markers of every {@code .java} file under {@code root} (a file or a directory), in file and line order. */
    public static List<Marker> of(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        List<Marker> out = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                parse(f, i + 1, lines.get(i), out);
            }
        }
        return out;
    }

    /** Adds the markers on one source line to {@code out}. */
    public static void parse(Path file, int line, String text, List<Marker> out) {
        Matcher start = START.matcher(text);
        int from = 0;
        while (start.find(from)) {
            Kind kind = switch (start.group(1)) {
                case "expect" -> Kind.EXPECT;
                case "expect-run" -> Kind.EXPECT_RUN;
                case "spurious" -> Kind.SPURIOUS;
                default -> Kind.MISSING;
            };
            Matcher item = ITEM.matcher(text);
            int at = start.end();
            while (item.find(at) && item.start() == at) {
                out.add(new Marker(file, line, kind, item.group(1), item.group(2) != null));
                at = item.end();
                if (item.group(3) == null) {
                    break;
                }
            }
            from = Math.max(at, start.end());
        }
    }

    /**
     * What the runtime verifier must show in a seeded driver: {@code File.java:line:Rule} for each
     * {@code (confirmed)} rule (of an {@code expect} marker, or of a {@code missing} one: a defect
     * the analyzer misses and the kernel shows) and {@code run:Rule} for each {@code expect-run}
     * marker.
     */
    public static java.util.SortedSet<String> runtimeExpectations(List<Marker> markers) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (Marker m : markers) {
            if (m.kind() == Kind.EXPECT_RUN) {
                out.add("run:" + m.rule());
            } else if ((m.kind() == Kind.EXPECT || m.kind() == Kind.MISSING) && m.confirmed()) {
                out.add(m.key());
            }
        }
        return out;
    }
}
