package dev.dpccheck.kernel;

import dev.dpccheck.wdm.KInterrupt;
import dev.dpccheck.wdm.KSpinLock;
import dev.dpccheck.wdm.Kdpc;

/**
 * What a context will do when it is next chosen: start, call a {@code Wdm} routine, or read or
 * write a field, a static field or an array element. Set at each scheduling point of the context,
 * read by the options of the decision taken there ({@link Option#operation}, {@link Option#target}).
 */
final class Pending {
    enum Kind { START, CONTINUE, CALL, READ, WRITE }

    private final Kernel k;
    Kind kind = Kind.START;
    /** CALL: the routine and its arguments. */
    String routine;
    Object[] args;
    /** READ, WRITE: the object (a Class for a static field), the field id or {@link FieldMonitor#ARRAY}, the index. */
    Object object;
    int field;
    int index;

    Pending(Kernel k) {
        this.k = k;
    }

    void call(String name, Object[] arguments) {
        kind = Kind.CALL;
        routine = name;
        args = arguments;
        object = null;
    }

    void access(Object o, int fieldId, int element, boolean write) {
        kind = write ? Kind.WRITE : Kind.READ;
        object = o;
        field = fieldId;
        index = element;
        args = null;
    }

    /** After the operation: the context goes on (until its next point, the kernel does not know what to). */
    void done() {
        kind = Kind.CONTINUE;
        object = null;
        args = null;
    }

    String describe() {
        switch (kind) {
            case START:
                return "starts";
            case CONTINUE:
                return "continues";
            case CALL:
                return "calls " + routine + k.fields.arguments(args);
            default:
                return (kind == Kind.WRITE ? "writes " : "reads ") + k.fields.describe(object, field, index);
        }
    }

    /** The shared thing the operation touches, or null. */
    String target() {
        switch (kind) {
            case READ:
            case WRITE:
                return k.fields.describe(object, field, index);
            case CALL:
                if (args != null) {
                    for (Object a : args) {
                        if (a instanceof KSpinLock || a instanceof KInterrupt || a instanceof Kdpc) {
                            return k.fields.objectLabel(a);
                        }
                    }
                }
                return routine.contains("REGISTER") || routine.contains("PORT") ? "registers" : null;
            default:
                return null;
        }
    }

    /** Whether context {@code c}, whose pending operation this is, is where a directed search looks. */
    boolean inFocus(KContext c) {
        return k.focus != null && k.focus.covers(c);
    }

    boolean writes() {
        return kind != Kind.READ;
    }
}
