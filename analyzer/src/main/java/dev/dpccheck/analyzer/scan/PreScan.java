package dev.dpccheck.analyzer.scan;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import dev.dpccheck.analyzer.findings.Notification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fast first pass. Every file is read once (its UTF-8 checked, its hash taken) and skimmed for
 * its package and the type names it declares; only the files that use the WDM API, and the files
 * declaring types those files name (transitively), are parsed with JavaParser, to find what they
 * name, and selected for the Spoon model. Files that do not parse or are not UTF-8 are
 * notifications, and the rest goes on.
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
            "\\b(?:class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");

    /** Scans the given files and directories (directories recursively, {@code .java} files only). */
    public static Result scan(List<Path> roots) throws IOException {
        List<Notification> notes = new ArrayList<>();
        Map<String, Summary> byPath = new TreeMap<>();
        List<Path[]> all = new ArrayList<>();
        for (Path root : roots) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    files = s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted()
                            .collect(Collectors.toList());
                }
            } else {
                files = List.of(root);
            }
            for (Path f : files) {
                all.add(new Path[] {root, f});
            }
        }
        // reading, hashing and skimming are independent per file: spread them over the processors
        List<Object> results = all.parallelStream().map(rf -> {
            String display = display(rf[0], rf[1]);
            List<Notification> own = new ArrayList<>();
            try {
                Summary s = summarize(rf[1], display, own);
                return s != null ? (Object) s : own.get(0);
            } catch (IOException e) {
                return new Notification(display, 0, "The file cannot be read: " + e.getMessage() + ".");
            }
        }).collect(Collectors.toList());
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
        List<Summary> seeds = new ArrayList<>(work);
        seeds.parallelStream().forEach(s -> {
            List<Notification> own = new ArrayList<>();
            if (!parse(s, own)) {
                failed.put(s, own.get(0));
            }
        });
        while (!work.isEmpty()) {
            Summary s = work.poll();
            if (failed.containsKey(s)) {
                notes.add(failed.get(s));
                selected.remove(s);
                continue;
            }
            if (s.names == null && !parse(s, notes)) {
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
        for (Summary s : byPath.values()) {
            if (selected.contains(s)) {
                out.add(s.file);
            }
        }
        notes.sort(null);
        return new Result(out, read, notes);
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
        byte[] bytes = Files.readAllBytes(f);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            notes.add(new Notification(display, 0, "The file is not valid UTF-8 and was not analyzed."));
            return null;
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

    /** Parses a selected file for the names it uses; false (and a notification) when it does not parse. */
    private static boolean parse(Summary s, List<Notification> notes) {
        JavaParser parser = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17).setAttributeComments(false));
        ParseResult<CompilationUnit> parsed = parser.parse(s.file.text());
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            Problem p = parsed.getProblems().isEmpty() ? null : parsed.getProblems().get(0);
            int line = p == null ? 0 : p.getLocation().flatMap(l -> l.getBegin().getRange())
                    .map(r -> r.begin.line).orElse(0);
            String why = p == null ? "it does not parse" : p.getMessage().lines().findFirst().orElse("").trim();
            notes.add(new Notification(s.file.display(), line, "The file does not parse and was not analyzed: "
                    + why + "."));
            return false;
        }
        CompilationUnit cu = parsed.getResult().get();
        s.imports = new HashSet<>();
        s.onDemand = new HashSet<>();
        for (ImportDeclaration i : cu.getImports()) {
            String n = i.getNameAsString();
            if (i.isAsterisk() && !i.isStatic()) {
                s.onDemand.add(n);
            } else if (!i.isStatic()) {
                s.imports.add(n);
            } else if (!i.isAsterisk()) {
                s.imports.add(n.substring(0, n.lastIndexOf('.')));
            } else {
                s.imports.add(n);
            }
        }
        s.names = new HashSet<>();
        for (ClassOrInterfaceType t : cu.findAll(ClassOrInterfaceType.class)) {
            s.names.add(t.getNameWithScope());
        }
        for (NameExpr n : cu.findAll(NameExpr.class)) {
            s.names.add(n.getNameAsString());
        }
        return true;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
