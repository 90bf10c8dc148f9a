package dev.dpccheck.analyzer.scan;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
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
 * The fast first pass: parses every source file with JavaParser (no symbol resolution) and selects
 * the files that use the WDM API, plus the files declaring types those files name (transitively),
 * so that only they are built into the Spoon model. Files that do not parse or are not UTF-8 are
 * notifications, and the rest goes on.
 */
public final class PreScan {
    private static final String WDM_PACKAGE = "dev.dpccheck.wdm";

    /** What the pre-scan found. */
    public record Result(List<SourceFile> selected, int filesRead, List<Notification> notifications) {
    }

    /** Per file: what it declares and what it names. */
    private record Summary(SourceFile file, String pkg, Set<String> declared, Set<String> imports,
            Set<String> onDemand, Set<String> names, boolean usesWdm) {
    }

    private PreScan() {
    }

    /** Scans the given files and directories (directories recursively, {@code .java} files only). */
    public static Result scan(List<Path> roots) throws IOException {
        List<Notification> notes = new ArrayList<>();
        Map<String, Summary> byPath = new TreeMap<>();
        int read = 0;
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
                read++;
                String display = display(root, f);
                Summary s = summarize(f, display, notes);
                if (s != null) {
                    byPath.put(display, s);
                }
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
        while (!work.isEmpty()) {
            Summary s = work.poll();
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
        JavaParser parser = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17).setAttributeComments(false));
        ParseResult<CompilationUnit> parsed = parser.parse(text);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            Problem p = parsed.getProblems().isEmpty() ? null : parsed.getProblems().get(0);
            int line = p == null ? 0 : p.getLocation().flatMap(l -> l.getBegin().getRange())
                    .map(r -> r.begin.line).orElse(0);
            String why = p == null ? "it does not parse" : p.getMessage().lines().findFirst().orElse("").trim();
            notes.add(new Notification(display, line, "The file does not parse and was not analyzed: " + why + "."));
            return null;
        }
        CompilationUnit cu = parsed.getResult().get();
        String pkg = cu.getPackageDeclaration().map(d -> d.getNameAsString()).orElse("");
        Set<String> declared = new HashSet<>();
        for (TypeDeclaration<?> t : cu.findAll(TypeDeclaration.class)) {
            declared.add(t.getFullyQualifiedName().map(q -> pkg.isEmpty() ? q : q.substring(pkg.length() + 1))
                    .orElse(t.getNameAsString()));
        }
        Set<String> imports = new HashSet<>();
        Set<String> onDemand = new HashSet<>();
        boolean usesWdm = pkg.equals(WDM_PACKAGE) || pkg.startsWith(WDM_PACKAGE + ".");
        for (ImportDeclaration i : cu.getImports()) {
            String n = i.getNameAsString();
            usesWdm |= n.equals(WDM_PACKAGE) || n.startsWith(WDM_PACKAGE + ".");
            if (i.isAsterisk() && !i.isStatic()) {
                onDemand.add(n);
            } else if (!i.isStatic()) {
                imports.add(n);
            } else if (!i.isAsterisk()) {
                imports.add(n.substring(0, n.lastIndexOf('.')));
            } else {
                imports.add(n);
            }
        }
        Set<String> names = new HashSet<>();
        for (ClassOrInterfaceType t : cu.findAll(ClassOrInterfaceType.class)) {
            names.add(t.getNameWithScope());
        }
        for (NameExpr n : cu.findAll(NameExpr.class)) {
            names.add(n.getNameAsString());
        }
        // a fully qualified use without an import
        usesWdm |= text.contains(WDM_PACKAGE + ".");
        SourceFile file = new SourceFile(f, display, sha256(bytes), text);
        return new Summary(file, pkg, declared, imports, onDemand, names, usesWdm);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
