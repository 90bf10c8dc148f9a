package dev.dpccheck.analyzer.cfg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import spoon.reflect.declaration.CtElement;

/**
 * The control-flow graph of one method or lambda body. Nodes hold a leaf statement or one
 * atomic branch condition; conditions made of {@code &&}, {@code ||} and {@code !} are split so
 * that every condition node tests one operand, which is what branch correlation needs. A
 * {@code finally} block is copied onto every way out of its {@code try}. Exceptional edges run
 * from a node inside a {@code try} that has catch clauses to those clauses, and from a
 * {@code throw} to the handlers around it or to {@link #throwExit()}.
 */
public final class Cfg {
    /** What a node stands for. */
    public enum Kind {
        /** The method's entry. */
        ENTRY,
        /** The normal exit: every return and the fall off the end lead here. */
        EXIT,
        /** The exit by an exception that leaves the method. */
        THROW_EXIT,
        /** A leaf statement, evaluated as a whole (e.g. an invocation, an assignment, a local). */
        STATEMENT,
        /** One atomic condition; its successors are labeled TRUE and FALSE. */
        CONDITION,
        /** A switch selector; its successors are labeled CASE, one per case, in source order. */
        SWITCH,
        /** A {@code return}, with or without a value; its successor leads to the exit. */
        RETURN,
        /** A {@code throw}. */
        THROW,
        /** The head of a for-each loop: NEXT enters the body, DONE leaves the loop. */
        FOREACH,
        /** A point where paths meet and nothing is evaluated (loop heads, catch entries). */
        JOIN
    }

    /** How an edge leaves its node. */
    public enum EdgeKind { NORMAL, TRUE, FALSE, CASE, NEXT, DONE, EXCEPTION }

    /**
     * An edge to {@code to}; a CASE edge names the case it enters ({@code guard}, a CtCase), or the
     * switch itself when it leaves a switch without a default because no case matched.
     */
    public record Edge(Node to, EdgeKind kind, CtElement guard) {
        public Edge(Node to, EdgeKind kind) {
            this(to, kind, null);
        }
    }

    /** One node. */
    public static final class Node {
        private final int id;
        private final Kind kind;
        private final CtElement element;
        private final List<Edge> successors = new ArrayList<>();
        private final List<Node> predecessors = new ArrayList<>();
        private final String label;
        private java.util.Map<String, Object> memo;

        Node(int id, Kind kind, CtElement element, String label) {
            this.id = id;
            this.kind = kind;
            this.element = element;
            this.label = label;
        }

        public int id() {
            return id;
        }

        public Kind kind() {
            return kind;
        }

        /** The statement or expression, or null for ENTRY, EXIT, THROW_EXIT and JOIN. */
        public CtElement element() {
            return element;
        }

        public List<Edge> successors() {
            return Collections.unmodifiableList(successors);
        }

        public List<Node> predecessors() {
            return Collections.unmodifiableList(predecessors);
        }

        /** A value derived from the node (its events, say), computed once per key. */
        @SuppressWarnings("unchecked")
        public synchronized <T> T memo(String key, java.util.function.Supplier<T> compute) {
            if (memo == null) {
                memo = new java.util.HashMap<>();
            }
            Object v = memo.get(key);
            if (v == null) {
                v = compute.get();
                memo.put(key, v);
            }
            return (T) v;
        }

        /** For a CASE successor list: the case labels; otherwise null. */
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return id + ":" + kind + (element == null ? "" : "[" + oneLine(element) + "]");
        }

        private static String oneLine(CtElement e) {
            String s;
            try {
                s = e.toString();
            } catch (RuntimeException ex) {
                s = e.getClass().getSimpleName();
            }
            s = s.replaceAll("\\s+", " ");
            return s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
    }

    private final CtElement owner;
    private final List<Node> nodes = new ArrayList<>();
    private final Node entry;
    private final Node exit;
    private final Node throwExit;

    Cfg(CtElement owner) {
        this.owner = owner;
        this.entry = newNode(Kind.ENTRY, null, null);
        this.exit = newNode(Kind.EXIT, null, null);
        this.throwExit = newNode(Kind.THROW_EXIT, null, null);
    }

    Node newNode(Kind kind, CtElement element, String label) {
        Node n = new Node(nodes.size(), kind, element, label);
        nodes.add(n);
        return n;
    }

    static void link(Node from, Node to, EdgeKind kind) {
        link(from, to, kind, null);
    }

    static void link(Node from, Node to, EdgeKind kind, CtElement guard) {
        from.successors.add(new Edge(to, kind, guard));
        to.predecessors.add(from);
    }

    /** The method or lambda this graph belongs to. */
    public CtElement owner() {
        return owner;
    }

    public Node entry() {
        return entry;
    }

    public Node exit() {
        return exit;
    }

    public Node throwExit() {
        return throwExit;
    }

    /** Every node, by id. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** The graph as text, a node per line with its successors: for tests and debugging. */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n);
            for (Edge e : n.successors) {
                sb.append(e.kind == EdgeKind.NORMAL ? " ->" : " -" + e.kind + "->").append(e.to.id);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
