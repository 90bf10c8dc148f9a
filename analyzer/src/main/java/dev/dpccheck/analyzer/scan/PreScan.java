package dev.dpccheck.analyzer.scan;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import dev.dpccheck.analyzer.findings.Notification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fast first pass. Every file is read once (its UTF-8 checked, its hash taken) and skimmed for
 * its package and the type names it declares; only the files that use the WDM API, and the files
 * declaring types those files name (transitively), are skimmed token by token for what they name
 * ({@link Skim}), and selected for the Spoon model. Files that are not UTF-8, or too deep, are
 * notifications (as the files that do not parse are, once the model is built), and the rest goes on.
 */
public final class PreScan {
    private static final String WDM_PACKAGE = "dev.dpccheck.wdm";

    /** What the pre-scan found. */
    public record Result(List<SourceFile> selected, int filesRead, List<Notification> notifications) {
    }

    /** Per file: what it declares, whether it uses the WDM API, and once parsed what it names. */
    private static final class Summary {
        final SourceFile file;
        final String pkg;
        final Set<String> declared;
        final boolean usesWdm;
        Set<String> imports;
        Set<String> onDemand;
        Set<String> names;
        List<String> topLevel;

        Summary(SourceFile file, String pkg, Set<String> declared, boolean usesWdm) {
            this.file = file;
            this.pkg = pkg;
            this.declared = declared;
            this.usesWdm = usesWdm;
        }
    }

    private static final java.util.regex.Pattern PACKAGE = java.util.regex.Pattern.compile(
            "^\\s*package\\s+([\\w.]+)\\s*;", java.util.regex.Pattern.MULTILINE);
    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile(
            "\\b(?:class|interface|enum|record)\\s+(\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)");

    private static final java.util.regex.Pattern LEXICAL_LINE = java.util.regex.Pattern.compile("at line (\\d+),");

    /** The largest source file read: a larger one is a notification (and no memory is spent on it). */
    public static final int MAX_BYTES = 16 << 20;
    /** The deepest syntax tree analyzed: deeper code is a notification, so no stage overflows its stack. */
    public static final int MAX_DEPTH = 10_000;

    /**
     * Scans the given files and directories (directories recursively, {@code .java} files only,
     * symbolic links followed). Only regular files are read; anything else, and whatever cannot be
     * read, is a notification.
     */
    public static Result scan(List<Path> roots) throws IOException {
        List<Notification> notes = new ArrayList<>();
        Map<String, Summary> byPath = new TreeMap<>();
        List<Path[]> all = new ArrayList<>();
        for (Path root : roots) {
            for (Path f : discover(root, notes)) {
                all.add(new Path[] {root, f});
            }
        }
        // reading, hashing and skimming are independent per file: spread them over the processors
        List<Object> results = parallel(all, rf -> {
            String display = display(rf[0], rf[1]);
            List<Notification> own = new ArrayList<>();
            try {
                Summary s = summarize(rf[1], display, own);
                return s != null ? (Object) s : own.get(0);
            } catch (IOException e) {
                return new Notification(display, 0, "The file cannot be read (" + FileKinds.reason(e)
                        + ") and was not analyzed.");
            }
        });
        int read = all.size();
        for (Object r : results) {
            if (r instanceof Summary s) {
                byPath.put(s.file.display(), s);
            } else {
                notes.add((Notification) r);
            }
        }
        // which file declares each type, by qualified name
        Map<String, Summary> declaring = new HashMap<>();
        for (Summary s : byPath.values()) {
            for (String t : s.declared) {
                declaring.put(s.pkg.isEmpty() ? t : s.pkg + "." + t, s);
            }
        }
        Set<Summary> selected = new HashSet<>();
        Deque<Summary> work = new ArrayDeque<>();
        for (Summary s : byPath.values()) {
            if (s.usesWdm) {
                selected.add(s);
                work.add(s);
            }
        }
        // the files that use the API are parsed side by side; the ones they pull in, as found
        Map<Summary, Notification> failed = new java.util.concurrent.ConcurrentHashMap<>();
        parallel(new ArrayList<>(work), s -> {
            List<Notification> own = new ArrayList<>();
            if (!skim(s, own)) {
                failed.put(s, own.get(0));
            }
            return s;
        });
        while (!work.isEmpty()) {
            Summary s = work.poll();
            if (failed.containsKey(s)) {
                notes.add(failed.get(s));
                selected.remove(s);
                continue;
            }
            if (s.names == null && !skim(s, notes)) {
                selected.remove(s);
                continue;
            }
            for (String name : s.names) {
                for (String candidate : candidates(s, name)) {
                    Summary d = declaring.get(candidate);
                    if (d != null && selected.add(d)) {
                        work.add(d);
                    }
                }
            }
        }
        List<SourceFile> out = new ArrayList<>();
        // two files declaring one type cannot be in one model: the first (in path order) is analyzed
        Map<String, Summary> owner = new HashMap<>();
        for (Summary s : byPath.values()) {
            if (!selected.contains(s)) {
                continue;
            }
            String twice = null;
            for (String t : s.topLevel) {
                if (owner.containsKey(t)) {
                    twice = t;
                    notes.add(new Notification(s.file.display(), 0, "The file declares '" + t + "', which '"
                            + owner.get(t).file.display() + "' declares too, and was not analyzed."));
                    break;
                }
            }
            if (twice == null) {
                s.topLevel.forEach(t -> owner.put(t, s));
                out.add(s.file);
            }
        }
        notes.sort(null);
        return new Result(out, read, notes);
    }

    /** The files to read under {@code root}: regular files only, in path order; the rest are notifications. */
    private static List<Path> discover(Path root, List<Notification> notes) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            String kind = FileKinds.special(root);
            if (Files.isSymbolicLink(root) && !Files.exists(root)) {
                notes.add(brokenLink(display(root, root), root));
            } else if (kind == null) {
                files.add(root);
            } else {
                notes.add(notReadable(display(root, root), kind));
            }
            return files;
        }
        int[] javaFiles = {0};
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<Path>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!file.getFileName().toString().endsWith(".java")) {
                            return FileVisitResult.CONTINUE;
                        }
                        javaFiles[0]++;
                        if (attrs.isRegularFile()) {
                            files.add(file);
                        } else if (attrs.isSymbolicLink()) {
                            notes.add(brokenLink(display(root, file), file));
                        } else {
                            notes.add(notReadable(display(root, file), FileKinds.special(file)));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        String what = Files.isDirectory(file) ? "directory" : "file";
                        notes.add(new Notification(display(root, file), 0, e instanceof FileSystemLoopException
                                ? "The directory links back to one that holds it and was not searched again."
                                : "The " + what + " cannot be read (" + FileKinds.reason(e) + ")"
                                        + (what.equals("directory") ? "; the files in it were not analyzed." : ".")));
                        return FileVisitResult.CONTINUE;
                    }
                });
        if (javaFiles[0] == 0) {
            notes.add(new Notification(display(root, root), 0, "The directory holds no Java files."));
        }
        files.sort(null);
        return files;
    }

    private static Notification notReadable(String display, String kind) {
        return new Notification(display, 0, "The file is " + (kind == null ? "not a regular file" : kind
                + ", not a regular file,") + " and was not read.");
    }

    /** A link that cannot be followed: to nowhere, or round to itself. */
    private static Notification brokenLink(String display, Path link) {
        return new Notification(display, 0, "The file is a symbolic link "
                + (loops(link) ? "loop" : "to a file that does not exist") + " and was not read.");
    }

    private static boolean loops(Path link) {
        try {
            link.toRealPath();
            return false;
        } catch (java.nio.file.FileSystemException e) {
            return !(e instanceof java.nio.file.NoSuchFileException);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code f} of every item, in order, on large-stack threads. */
    private static <A, B> List<B> parallel(List<A> items, java.util.function.Function<A, B> f) throws IOException {
        try {
            return LargeStack.map("dpccheck-scan", items, f);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> candidates(Summary s, String name) {
        List<String> c = new ArrayList<>();
        String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        c.add(name);
        c.add(s.pkg.isEmpty() ? first : s.pkg + "." + first);
        for (String i : s.imports) {
            if (i.endsWith("." + first)) {
                c.add(i);
            }
        }
        for (String p : s.onDemand) {
            c.add(p + "." + first);
        }
        return c;
    }

    private static String display(Path root, Path file) {
        Path shown = Files.isDirectory(root) ? root.resolve(root.relativize(file)) : file;
        return shown.normalize().toString().replace('\\', '/');
    }

    private static Summary summarize(Path f, String display, List<Notification> notes) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(f)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            notes.add(new Notification(display, 0, "The file is larger than " + (MAX_BYTES >> 20)
                    + " MiB and was not analyzed."));
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            notes.add(new Notification(display, 0, "The file is not valid UTF-8 and was not analyzed."));
            return null;
        }
        if (text.startsWith("\uFEFF")) {
            // a byte-order mark says only that the file is UTF-8: the compilers would take it for code
            text = text.substring(1);
        }
        java.util.regex.Matcher p = PACKAGE.matcher(text);
        String pkg = p.find() ? p.group(1) : "";
        Set<String> declared = new HashSet<>();
        java.util.regex.Matcher t = TYPE.matcher(text);
        while (t.find()) {
            declared.add(t.group(1));
        }
        boolean usesWdm = text.contains(WDM_PACKAGE + ".") || text.contains(WDM_PACKAGE + ";")
                || pkg.equals(WDM_PACKAGE);
        return new Summary(new SourceFile(f, display, sha256(bytes), text), pkg, declared, usesWdm);
    }

    /**
     * Skims a selected file for the names it uses ({@link Skim}). Only a file whose tokens allow a
     * syntax tree deeper than the bound is parsed here, to measure it: false (and a notification)
     * when it is too deep, or does not parse. Whether the others parse, the compiler that builds the
     * model decides ({@link #problem}).
     */
    private static boolean skim(Summary s, List<Notification> notes) {
        Skim skim = Skim.of(s.file.text());
        if (skim.depthBound > MAX_DEPTH / 2) {
            Notification why = problem(s.file);
            if (why != null) {
                notes.add(why);
                return false;
            }
        }
        String prefix = s.pkg.isEmpty() ? "" : s.pkg + ".";
        s.topLevel = new ArrayList<>();
        for (String t : skim.topLevel) {
            s.topLevel.add(prefix + t);
        }
        s.imports = skim.imports;
        s.onDemand = skim.onDemand;
        s.names = new HashSet<>();
        for (String n : skim.names) {
            // a dotted name and each of its prefixes: a type's qualified name may be followed by a member's
            for (int dot = n.indexOf('.'); dot > 0; dot = n.indexOf('.', dot + 1)) {
                s.names.add(n.substring(0, dot));
            }
            s.names.add(n);
        }
        // what the file imports it names too (a static import's type, whose members it uses by simple name)
        s.names.addAll(skim.imports);
        return true;
    }

    /**
     * Why a file cannot be analyzed, as a notification: it does not parse (with the parser's first
     * problem and its line), or its syntax tree is deeper than {@link #MAX_DEPTH}; null when
     * neither. For the files the compiler could not build into the model, and for the files whose
     * tokens allow a very deep tree.
     */
    public static Notification problem(SourceFile file) {
        ParseResult<CompilationUnit> parsed;
        try {
            // without the token list, which only positions need: a file that fails is parsed again for its line
            parsed = parser(false).parse(file.text());
            if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
                parsed = parser(true).parse(file.text());
            }
        } catch (StackOverflowError e) {
            return tooDeep(file.display());
        }
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            Problem p = parsed.getProblems().isEmpty() ? null : parsed.getProblems().get(0);
            int line = p == null ? 0 : p.getLocation().flatMap(l -> l.getBegin().getRange())
                    .map(r -> r.begin.line).orElse(0);
            java.util.regex.Matcher at = LEXICAL_LINE.matcher(p == null ? "" : p.getMessage());
            if (line == 0 && at.find()) {
                // a lexical error has no location, only its line in the message
                line = Integer.parseInt(at.group(1));
            }
            String why = p == null ? "it does not parse" : p.getMessage().lines().findFirst().orElse("").trim();
            return new Notification(file.display(), line, "The file does not parse and was not analyzed: " + why + ".");
        }
        return deeperThan(parsed.getResult().get(), MAX_DEPTH) ? tooDeep(file.display()) : null;
    }

    private static JavaParser parser(boolean tokens) {
        return new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setAttributeComments(false).setStoreTokens(tokens));
    }

    private static Notification tooDeep(String display) {
        return new Notification(display, 0, "The file is nested too deeply to analyze (more than " + MAX_DEPTH
                + " levels); its findings may be missing.");
    }

    /**
     * Whether the syntax tree is deeper than {@code limit}, found without recursion. Parentheses
     * do not count: the model keeps them as a mark on the expression they enclose, not as a level.
     */
    static boolean deeperThan(Node root, int limit) {
        Deque<Node> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Node n = nodes.pop();
            int d = depths.pop();
            if (d > limit) {
                return true;
            }
            for (Node c : n.getChildNodes()) {
                nodes.push(c);
                depths.push(n instanceof com.github.javaparser.ast.expr.EnclosedExpr ? d : d + 1);
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
