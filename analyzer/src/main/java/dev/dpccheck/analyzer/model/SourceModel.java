package dev.dpccheck.analyzer.model;

import dev.dpccheck.analyzer.findings.Location;
import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.scan.SourceFile;
import dev.dpccheck.wdm.Wdm;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import spoon.Launcher;
import spoon.reflect.CtModel;
import spoon.reflect.cu.SourcePosition;
import spoon.reflect.declaration.CtElement;
import spoon.support.compiler.jdt.JDTBasedSpoonCompiler;

/**
 * The Spoon model of the files the pre-scan selected, with the WDM API (and the user's
 * classpath) on the classpath. Types that do not resolve leave the model usable (Spoon's
 * noClasspath mode) and become notifications.
 */
public final class SourceModel {
    private final CtModel model;
    private final Map<String, SourceFile> byAbsolutePath = new HashMap<>();
    private final List<Notification> notifications = new ArrayList<>();
    /** How many of the files given were left out of the model (they do not parse). */
    private int left;

    private SourceModel(CtModel model) {
        this.model = model;
    }

    /** Builds the model of {@code files}; {@code classpath} holds more jars or class directories. */
    public static SourceModel build(List<SourceFile> files, List<Path> classpath) {
        try {
            return build(files, classpath, List.of());
        } catch (RuntimeException e) {
            // Spoon can fail on what the compiler recovered from a syntax error: the files that do
            // not parse are left out first, as notifications, and the rest is built again
            List<SourceFile> parsing = new ArrayList<>();
            List<Notification> unparsed = new ArrayList<>();
            for (SourceFile f : files) {
                Notification why = dev.dpccheck.analyzer.scan.PreScan.problem(f);
                if (why == null) {
                    parsing.add(f);
                } else {
                    unparsed.add(why);
                }
            }
            if (unparsed.isEmpty()) {
                throw e;
            }
            SourceModel m = build(parsing, classpath, unparsed);
            m.left += unparsed.size();
            return m;
        }
    }

    private static SourceModel build(List<SourceFile> files, List<Path> classpath, List<Notification> unparsed) {
        Launcher launcher = new Launcher();
        var env = launcher.getEnvironment();
        env.setComplianceLevel(17);
        env.setNoClasspath(true);
        env.setCommentEnabled(false);
        env.setAutoImports(false);
        env.setShouldCompile(false);
        env.setIgnoreSyntaxErrors(true);
        List<String> cp = new ArrayList<>();
        cp.add(apiLocation());
        List<Notification> ignored = new ArrayList<>();
        for (Path p : classpath) {
            if (java.nio.file.Files.isDirectory(p) || java.nio.file.Files.isRegularFile(p)) {
                cp.add(p.toString());
            } else {
                String kind = dev.dpccheck.analyzer.scan.FileKinds.special(p);
                ignored.add(new Notification(null, 0, "The classpath entry '" + p + "' "
                        + (java.nio.file.Files.exists(p) ? "is " + kind + ", not a jar or a directory," : "does not exist")
                        + " and was ignored."));
            }
        }
        env.setSourceClasspath(cp.toArray(new String[0]));
        Map<String, SourceFile> byPath = new java.util.LinkedHashMap<>();
        for (SourceFile f : files) {
            launcher.addInputResource(new Read(f));
            byPath.put(key(f.path()), f);
        }
        CtModel model = launcher.buildModel();
        SourceModel m = new SourceModel(model);
        m.notifications.addAll(unparsed);
        m.notifications.addAll(ignored);
        m.byAbsolutePath.putAll(byPath);
        // the compiler is the judge of what parses: a file with a syntax error is left out of the
        // model (the compiler leaves out some itself, and builds others from what it recovered)
        Map<String, CategorizedProblem> syntax = new HashMap<>();
        // the compiler's errors, each with its file's key
        List<Map.Entry<CategorizedProblem, String>> errors = new ArrayList<>();
        if (launcher.getModelBuilder() instanceof JDTBasedSpoonCompiler jdt) {
            for (CategorizedProblem p : jdt.getProblems()) {
                if (p.isError() && p.getOriginatingFileName() != null) {
                    errors.add(Map.entry(p, key(Paths.get(new String(p.getOriginatingFileName())))));
                }
            }
        }
        for (Map.Entry<CategorizedProblem, String> e : errors) {
            if (e.getKey().getCategoryID() == CategorizedProblem.CAT_SYNTAX) {
                syntax.merge(e.getValue(), e.getKey(), (a, b) -> b.getSourceStart() < a.getSourceStart() ? b : a);
            }
        }
        java.util.Set<String> built = new java.util.HashSet<>();
        for (String path : launcher.getFactory().CompilationUnit().getMap().keySet()) {
            built.add(key(Paths.get(path)));
        }
        java.util.Set<String> left = new java.util.HashSet<>();
        for (Map.Entry<String, SourceFile> file : byPath.entrySet()) {
            String k = file.getKey();
            SourceFile f = file.getValue();
            CategorizedProblem p = syntax.get(k);
            if (built.contains(k) && p == null) {
                continue;
            }
            Notification why = p != null ? new Notification(f.display(), p.getSourceLineNumber(),
                    "The file does not parse and was not analyzed: " + p.getMessage() + ".")
                    : dev.dpccheck.analyzer.scan.PreScan.problem(f);
            m.notifications.add(why != null ? why
                    : new Notification(f.display(), 0, "The file does not parse and was not analyzed."));
            left.add(k);
        }
        m.left += left.size();
        if (!left.isEmpty()) {
            for (spoon.reflect.declaration.CtType<?> t : new ArrayList<>(model.getAllTypes())) {
                SourcePosition at = t.getPosition();
                if (at.isValidPosition() && at.getFile() != null && left.contains(key(at.getFile().toPath()))) {
                    t.delete();
                }
            }
        }
        TreeSet<String> unresolved = new TreeSet<>();
        for (Map.Entry<CategorizedProblem, String> e : errors) {
            if (!left.contains(e.getValue())) {
                CategorizedProblem p = e.getKey();
                SourceFile f = byPath.get(e.getValue());
                String file = f == null ? new String(p.getOriginatingFileName()) : f.display();
                unresolved.add(file + "\u0000" + p.getSourceLineNumber() + "\u0000" + p.getMessage());
            }
        }
        for (String u : unresolved) {
            String[] parts = u.split("\u0000", 3);
            m.notifications.add(new Notification(parts[0], Integer.parseInt(parts[1]),
                    "The compiler reports '" + parts[2] + "'; the analysis of this code is approximate."));
        }
        return m;
    }

    /**
     * A source file as the pre-scan read it: Spoon compiles that text (without a byte-order mark)
     * instead of reading the file again, which might have changed or might not be a file at all.
     */
    private static final class Read extends spoon.support.compiler.FileSystemFile {
        private final SourceFile source;

        Read(SourceFile source) {
            super(source.path().toFile());
            this.source = source;
        }

        @Override
        public char[] getContentChars(spoon.compiler.Environment env) {
            return source.text().toCharArray();
        }

        @Override
        public java.io.InputStream getContent() {
            return new java.io.ByteArrayInputStream(source.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The file's canonical path: Spoon names files by it, links resolved. */
    private static String key(Path p) {
        try {
            return p.toFile().getCanonicalPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }

    /** Where the WDM API's classes are: a jar or a class directory. */
    static String apiLocation() {
        try {
            return Paths.get(Wdm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    public CtModel model() {
        return model;
    }

    public List<Notification> notifications() {
        return notifications;
    }

    /** How many of the files given are in the model: those that parse. */
    public int filesBuilt(int given) {
        return given - left;
    }

    /** The source file an element comes from, or null for elements without a position. */
    public SourceFile fileOf(CtElement e) {
        SourcePosition p = e.getPosition();
        if (p == null || !p.isValidPosition() || p.getFile() == null) {
            return null;
        }
        // Spoon holds files by their canonical path already
        return byAbsolutePath.get(p.getFile().getPath());
    }

    /** The location of an element: its first line and the columns of its text on that line. */
    public Location locate(CtElement e) {
        SourceFile f = fileOf(e);
        SourcePosition p = e.getPosition();
        if (f == null) {
            return null;
        }
        int column = p.getColumn();
        // sourceEnd is the offset of the last character, inclusive; endColumn is exclusive, as in SARIF
        int last = p.getSourceEnd();
        if (last > p.getSourceStart() && last < f.text().length() && f.text().charAt(last) == ';') {
            // a statement's range holds its semicolon; the finding marks the code before it
            last--;
        }
        int end = p.getLine() == p.getEndLine() ? column + (last - p.getSourceStart() + 1)
                : lineLength(f, p.getLine()) + 1;
        return new Location(f.display(), p.getLine(), column, Math.max(end, column + 1));
    }

    /** The element's source text as written (its first line, trimmed, without a statement's semicolon). */
    public String snippet(CtElement e) {
        SourceFile f = fileOf(e);
        SourcePosition p = e.getPosition();
        if (f == null || p.getSourceStart() < 0 || p.getSourceEnd() >= f.text().length()) {
            return e.toString();
        }
        String text = f.text().substring(p.getSourceStart(), p.getSourceEnd() + 1);
        text = text.lines().findFirst().orElse("").strip();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }

    private static int lineLength(SourceFile f, int line) {
        String[] lines = f.text().split("\n", -1);
        return line - 1 < lines.length ? lines[line - 1].replace("\r", "").length() : 0;
    }
}
