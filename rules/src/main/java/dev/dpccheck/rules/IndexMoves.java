package dev.dpccheck.rules;

/**
 * Array elements named through an index variable, as the automata's text keys name them: {@code
 * ext.Ports[i]} names another element once {@code i} moved on. A key the automaton keeps is
 * rewritten when the index is written ({@code [i+]}: an element before the one {@code [i]} now
 * names, in a loop that counts up), so that the element a path worked on in an earlier turn of a
 * loop is not taken for the one it works on now.
 */
final class IndexMoves {
    private IndexMoves() {
    }

    /**
     * How a write moves an integer variable: {@code '+'} for {@code i++} or {@code i += 2}, {@code
     * '-'} for {@code i--} or {@code i -= 1}, {@code '?'} for anything else.
     */
    static char direction(spoon.reflect.code.CtVariableWrite<?> w) {
        if (w.getParent() instanceof spoon.reflect.code.CtUnaryOperator<?> u) {
            return switch (u.getKind()) {
                case POSTINC, PREINC -> '+';
                case POSTDEC, PREDEC -> '-';
                default -> '?';
            };
        }
        if (w.getParent() instanceof spoon.reflect.code.CtOperatorAssignment<?, ?> a && a.getAssigned() == w
                && a.getAssignment() instanceof spoon.reflect.code.CtLiteral<?> l && l.getValue() instanceof Integer n
                && n > 0) {
            return a.getKind() == spoon.reflect.code.BinaryOperatorKind.PLUS ? '+'
                    : a.getKind() == spoon.reflect.code.BinaryOperatorKind.MINUS ? '-' : '?';
        }
        return '?';
    }

    /**
     * An object key after index {@code var} moved in {@code direction}: {@code ext.Ports[i]} becomes
     * {@code ext.Ports[i+]}, an element past the one the text now names; moved the other way as
     * well, or set anew, {@code [i?]}, which may be any element, that one included.
     */
    static String moved(String object, String var, char direction) {
        String out = object;
        for (char was : new char[] {'\0', '+', '-', '?'}) {
            String from = "[" + var + (was == '\0' ? "" : String.valueOf(was)) + "]";
            char now = was == '\0' || was == direction ? direction : '?';
            out = out.replace(from, "[" + var + now + "]");
        }
        return out;
    }

    /** {@code a[i+]} (or {@code a[i-]}) and {@code a[i]}: the element queued and one the index moved on to. */
    static boolean otherElement(String queued, String written) {
        int open = written.lastIndexOf('[');
        return open > 0 && written.endsWith("]") && queued.length() == written.length() + 1
                && queued.startsWith(written.substring(0, written.length() - 1))
                && (queued.endsWith("+]") || queued.endsWith("-]"));
    }

    /**
     * Whether {@code access} is an array field read at an index that moved since {@code key} was
     * taken ({@code b.PortStatus[i]} where the key is {@code b.Ports[i+]}): arrays indexed alike
     * hold one element per unit, and this is the element of another one.
     */
    static boolean movedIndexOf(String key, spoon.reflect.code.CtFieldAccess<?> access) {
        return access.getParent() instanceof spoon.reflect.code.CtArrayAccess<?, ?> element
                && element.getTarget() == access
                && element.getIndexExpression() instanceof spoon.reflect.code.CtVariableRead<?> v
                && (key.contains("[" + v.getVariable().getSimpleName() + "+]")
                || key.contains("[" + v.getVariable().getSimpleName() + "-]"));
    }
}
