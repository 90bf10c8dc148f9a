package dev.dpccheck.analyzer.scan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the pre-scan needs of a Java file, from its tokens alone (no syntax tree): the imports, the
 * top-level types, every name the code spells (each dotted name and its prefixes: a superset of the
 * type and variable names a parser would find), and a bound on how deep its syntax tree can be.
 * Comments, string and character literals and text blocks are skipped. The compiler that builds
 * the model is the judge of whether the file parses.
 */
final class Skim {
    /** Imports of single types and static imports (their types, or the member's type for a static member). */
    final Set<String> imports = new HashSet<>();
    /** Packages and types imported on demand ({@code import p.*;}). */
    final Set<String> onDemand = new HashSet<>();
    /** The simple names of the types declared at the top level, in order. */
    final List<String> topLevel = new ArrayList<>();
    final Set<String> names = new HashSet<>();
    /**
     * An upper bound (up to a constant) on the depth of the file's syntax tree: four levels per
     * open bracket, and two per token of the longest run of tokens between statement boundaries
     * (an expression's tree is at most about twice as deep as it has tokens).
     */
    int depthBound;

    private final String text;
    private int at;

    private Skim(String text) {
        this.text = text.indexOf("\\u") < 0 ? text : unescaped(text);
    }

    /**
     * The text with its Unicode escapes translated, as the compiler does before it reads tokens
     * (JLS 3.3): {@code \u000a} inside a comment ends the comment, and the code after it counts. A
     * backslash that is itself escaped ({@code \\u}) starts no escape.
     */
    static String unescaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        int backslashes = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\\' && backslashes % 2 == 0 && i + 1 < n && text.charAt(i + 1) == 'u') {
                int j = i + 1;
                while (j < n && text.charAt(j) == 'u') {
                    j++;
                }
                if (j + 4 <= n && isHex(text, j)) {
                    out.append((char) Integer.parseInt(text.substring(j, j + 4), 16));
                    i = j + 3;
                    backslashes = 0;
                    continue;
                }
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isHex(String text, int from) {
        for (int k = from; k < from + 4; k++) {
            if (Character.digit(text.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static Skim of(String text) {
        Skim s = new Skim(text);
        s.run();
        return s;
    }

    private enum Kind { NAME, DOT, STAR, SEMI, OPEN_BRACE, CLOSE_BRACE, OPEN, CLOSE, AT, OTHER }

    private String word;

    private void run() {
        int braces = 0;
        int brackets = 0;
        int run = 0;
        int longestRun = 0;
        int deepest = 0;
        // the dotted name being read, and the token before the current one
        StringBuilder chain = null;
        Kind before = Kind.OTHER;
        boolean afterDot = false;
        // an import being read at the top level: its name, whether static, whether on demand
        StringBuilder importing = null;
        boolean importStatic = false;
        boolean importStar = false;
        boolean expectTypeName = false;
        Kind k;
        while ((k = next()) != null) {
            run++;
            switch (k) {
                case SEMI, OPEN_BRACE, CLOSE_BRACE -> {
                    longestRun = Math.max(longestRun, run);
                    run = 0;
                }
                default -> {
                }
            }
            if (k == Kind.OPEN_BRACE || k == Kind.OPEN) {
                brackets++;
                deepest = Math.max(deepest, brackets);
            } else if ((k == Kind.CLOSE_BRACE || k == Kind.CLOSE) && brackets > 0) {
                brackets--;
            }
            if (importing != null) {
                if (k == Kind.NAME && word.equals("static") && importing.length() == 0) {
                    importStatic = true;
                } else if (k == Kind.NAME) {
                    importing.append(word);
                } else if (k == Kind.DOT) {
                    importing.append('.');
                } else if (k == Kind.STAR) {
                    importStar = true;
                } else if (k == Kind.SEMI) {
                    addImport(importing.toString(), importStatic, importStar);
                    importing = null;
                }
                before = k;
                continue;
            }
            if (k == Kind.NAME) {
                if (expectTypeName) {
                    topLevel.add(word);
                    expectTypeName = false;
                } else if (braces == 0 && before != Kind.DOT && (word.equals("class") || word.equals("interface")
                        || word.equals("enum") || word.equals("record"))) {
                    expectTypeName = true;
                } else if (braces == 0 && word.equals("import") && before != Kind.DOT) {
                    importing = new StringBuilder();
                    importStatic = false;
                    importStar = false;
                }
                if (chain != null && afterDot) {
                    chain.append('.').append(word);
                } else {
                    chain = new StringBuilder(word);
                }
                names.add(chain.toString());
                afterDot = false;
            } else if (k == Kind.DOT && chain != null && before == Kind.NAME) {
                afterDot = true;
            } else {
                chain = null;
                afterDot = false;
                if (expectTypeName && k != Kind.AT) {
                    expectTypeName = false;
                }
            }
            if (k == Kind.OPEN_BRACE) {
                braces++;
            } else if (k == Kind.CLOSE_BRACE && braces > 0) {
                braces--;
            }
            before = k;
        }
        longestRun = Math.max(longestRun, run);
        depthBound = 4 * deepest + 2 * longestRun;
    }

    private void addImport(String name, boolean isStatic, boolean star) {
        if (name.isEmpty()) {
            return;
        }
        if (star && !isStatic) {
            onDemand.add(name);
        } else if (isStatic && !star && name.contains(".")) {
            imports.add(name.substring(0, name.lastIndexOf('.')));
        } else {
            imports.add(name);
        }
    }

    /** The next token's kind (a name's text in {@link #word}), or null at the end. */
    private Kind next() {
        int n = text.length();
        while (at < n) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '/' && at + 1 < n && text.charAt(at + 1) == '/') {
                int eol = text.indexOf('\n', at);
                at = eol < 0 ? n : eol + 1;
            } else if (c == '/' && at + 1 < n && text.charAt(at + 1) == '*') {
                int end = text.indexOf("*/", at + 2);
                at = end < 0 ? n : end + 2;
            } else if (c == '"' && text.startsWith("\"\"\"", at)) {
                at += 3;
                while (at < n && !text.startsWith("\"\"\"", at)) {
                    at += text.charAt(at) == '\\' ? 2 : 1;
                }
                at = Math.min(n, at + 3);
                return Kind.OTHER;
            } else if (c == '"' || c == '\'') {
                at++;
                while (at < n && text.charAt(at) != c && text.charAt(at) != '\n') {
                    at += text.charAt(at) == '\\' ? 2 : 1;
                }
                at = Math.min(n, at + 1);
                return Kind.OTHER;
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = at;
                while (at < n && Character.isJavaIdentifierPart(text.charAt(at))) {
                    at++;
                }
                word = text.substring(start, at);
                return Kind.NAME;
            } else if (Character.isDigit(c) || c == '.' && at + 1 < n && Character.isDigit(text.charAt(at + 1))) {
                at++;
                while (at < n) {
                    char d = text.charAt(at);
                    if (Character.isLetterOrDigit(d) || d == '_' || d == '.') {
                        at++;
                    } else if ((d == '+' || d == '-') && "eEpP".indexOf(text.charAt(at - 1)) >= 0) {
                        at++;
                    } else {
                        break;
                    }
                }
                return Kind.OTHER;
            } else {
                at++;
                return switch (c) {
                    case '.' -> Kind.DOT;
                    case '*' -> Kind.STAR;
                    case ';' -> Kind.SEMI;
                    case '{' -> Kind.OPEN_BRACE;
                    case '}' -> Kind.CLOSE_BRACE;
                    case '(', '[' -> Kind.OPEN;
                    case ')', ']' -> Kind.CLOSE;
                    case '@' -> Kind.AT;
                    default -> Kind.OTHER;
                };
            }
        }
        return null;
    }
}
