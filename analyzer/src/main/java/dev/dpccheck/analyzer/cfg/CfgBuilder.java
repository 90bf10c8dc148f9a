package dev.dpccheck.analyzer.cfg;

import dev.dpccheck.analyzer.cfg.Cfg.EdgeKind;
import dev.dpccheck.analyzer.cfg.Cfg.Kind;
import dev.dpccheck.analyzer.cfg.Cfg.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtBlock;
import spoon.reflect.code.CtBreak;
import spoon.reflect.code.CtCase;
import spoon.reflect.code.CtCatch;
import spoon.reflect.code.CtContinue;
import spoon.reflect.code.CtDo;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFor;
import spoon.reflect.code.CtForEach;
import spoon.reflect.code.CtIf;
import spoon.reflect.code.CtLambda;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtReturn;
import spoon.reflect.code.CtStatement;
import spoon.reflect.code.CtStatementList;
import spoon.reflect.code.CtSwitch;
import spoon.reflect.code.CtSynchronized;
import spoon.reflect.code.CtThrow;
import spoon.reflect.code.CtTry;
import spoon.reflect.code.CtTryWithResource;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.CtWhile;
import spoon.reflect.code.CtYieldStatement;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.declaration.CtClass;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * Builds the {@link Cfg} of a method, constructor or lambda. The builder threads a list of
 * pending edges (the ways control can reach the next node) through the statements; an empty list
 * means the code that follows is unreachable. Jumps (break, continue, return, throw) walk a stack of
 * frames outwards and run a fresh copy of each {@code finally} block they cross.
 */
public final class CfgBuilder {
    /** A dangling edge: from a node, of a kind, to whatever node comes next. */
    private record Pending(Node from, EdgeKind kind, CtElement guard) {
        Pending(Node from, EdgeKind kind) {
            this(from, kind, null);
        }
    }

    /** A construct that jumps can leave or target. */
    private abstract static class Frame {
        final String label;

        Frame(String label) {
            this.label = label;
        }
    }

    /** A loop, a switch or a labeled statement: where break goes, and for loops where continue goes. */
    private static final class JumpFrame extends Frame {
        final boolean loop;
        final boolean acceptsUnlabeledBreak;
        final List<Pending> breaks = new ArrayList<>();
        final List<Pending> continues = new ArrayList<>();

        JumpFrame(String label, boolean loop, boolean acceptsUnlabeledBreak) {
            super(label);
            this.loop = loop;
            this.acceptsUnlabeledBreak = acceptsUnlabeledBreak;
        }
    }

    /** A try: its catch handlers' entries (may be empty) and its finally block (may be null). */
    private static final class TryFrame extends Frame {
        final List<Node> handlers = new ArrayList<>();
        final CtBlock<?> finalizer;
        /** Where an exception raised in a try with a finally but no catch goes: a copy of the finally. */
        Node exceptional;

        TryFrame(CtBlock<?> finalizer) {
            super(null);
            this.finalizer = finalizer;
        }
    }

    private final Cfg cfg;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private int budget;

    private CfgBuilder(CtElement owner, int budget) {
        this.cfg = new Cfg(owner);
        this.budget = budget;
    }

    /** Raised when a body needs more nodes than the budget allows. */
    public static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded(String message) {
            super(message);
        }
    }

    /** The graph of a method or constructor body; an abstract method gets ENTRY to EXIT. */
    public static Cfg build(CtExecutable<?> executable) {
        return build(executable, 20_000);
    }

    /** As {@link #build(CtExecutable)}, failing with {@link BudgetExceeded} past {@code maxNodes} nodes. */
    public static Cfg build(CtExecutable<?> executable, int maxNodes) {
        CfgBuilder b = new CfgBuilder(executable, maxNodes);
        List<Pending> out = List.of(new Pending(b.cfg.entry(), EdgeKind.NORMAL));
        if (executable instanceof CtLambda<?> lambda && lambda.getExpression() != null) {
            Node n = b.node(Kind.RETURN, lambda.getExpression(), out);
            out = List.of(new Pending(n, EdgeKind.NORMAL));
        } else if (executable.getBody() != null) {
            out = b.statement(executable.getBody(), out);
        }
        b.connect(out, b.cfg.exit());
        return b.cfg;
    }

    // ---------------------------------------------------------------- nodes and edges

    private Node node(Kind kind, CtElement element, List<Pending> in) {
        return node(kind, element, in, null);
    }

    private Node node(Kind kind, CtElement element, List<Pending> in, String label) {
        if (--budget < 0) {
            throw new BudgetExceeded("the control-flow graph needs more than its budget of nodes");
        }
        Node n = cfg.newNode(kind, element, label);
        connect(in, n);
        if (kind != Kind.JOIN && kind != Kind.CONDITION && kind != Kind.SWITCH && kind != Kind.FOREACH
                && element != null) {
            List<spoon.reflect.reference.CtTypeReference<?>> thrown = thrown(element);
            if (!thrown.isEmpty()) {
                for (Node h : exceptionTargets(thrown)) {
                    Cfg.link(n, h, EdgeKind.EXCEPTION);
                }
            }
        }
        return n;
    }

    /**
     * What the calls and object creations of {@code e} may throw: the checked exceptions they
     * declare, and any unchecked one (as {@code RuntimeException}). The WDM routines model C
     * routines and throw nothing into the driver (a misuse is a bug check, not an exception); plain
     * assignments of locals and literals throw nothing either.
     */
    private static List<spoon.reflect.reference.CtTypeReference<?>> thrown(CtElement e) {
        List<spoon.reflect.reference.CtTypeReference<?>> out = new ArrayList<>();
        for (CtElement x : dev.dpccheck.analyzer.model.Resolve.elements(e, spoon.reflect.code.CtAbstractInvocation.class)) {
            spoon.reflect.reference.CtExecutableReference<?> called = ((spoon.reflect.code.CtAbstractInvocation<?>) x)
                    .getExecutable();
            spoon.reflect.reference.CtTypeReference<?> owner = called == null ? null : called.getDeclaringType();
            if (owner != null && owner.getPackage() != null
                    && owner.getPackage().getQualifiedName().equals(dev.dpccheck.wdm.Wdm.class.getPackageName())) {
                continue;
            }
            if (out.isEmpty()) {
                out.add(e.getFactory().Type().createReference(RuntimeException.class));
            }
            spoon.reflect.declaration.CtExecutable<?> d = called == null ? null
                    : dev.dpccheck.analyzer.model.Resolve.declaration(called);
            if (d != null) {
                out.addAll(d.getThrownTypes());
            }
        }
        return out;
    }

    /** The types a handler catches (each alternative of a multi-catch). */
    private static List<spoon.reflect.reference.CtTypeReference<?>> caught(Node handler) {
        if (handler.element() instanceof spoon.reflect.code.CtCatchVariable<?> v) {
            return v.getMultiTypes().isEmpty() ? List.of(v.getType()) : new ArrayList<>(v.getMultiTypes());
        }
        return List.of();
    }

    /** The handlers of {@code t} that may catch an exception of one of the {@code thrown} types (any type: null or empty). */
    private static List<Node> catching(TryFrame t, List<spoon.reflect.reference.CtTypeReference<?>> thrown) {
        List<Node> handlers = new ArrayList<>();
        for (Node h : t.handlers) {
            if (thrown == null || thrown.isEmpty() || catches(caught(h), thrown)) {
                handlers.add(h);
            }
        }
        return handlers;
    }

    /** Whether an exception of one of the {@code thrown} types may be caught by a handler of one of the {@code caught} types. */
    private static boolean catches(List<spoon.reflect.reference.CtTypeReference<?>> caught,
            List<spoon.reflect.reference.CtTypeReference<?>> thrown) {
        if (caught.isEmpty()) {
            return true;
        }
        for (spoon.reflect.reference.CtTypeReference<?> c : caught) {
            for (spoon.reflect.reference.CtTypeReference<?> t : thrown) {
                // a handler for a subtype may catch what is thrown as its supertype, and the other way round
                if (t == null || c == null || t.isSubtypeOf(c) || c.isSubtypeOf(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void connect(List<Pending> in, Node to) {
        for (Pending p : in) {
            Cfg.link(p.from, to, p.kind, p.guard);
        }
    }

    private static List<Pending> out(Node n) {
        return List.of(new Pending(n, EdgeKind.NORMAL));
    }

    /**
     * Where an exception raised by a call goes: the catch handlers of the innermost try that has
     * some, through a copy of every finally block in between. An exception that leaves the method
     * is not followed (calls are not assumed to throw outside a try).
     */
    private List<Node> exceptionTargets() {
        return exceptionTargets(null);
    }

    /**
     * Where an exception of one of the {@code thrown} types goes (any type: null): the handlers of
     * the innermost try that may catch it, or the finally of a try on the way out.
     */
    private List<Node> exceptionTargets(List<spoon.reflect.reference.CtTypeReference<?>> thrown) {
        for (Frame f : frames) {
            if (f instanceof TryFrame t) {
                List<Node> handlers = catching(t, thrown);
                if (!handlers.isEmpty()) {
                    return handlers;
                }
                if (t.finalizer != null) {
                    return List.of(exceptionalEntry(t));
                }
            }
        }
        return List.of();
    }

    /** The entry of the finally copy that an exception runs when it leaves {@code t}, built once. */
    private Node exceptionalEntry(TryFrame t) {
        if (t.exceptional != null) {
            return t.exceptional;
        }
        Node entry = node(Kind.JOIN, null, List.of());
        t.exceptional = entry;
        Deque<Frame> saved = new ArrayDeque<>(frames);
        while (!frames.isEmpty() && frames.peek() != t) {
            frames.pop();
        }
        if (!frames.isEmpty()) {
            frames.pop();
        }
        try {
            List<Pending> after = statement(t.finalizer, out(entry));
            List<Node> targets = exceptionTargets();
            if (targets.isEmpty()) {
                connect(after, cfg.throwExit());
            } else {
                for (Node h : targets) {
                    connect(after, h);
                }
            }
        } finally {
            frames.clear();
            frames.addAll(saved);
        }
        return entry;
    }

    // ---------------------------------------------------------------- statements

    private List<Pending> statements(List<CtStatement> list, List<Pending> in) {
        List<Pending> cur = in;
        for (CtStatement s : list) {
            cur = statement(s, cur);
        }
        return cur;
    }

    private List<Pending> statement(CtStatement s, List<Pending> in) {
        String label = s.getLabel();
        if (label != null && !(s instanceof CtFor || s instanceof CtWhile || s instanceof CtDo
                || s instanceof CtForEach)) {
            JumpFrame f = new JumpFrame(label, false, false);
            frames.push(f);
            List<Pending> out;
            try {
                out = unlabeled(s, in);
            } finally {
                frames.pop();
            }
            return merge(out, f.breaks);
        }
        return unlabeled(s, in);
    }

    private List<Pending> unlabeled(CtStatement s, List<Pending> in) {
        if (s instanceof CtBlock<?> b) {
            return statements(b.getStatements(), in);
        }
        if (s instanceof CtStatementList l) {
            return statements(l.getStatements(), in);
        }
        if (s instanceof CtIf i) {
            return ifStatement(i, in);
        }
        if (s instanceof CtWhile w) {
            return whileLoop(w, in);
        }
        if (s instanceof CtDo d) {
            return doLoop(d, in);
        }
        if (s instanceof CtFor f) {
            return forLoop(f, in);
        }
        if (s instanceof CtForEach f) {
            return forEach(f, in);
        }
        if (s instanceof CtSwitch<?> sw) {
            return switchStatement(sw, in);
        }
        if (s instanceof CtTry t) {
            return tryStatement(t, in);
        }
        if (s instanceof CtSynchronized sy) {
            List<Pending> cur = sy.getExpression() == null ? in : out(node(Kind.STATEMENT, sy.getExpression(), in));
            return sy.getBlock() == null ? cur : statement(sy.getBlock(), cur);
        }
        if (s instanceof CtReturn<?> r) {
            Node n = node(Kind.RETURN, r, in);
            List<Pending> after = runFinallies(new ArrayList<>(frames), out(n));
            if (after.size() == 1 && after.get(0).from == n) {
                connect(after, cfg.exit());
            } else if (!after.isEmpty()) {
                // the exit's predecessor names the return the finally blocks ran for
                connect(out(node(Kind.JOIN, r, after)), cfg.exit());
            }
            return List.of();
        }
        if (s instanceof CtThrow t) {
            Node n = node(Kind.THROW, t, in);
            throwFrom(n);
            return List.of();
        }
        if (s instanceof CtBreak b) {
            jump(in, b.getTargetLabel(), false);
            return List.of();
        }
        if (s instanceof CtContinue c) {
            jump(in, c.getTargetLabel(), true);
            return List.of();
        }
        if (s instanceof CtYieldStatement) {
            // yield only appears inside switch expressions, which are evaluated within one node
            return out(node(Kind.STATEMENT, s, in));
        }
        if (s instanceof CtClass<?>) {
            // a local class declares, it does not run
            return in;
        }
        return out(node(Kind.STATEMENT, s, in));
    }

    private static List<Pending> merge(List<Pending> a, List<Pending> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<Pending> m = new ArrayList<>(a);
        m.addAll(b);
        return m;
    }

    // ---------------------------------------------------------------- conditions

    /** The outcome of a condition: the pending edges taken when it is true and when it is false. */
    private record Branches(List<Pending> whenTrue, List<Pending> whenFalse) {
    }

    private Branches condition(CtExpression<?> e, List<Pending> in) {
        if (e instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT) {
            Branches b = condition(u.getOperand(), in);
            return new Branches(b.whenFalse, b.whenTrue);
        }
        if (e instanceof CtBinaryOperator<?> bin && bin.getKind() == BinaryOperatorKind.AND) {
            Branches left = condition(bin.getLeftHandOperand(), in);
            Branches right = condition(bin.getRightHandOperand(), left.whenTrue);
            return new Branches(right.whenTrue, merge(left.whenFalse, right.whenFalse));
        }
        if (e instanceof CtBinaryOperator<?> bin && bin.getKind() == BinaryOperatorKind.OR) {
            Branches left = condition(bin.getLeftHandOperand(), in);
            Branches right = condition(bin.getRightHandOperand(), left.whenFalse);
            return new Branches(merge(left.whenTrue, right.whenTrue), right.whenFalse);
        }
        Boolean constant = constantBoolean(e);
        if (constant != null) {
            // a compile-time constant condition: only one way is possible, the other is dead code
            return constant ? new Branches(in, List.of()) : new Branches(List.of(), in);
        }
        Node n = node(Kind.CONDITION, e, in);
        return new Branches(List.of(new Pending(n, EdgeKind.TRUE)), List.of(new Pending(n, EdgeKind.FALSE)));
    }

    /**
     * The value of a boolean literal, of a static final field initialized with one, or of a
     * comparison of two int constants ({@code DBG_LEVEL >= DBG_TRACE}); else null.
     */
    private static Boolean constantBoolean(CtExpression<?> e) {
        if (e instanceof CtLiteral<?> lit && lit.getValue() instanceof Boolean v) {
            return v;
        }
        Boolean compared = dev.dpccheck.analyzer.driver.WdmRoutine.constantComparison(e);
        if (compared != null) {
            return compared;
        }
        if (e instanceof spoon.reflect.code.CtFieldRead<?> f) {
            spoon.reflect.declaration.CtField<?> field = dev.dpccheck.analyzer.model.Resolve.declaration(f.getVariable());
            if (field != null && field.isStatic() && field.isFinal()
                    && field.getDefaultExpression() instanceof CtLiteral<?> lit && lit.getValue() instanceof Boolean v) {
                return v;
            }
        }
        return null;
    }

    private List<Pending> ifStatement(CtIf i, List<Pending> in) {
        Branches b = condition(i.getCondition(), in);
        List<Pending> thenOut = i.getThenStatement() == null ? b.whenTrue : statement(i.getThenStatement(), b.whenTrue);
        List<Pending> elseOut = i.getElseStatement() == null ? b.whenFalse
                : statement(i.getElseStatement(), b.whenFalse);
        return merge(thenOut, elseOut);
    }

    // ---------------------------------------------------------------- loops

    private List<Pending> loopBody(CtStatement body, List<Pending> in, JumpFrame f) {
        frames.push(f);
        try {
            return body == null ? in : statement(body, in);
        } finally {
            frames.pop();
        }
    }

    private List<Pending> whileLoop(CtWhile w, List<Pending> in) {
        Node head = node(Kind.JOIN, null, in);
        Branches b = condition(w.getLoopingExpression(), out(head));
        JumpFrame f = new JumpFrame(w.getLabel(), true, true);
        List<Pending> bodyOut = loopBody(w.getBody(), b.whenTrue, f);
        connect(merge(bodyOut, f.continues), head);
        return merge(b.whenFalse, f.breaks);
    }

    private List<Pending> doLoop(CtDo d, List<Pending> in) {
        Node head = node(Kind.JOIN, null, in);
        JumpFrame f = new JumpFrame(d.getLabel(), true, true);
        List<Pending> bodyOut = loopBody(d.getBody(), out(head), f);
        Branches b = condition(d.getLoopingExpression(), merge(bodyOut, f.continues));
        connect(b.whenTrue, head);
        return merge(b.whenFalse, f.breaks);
    }

    private List<Pending> forLoop(CtFor loop, List<Pending> in) {
        List<Pending> cur = statements(loop.getForInit(), in);
        Node head = node(Kind.JOIN, null, cur);
        Branches b = loop.getExpression() == null ? new Branches(out(head), List.of())
                : condition(loop.getExpression(), out(head));
        JumpFrame f = new JumpFrame(loop.getLabel(), true, true);
        List<Pending> bodyOut = loopBody(loop.getBody(), b.whenTrue, f);
        List<Pending> update = statements(loop.getForUpdate(), merge(bodyOut, f.continues));
        connect(update, head);
        return merge(b.whenFalse, f.breaks);
    }

    private List<Pending> forEach(CtForEach loop, List<Pending> in) {
        Node iterable = node(Kind.STATEMENT, loop.getExpression(), in);
        Node head = node(Kind.FOREACH, loop.getVariable(), out(iterable));
        JumpFrame f = new JumpFrame(loop.getLabel(), true, true);
        List<Pending> bodyOut = loopBody(loop.getBody(), List.of(new Pending(head, EdgeKind.NEXT)), f);
        connect(merge(bodyOut, f.continues), head);
        return merge(List.of(new Pending(head, EdgeKind.DONE)), f.breaks);
    }

    // ---------------------------------------------------------------- switch

    private List<Pending> switchStatement(CtSwitch<?> sw, List<Pending> in) {
        List<String> labels = new ArrayList<>();
        for (CtCase<?> c : sw.getCases()) {
            labels.add(c.getCaseExpressions().isEmpty() ? "default" : c.getCaseExpressions().toString());
        }
        Node selector = node(Kind.SWITCH, sw.getSelector(), in, String.join(" | ", labels));
        JumpFrame f = new JumpFrame(null, false, true);
        frames.push(f);
        List<Pending> fallThrough = List.of();
        boolean hasDefault = false;
        try {
            for (CtCase<?> c : sw.getCases()) {
                hasDefault |= c.getCaseExpressions().isEmpty();
                List<Pending> entry = merge(List.of(new Pending(selector, EdgeKind.CASE, c)), fallThrough);
                boolean arrow = c.getCaseKind() == spoon.reflect.code.CaseKind.ARROW;
                List<Pending> body = statements(c.getStatements(), entry);
                if (arrow) {
                    f.breaks.addAll(body);
                    fallThrough = List.of();
                } else {
                    fallThrough = body;
                }
            }
        } finally {
            frames.pop();
        }
        List<Pending> after = merge(fallThrough, f.breaks);
        if (!hasDefault) {
            after = merge(after, List.of(new Pending(selector, EdgeKind.CASE, sw)));
        }
        return after;
    }

    // ---------------------------------------------------------------- try

    private List<Pending> tryStatement(CtTry t, List<Pending> in) {
        TryFrame frame = new TryFrame(t.getFinalizer());
        List<Node> handlerEntries = new ArrayList<>();
        for (CtCatch c : t.getCatchers()) {
            Node entry = node(Kind.JOIN, c.getParameter(), List.of());
            handlerEntries.add(entry);
        }
        frame.handlers.addAll(handlerEntries);
        List<Pending> cur = in;
        frames.push(frame);
        List<Pending> bodyOut;
        try {
            if (t instanceof CtTryWithResource r) {
                for (spoon.reflect.code.CtResource<?> res : r.getResources()) {
                    cur = out(node(Kind.STATEMENT, res, cur));
                }
            }
            bodyOut = statement(t.getBody(), cur);
        } finally {
            frames.pop();
        }
        // the handlers run inside the try's finally, but are not protected by their own catches
        TryFrame finallyOnly = new TryFrame(t.getFinalizer());
        frames.push(finallyOnly);
        List<Pending> handlersOut = new ArrayList<>();
        try {
            for (int i = 0; i < handlerEntries.size(); i++) {
                handlersOut.addAll(statement(t.getCatchers().get(i).getBody(), out(handlerEntries.get(i))));
            }
        } finally {
            frames.pop();
        }
        List<Pending> normal = merge(bodyOut, handlersOut);
        if (t.getFinalizer() == null || normal.isEmpty()) {
            return normal;
        }
        return statement(t.getFinalizer(), normal);
    }

    // ---------------------------------------------------------------- jumps

    /** break or continue: to the frame it names, through every finally in between. */
    private void jump(List<Pending> in, String label, boolean isContinue) {
        List<Pending> cur = in;
        List<Frame> crossed = new ArrayList<>();
        for (Iterator<Frame> it = frames.iterator(); it.hasNext();) {
            Frame f = it.next();
            if (f instanceof JumpFrame j) {
                boolean match = label != null ? Objects.equals(label, j.label)
                        : isContinue ? j.loop : j.acceptsUnlabeledBreak;
                if (match && (!isContinue || j.loop)) {
                    cur = runFinallies(crossed, cur);
                    (isContinue ? j.continues : j.breaks).addAll(cur);
                    return;
                }
            }
            crossed.add(f);
        }
        // a jump with no target does not compile; treat it as leaving the method
        connect(runFinallies(crossed, cur), cfg.exit());
    }

    /** throw: to the innermost handlers, or out of the method through every finally. */
    private void throwFrom(Node n) {
        List<Frame> crossed = new ArrayList<>();
        List<Pending> cur = out(n);
        List<spoon.reflect.reference.CtTypeReference<?>> thrown = n.element() instanceof CtThrow t
                && t.getThrownExpression() != null && t.getThrownExpression().getType() != null
                ? List.of(t.getThrownExpression().getType()) : List.of();
        for (Frame f : frames) {
            if (f instanceof TryFrame t) {
                // only the handlers that may catch what is thrown; none: on to the enclosing try
                List<Node> handlers = catching(t, thrown);
                if (!handlers.isEmpty()) {
                    cur = runFinallies(crossed, cur);
                    for (Node h : handlers) {
                        connect(cur, h);
                    }
                    return;
                }
            }
            crossed.add(f);
        }
        connect(runFinallies(crossed, cur), cfg.throwExit());
    }

    /**
     * Runs a copy of the finally block of every try among {@code crossed} (innermost first), each
     * built in the context outside its own try.
     */
    private List<Pending> runFinallies(List<Frame> crossed, List<Pending> in) {
        List<Pending> cur = in;
        for (Frame f : crossed) {
            if (f instanceof TryFrame t && t.finalizer != null && !cur.isEmpty()) {
                Deque<Frame> saved = new ArrayDeque<>(frames);
                while (!frames.isEmpty() && frames.peek() != t) {
                    frames.pop();
                }
                if (!frames.isEmpty()) {
                    frames.pop();
                }
                try {
                    cur = statement(t.finalizer, cur);
                } finally {
                    frames.clear();
                    frames.addAll(saved);
                }
            }
        }
        return cur;
    }
}
