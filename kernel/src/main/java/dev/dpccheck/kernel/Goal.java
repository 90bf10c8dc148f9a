package dev.dpccheck.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a directed search looks for ({@code audit --validate}): the violations the static analysis
 * predicted, each a rule at a source line, and the lines of their witnesses. A run with a goal
 * stops as soon as it has seen every target; a PCT run places its priority changes only at
 * decisions where a context is inside a method holding one of the lines, or is about to touch a
 * field one of the lines accesses (see {@link Focus}).
 */
public final class Goal {
    /** One predicted violation: a rule at a line of a file (the file made absolute; null for the whole run). */
    public record Target(String rule, String file, int line) {
        public Target {
            file = file == null ? null : absolute(file);
        }

        /** The rule at the line, as findings and violations are matched: the same for the same place. */
        public String key() {
            return rule + "\t" + (file == null ? "-" : file) + "\t" + line;
        }
    }

    /** The targets by {@link Target#key}. */
    private final Map<String, Target> targets = new TreeMap<>();
    private final Map<String, BitSet> lines = new TreeMap<>();

    /**
     * A goal of {@code targets}, whose lines and {@code witnessLines} (each {@code file:line}
     * as a pair, the file as violations name it) are where the search looks.
     */
    public Goal(Collection<Target> targets, Map<String, ? extends Collection<Integer>> witnessLines) {
        for (Target t : targets) {
            this.targets.put(t.key(), t);
            line(t.file(), t.line());
        }
        witnessLines.forEach((file, ls) -> ls.forEach(l -> line(file, l)));
    }

    private void line(String file, int line) {
        if (line > 0) {
            lines.computeIfAbsent(absolute(file), f -> new BitSet()).set(line);
        }
    }

    static String absolute(String file) {
        return Path.of(file).toAbsolutePath().normalize().toString();
    }

    /** Whether {@code v} is one of the targets. */
    boolean wants(Violation v) {
        return v.file() != null && targets.containsKey(new Target(v.rule(), v.file(), v.line()).key());
    }

    /** The targets, each once, sorted. */
    public List<Target> targets() {
        return List.copyOf(targets.values());
    }

    /** The number of targets. */
    public int size() {
        return targets.size();
    }

    /** Whether the line of a file (absolute, as {@link #absolute} makes it) is one the search looks at. */
    boolean covers(String absoluteFile, int line) {
        BitSet b = absoluteFile == null ? null : lines.get(absoluteFile);
        return b != null && line > 0 && b.get(line);
    }

    /** The lines of one file (absolute), or null. */
    BitSet linesOf(String absoluteFile) {
        return lines.get(absoluteFile);
    }

    /** The goal as text for the channel to the child JVM: a line per target and per looked-at line. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String t : targets.keySet()) {
            sb.append("target\t").append(t).append('\n');
        }
        lines.forEach((file, b) -> b.stream().forEach(l -> sb.append("line\t").append(file).append('\t').append(l)
                .append('\n')));
        return sb.toString();
    }

    /** The goal {@link #text} wrote. */
    static Goal parse(String text) {
        List<Target> targets = new ArrayList<>();
        Map<String, List<Integer>> lines = new TreeMap<>();
        for (String row : text.split("\n")) {
            String[] f = row.split("\t");
            if (f[0].equals("target") && f.length == 4) {
                targets.add(new Target(f[1], f[2], Integer.parseInt(f[3])));
            } else if (f[0].equals("line") && f.length == 3) {
                lines.computeIfAbsent(f[1], x -> new ArrayList<>()).add(Integer.parseInt(f[2]));
            } else if (!row.isEmpty()) {
                throw new IllegalArgumentException("not a line of a goal: " + row);
            }
        }
        return new Goal(targets, lines);
    }

    /**
     * Where the goal's lines are in one driver image: the methods that hold one, and the observed
     * fields some access at one of the lines touches. A context is in focus when one of those
     * methods is on its stack or its pending operation touches one of those fields (the other side
     * of a race, wherever its line).
     */
    static final class Focus {
        final BitSet methods;
        final BitSet fields;

        Focus(BitSet methods, BitSet fields) {
            this.methods = methods;
            this.fields = fields;
        }

        boolean isEmpty() {
            return methods.isEmpty() && fields.isEmpty();
        }

        boolean covers(KContext c) {
            Pending p = c.pending;
            if ((p.kind == Pending.Kind.READ || p.kind == Pending.Kind.WRITE) && p.field >= 0 && fields.get(p.field)) {
                return true;
            }
            return c.inAnyMethod(methods);
        }
    }
}
