package dev.dpccheck.kernel;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One schedule recorded so that it replays exactly: a header (the format, the tool version, the
 * hash of the driver's sources, the machine's configuration and the seed of the workload and fault
 * streams), the violations it showed, every decision the strategy took (the index chosen among
 * how many options, and the chosen option's label, which a replay checks), and the events of the
 * interleaving: routine entries and returns, {@code Wdm} calls with the IRQL they leave, field and
 * array accesses with their values, device events and timer expiries, each with its step, virtual
 * time, processor and context.
 *
 * <p>The file is text, one record per line, tab-separated:
 * <pre>
 * dpccheck-trace  1
 * tool            0.1.0
 * driver          the driver's directory, absolute
 * source          sha256 of the driver's sources
 * config          cpus threads requests faults maxSteps sharedMemoryPoints
 * seed            17
 * strategy        random
 * violation       rule  file (relative to the driver's directory)  line  message  step  time  routine  context
 * choice          step  index  options  label
 * event           step  time  cpu  actor  text  [File.java:line, for a call or an access]
 * </pre>
 */
public final class Trace {
    /** The format this kernel writes and reads. */
    static final int FORMAT = 1;

    /** A decision: at which step, the index chosen of how many options, and the chosen option's label. */
    public record Choice(long step, int index, int options, String label) {
    }

    /**
     * An event of the interleaving. {@code cpu} is -1 for a device or timer event or a thread off
     * every processor; {@code where} is the driver line that made it ({@code File.java:line}, the
     * file relative to the driver's directory), for a {@code Wdm} call or a field or array access,
     * else null.
     */
    public record Event(long step, long time, int cpu, String actor, String text, String where) {
        /** The driver file of {@link #where}, or null. */
        public String file() {
            return where == null ? null : where.substring(0, where.lastIndexOf(':'));
        }

        /** The line of {@link #where}, or 0. */
        public int line() {
            return where == null ? 0 : Integer.parseInt(where.substring(where.lastIndexOf(':') + 1));
        }
    }

    private final Kernel k;
    final List<Choice> choices = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    private final Map<Integer, Field> reflected = new HashMap<>();

    Trace(Kernel k) {
        this.k = k;
    }

    void chose(long step, long now, List<Option> options, int index) {
        choices.add(new Choice(step, index, options.size(), options.get(index).label()));
    }

    /** An event of context {@code c} (null: a device or timer). */
    void event(KContext c, String text) {
        event(c, text, null);
    }

    private void event(KContext c, String text, String where) {
        Scheduler s = k.scheduler;
        events.add(new Event(s.steps, s.now, c == null || c.cpu == null ? -1 : c.cpu.number,
                c == null ? "-" : c.identity, text, where));
    }

    /**
     * The driver line running now, as an event names it: the file relative to the driver's
     * directory, as violations are recorded, and the line; null outside driver code. Only traced
     * schedules pay for the stack.
     */
    private String driverLine() {
        StackTraceElement at = k.image.driverFrame(new Throwable().getStackTrace());
        if (at == null) {
            return null;
        }
        return relativeFiles.computeIfAbsent(k.image.sourceName(at), f -> relative(k.image.root(), f)) + ":"
                + at.getLineNumber();
    }

    /** The driver's files as {@link #relative} names them, by the path violations name them by. */
    private final Map<String, String> relativeFiles = new HashMap<>();

    /** A {@code Wdm} call that returned {@code result}; the IRQL it leaves when it changed it. */
    void call(KContext c, String routine, Object[] args, Object result, int irqlBefore) {
        StringBuilder sb = new StringBuilder("calls ").append(routine).append(k.fields.arguments(args));
        if (result != null) {
            sb.append(" = ").append(k.fields.value(result));
        }
        int irql = c.cpu == null ? -1 : c.cpu.irql;
        if (irql != irqlBefore && irql >= 0) {
            sb.append("; IRQL ").append(IrqlContract.irqlName(irql));
        }
        event(c, sb.toString(), driverLine());
    }

    void access(KContext c, Object object, int fieldId, int index, boolean write, Object value) {
        Object v = write ? typed(object, fieldId, value) : valueOf(object, fieldId, index);
        event(c, (write ? "writes " : "reads ") + k.fields.describe(object, fieldId, index) + " = " + k.fields.value(v),
                driverLine());
    }

    /** The value a read gets: the field's, or the array element's, now (the read follows its scheduling point). */
    private Object valueOf(Object object, int fieldId, int index) {
        try {
            if (fieldId == FieldMonitor.ARRAY) {
                return java.lang.reflect.Array.get(object, index);
            }
            Field f = reflected(object, fieldId);
            return f == null ? "?" : f.get(object instanceof Class<?> ? null : object);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an index out of bounds: the read itself throws next
            return "?";
        }
    }

    /**
     * A written value as the field or element's type has it, as a read of it shows it: the JVM
     * stores a boolean or a char as an int, so that {@code Busy = true} would be written as 1.
     */
    private Object typed(Object object, int fieldId, Object value) {
        if (!(value instanceof Integer i)) {
            return value;
        }
        Class<?> type;
        if (fieldId == FieldMonitor.ARRAY) {
            type = object.getClass().getComponentType();
        } else {
            Field f = reflected(object, fieldId);
            type = f == null ? null : f.getType();
        }
        if (type == boolean.class) {
            return i != 0;
        }
        return type == char.class ? (Object) (char) i.intValue() : value;
    }

    /** The field of an access, looked up once; null when there is none by its name. */
    private Field reflected(Object object, int fieldId) {
        Field f = reflected.get(fieldId);
        if (f == null) {
            f = field(object instanceof Class<?> c ? c : object.getClass(), k.image.fieldSimpleName(fieldId));
            if (f == null) {
                return null;
            }
            try {
                f.setAccessible(true);
            } catch (RuntimeException e) {
                return null;
            }
            reflected.put(fieldId, f);
        }
        return f;
    }

    private static Field field(Class<?> c, String name) {
        for (Class<?> x = c; x != null; x = x.getSuperclass()) {
            for (Field f : x.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- the file

    /** The header of a trace: what a replay must match before it runs, and how its workload was steered. */
    public record Header(int format, String tool, String driver, String source, KernelConfig config, long seed,
            String strategy, Steering steering) {
    }

    /** A trace as read from a file. */
    public record Recorded(Header header, List<Violation> violations, List<Choice> choices, List<Event> events) {
    }

    /** A violation's file as a trace records it: relative to the driver's directory, so that it means the same anywhere. */
    static String relative(Path root, String file) {
        Path base = java.nio.file.Files.isDirectory(root) ? root : root.getParent() == null ? Path.of("") : root.getParent();
        try {
            return base.toAbsolutePath().normalize().relativize(Path.of(file).toAbsolutePath().normalize()).toString()
                    .replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return file;
        }
    }

    /** A violation's key with its file relative to the driver's directory, as the trace's violations have it. */
    static String key(Path root, Violation v) {
        return new Violation(v.rule(), v.message(), v.file() == null ? null : relative(root, v.file()), v.line(),
                v.routine(), v.context(), v.time(), v.step()).key();
    }

    /** The trace's text. */
    static String text(Header h, List<Violation> violations, List<Choice> choices, List<Event> events) {
        StringBuilder sb = new StringBuilder();
        line(sb, "dpccheck-trace", h.format());
        line(sb, "tool", h.tool());
        line(sb, "driver", h.driver());
        line(sb, "source", h.source());
        KernelConfig c = h.config();
        line(sb, "config", c.cpus(), c.threads(), c.requestsPerThread(), c.faultRate(), c.maxSteps(),
                c.sharedMemoryPoints());
        line(sb, "seed", h.seed());
        line(sb, "strategy", h.strategy());
        if (!h.steering().isNone()) {
            List<Object> f = new ArrayList<>();
            f.add("steering");
            f.addAll(h.steering().text());
            line(sb, f.toArray());
        }
        for (Violation v : violations) {
            line(sb, "violation", v.rule(), v.file() == null ? "-" : v.file(), v.line(), v.message(), v.step(), v.time(),
                    v.routine(), v.context());
        }
        for (Choice ch : choices) {
            line(sb, "choice", ch.step(), ch.index(), ch.options(), ch.label());
        }
        for (Event e : events) {
            if (e.where() == null) {
                line(sb, "event", e.step(), e.time(), e.cpu(), e.actor(), e.text());
            } else {
                line(sb, "event", e.step(), e.time(), e.cpu(), e.actor(), e.text(), e.where());
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(String.valueOf(fields[i]).replace('\t', ' ').replace('\n', ' '));
        }
        sb.append('\n');
    }

    /**
     * The name of the trace file of a violation's first schedule, in a directory of such traces:
     * {@code RuleId-File.java-LINE.trace}, {@code RuleId-run.trace} for a violation of the whole run.
     */
    public static String fileName(Violation v) {
        String where = v.file() == null ? "run" : Paths.get(v.file()).getFileName() + "-" + v.line();
        return (v.rule() + "-" + where).replaceAll("[^A-Za-z0-9._-]", "_") + ".trace";
    }

    /** Writes a trace whole or not at all: to a file beside the target, then moved over it. */
    static void write(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the trace '" + file + "': " + e.getMessage(), e);
        }
    }

    /** Thrown for a file that is not a trace this version of dpccheck can replay: the message is one sentence. */
    public static final class BadTraceException extends Exception {
        BadTraceException(String message) {
            super(message);
        }
    }

    /** Reads a trace file. */
    public static Recorded read(Path file) throws IOException, BadTraceException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("dpccheck-trace\t")) {
            throw new BadTraceException("'" + file + "' is not a dpccheck trace.");
        }
        Map<String, String[]> head = new HashMap<>();
        List<Violation> violations = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        int n = 0;
        try {
            for (String line : lines) {
                n++;
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "violation":
                        // step, time, routine and context follow since the first format's first files; older ones lack them
                        boolean more = f.length >= 9;
                        violations.add(new Violation(f[1], f[4], f[2].equals("-") ? null : f[2], Integer.parseInt(f[3]),
                                more ? f[7] : "-", more ? f[8] : "-", more ? Long.parseLong(f[6]) : 0,
                                more ? Long.parseLong(f[5]) : 0));
                        break;
                    case "choice":
                        choices.add(new Choice(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]));
                        break;
                    case "event":
                        // the driver line follows since session 12's traces; older ones lack it
                        events.add(new Event(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4], f[5],
                                f.length >= 7 && f[6].matches(".+:\\d+") ? f[6] : null));
                        break;
                    case "":
                        break;
                    default:
                        head.put(f[0], f);
                        break;
                }
            }
            int format = Integer.parseInt(need(head, "dpccheck-trace")[1]);
            if (format != FORMAT) {
                throw new BadTraceException("'" + file + "' is a trace of format " + format + "; this dpccheck reads format "
                        + FORMAT + ".");
            }
            String tool = need(head, "tool")[1];
            if (!tool.equals(Kernel.VERSION)) {
                throw new BadTraceException("'" + file + "' was written by dpccheck " + tool + "; this is dpccheck "
                        + Kernel.VERSION + ", whose schedules differ: record it again.");
            }
            String[] c = need(head, "config");
            KernelConfig config = KernelConfig.defaults().withCpus(Integer.parseInt(c[1]))
                    .withWorkload(Integer.parseInt(c[2]), Integer.parseInt(c[3])).withFaultRate(Double.parseDouble(c[4]))
                    .withMaxSteps(Long.parseLong(c[5])).withSharedMemoryPoints(Boolean.parseBoolean(c[6]));
            Steering steering = head.containsKey("steering") ? Steering.parse(head.get("steering")) : Steering.NONE;
            Header h = new Header(format, tool, need(head, "driver")[1], need(head, "source")[1], config, Long.parseLong(need(head, "seed")[1]),
                    need(head, "strategy")[1], steering);
            return new Recorded(h, violations, choices, events);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new BadTraceException("'" + file + "' is not a well-formed dpccheck trace: line " + n + " is damaged.");
        }
    }

    private static String[] need(Map<String, String[]> head, String key) throws BadTraceException {
        String[] f = head.get(key);
        if (f == null || f.length < 2) {
            throw new BadTraceException("the trace has no '" + key + "' line; it is damaged or not a dpccheck trace.");
        }
        return f;
    }
}
