package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The line format of the channel between {@code dpccheck simulate} and the child JVM that runs
 * the driver: one frame per line, the run's nonce first, then the frame's type and fields,
 * tab-separated, with tabs, line breaks and backslashes escaped. A line without the nonce did not
 * come from the child's kernel and is ignored.
 */
final class Channel {
    private Channel() {
    }

    /** One frame: its type and fields. */
    record Frame(String type, List<String> fields) {
        String field(int i) {
            return i < fields.size() ? fields.get(i) : null;
        }

        long longField(int i) {
            return Long.parseLong(field(i));
        }

        int intField(int i) {
            return Integer.parseInt(field(i));
        }
    }

    static String encode(String nonce, String type, Object... fields) {
        StringBuilder sb = new StringBuilder(nonce).append('\t').append(type);
        for (Object f : fields) {
            sb.append('\t');
            escape(sb, f == null ? null : String.valueOf(f));
        }
        return sb.toString();
    }

    private static void escape(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("\\0");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    /** The frame on {@code line}, or null when the line does not carry {@code nonce}. */
    static Frame decode(String nonce, String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean isNull = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                parts.add(isNull ? null : cur.toString());
                cur.setLength(0);
                isNull = false;
            } else if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                switch (n) {
                    case 't' -> cur.append('\t');
                    case 'n' -> cur.append('\n');
                    case 'r' -> cur.append('\r');
                    case '0' -> isNull = true;
                    default -> cur.append(n);
                }
            } else {
                cur.append(c);
            }
        }
        parts.add(isNull ? null : cur.toString());
        if (parts.size() < 2 || !nonce.equals(parts.get(0))) {
            return null;
        }
        return new Frame(parts.get(1), Collections.unmodifiableList(new ArrayList<>(parts.subList(2, parts.size()))));
    }
}
