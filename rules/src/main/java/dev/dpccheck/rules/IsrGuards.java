package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtAssignment;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldAccess;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtFieldWrite;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtOperatorAssignment;
import spoon.reflect.code.CtUnaryOperator;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.code.UnaryOperatorKind;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * When the ISR touches what it touches, and what it leaves behind for its DPC.
 *
 * <p>An ISR that returns early unless an operation is in progress ({@code if (!ext.Busy) return
 * false;}, {@code if (ext.CurrentIrp == null) return false;}, {@code if (ext.InterruptsMasked)
 * return false;}) touches the operation's context and the device only while that holds; one that
 * lowers the flag before it queues its DPC has handed the context over to that DPC. The facts are
 * atoms about one field (keyed by its declaration, for every object of its type): {@code F} and
 * {@code !F} for a boolean, {@code F!=null} and {@code F==null} for a reference. The device's
 * registers and ports count as one more field of each driver, {@link #device}.
 *
 * <p>Computed over every path of every ISR and the helpers it calls:
 * <ul>
 * <li>for each field the ISR touches, the atoms that hold at its accesses, one set per way of
 * reaching them ({@code if (!DmaActive && !PioActive) return false;} leaves two: DmaActive, and
 * PioActive without DmaActive), never an atom of the field itself; an atom the ISR itself makes
 * false still guards until it queues the DPC, since nothing can start before that;</li>
 * <li>per driver, the atoms the ISR made hold, by writing the field, at every call that queues a
 * DPC: what that DPC may take for granted when it starts;</li>
 * <li>per driver, the constants the ISR wrote to device registers at every such call, as {@code
 * register=value}: one of them masked the device's interrupts (the ISR writes its interrupt mask
 * before it queues the DPC, and the DPC unmasks at its end), so until the DPC writes another value
 * there, the device does not interrupt.</li>
 * </ul>
 */
final class IsrGuards {
    /**
     * What holds on one path of the ISR: the atoms that guard what it touches, the atoms its own
     * writes made hold, and the constants it wrote to registers.
     */
    record State(TreeSet<String> on, TreeSet<String> written, TreeSet<String> masks) {
    }

    /** The fields the ISR writes, or reads other than in a branch condition. */
    private final java.util.Set<String> usedAsData = new java.util.TreeSet<>();
    /**
     * By field key, what holds at the ISR's accesses of the field: one set of atoms for each
     * different way of reaching them (the ISR touches the field only where one of the sets holds
     * whole), or a single set, what every access had, once there are too many ways.
     */
    private final Map<String, Set<TreeSet<String>>> guards = new TreeMap<>();
    /** How many different ways to an access are kept apart before they are met into one. */
    private static final int MAX_WAYS = 8;
    /** By driver: the atoms the ISR's writes made hold at every DPC queue call. */
    private final Map<String, TreeSet<String>> writtenAtQueue = new TreeMap<>();
    /** By driver: the constants the ISR wrote to registers ({@code register=value}) at every DPC queue call. */
    private final Map<String, TreeSet<String>> masksAtQueue = new TreeMap<>();

    private IsrGuards() {
    }

    /** By driver: the atoms that hold at every IoConnectInterrupt call (a driver that connects only in one mode). */
    private final Map<String, TreeSet<String>> atConnect = new TreeMap<>();

    /** For each boolean flag, the flags that are never true together with it ({@link #exclusive}). */
    private final Map<String, TreeSet<String>> exclusive = new TreeMap<>();
    /**
     * The atoms that only the request's own chain (StartIo, the control routines, the ISR and the
     * DPC it queues, and what they call) can make false: what the ISR saw of them still holds when
     * its DPC starts.
     */
    private final Set<String> keptForDpc = new TreeSet<>();

    static IsrGuards of(Analysis analysis) {
        return analysis.cached("isrGuards", () -> {
            IsrGuards g = new IsrGuards();
            g.exclusive(analysis);
            PathEngine.run(analysis.driver(), g.new Walk(analysis), analysis::cfg, analysis::stoppedShort);
            PathEngine.run(analysis.driver(), g.new ConnectWalk(analysis), analysis::cfg, analysis::stoppedShort);
            return g;
        });
    }

    /**
     * Whether, where {@code atom} holds, the interrupt of {@code driver} is never connected: every
     * IoConnectInterrupt call of the driver is made where its opposite holds ({@code if
     * (!ext.UseIrq) return;} before it, and a polled mode after).
     */
    boolean neverConnected(String driver, String atom) {
        TreeSet<String> needed = atConnect.get(driver);
        return needed != null && needed.contains(complement(atom));
    }

    /** The key standing for the device registers and ports of the driver that {@code e} belongs to. */
    static String device(CtElement e) {
        return "<device of " + DriverModel.driverOf(e) + ">";
    }

    /** The key standing for the ISR's DPC requests in the driver that {@code e} belongs to, guarded like a field. */
    static String dpcRequest(CtElement e) {
        return "<DPC request of " + DriverModel.driverOf(e) + ">";
    }

    /**
     * Whether the ISRs only ever test {@code field} in branch conditions ({@code if (!ext.Started)
     * return false;}): a flag that gates them, which they never write nor use as data.
     */
    boolean onlyTested(String field) {
        return guards.containsKey(field) && !usedAsData.contains(field);
    }

    /** Whether a field read is (part of) the condition of a branch or loop. */
    private static boolean tested(CtFieldAccess<?> read) {
        CtElement e = read;
        CtElement p = e.getParent();
        while (p instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT
                || p instanceof CtBinaryOperator<?> b && (b.getKind() == BinaryOperatorKind.AND
                        || b.getKind() == BinaryOperatorKind.OR || b.getKind() == BinaryOperatorKind.EQ
                        || b.getKind() == BinaryOperatorKind.NE)) {
            e = p;
            p = p.getParent();
        }
        return p instanceof spoon.reflect.code.CtIf i && i.getCondition() == e
                || p instanceof spoon.reflect.code.CtWhile w && w.getLoopingExpression() == e
                || p instanceof spoon.reflect.code.CtDo d && d.getLoopingExpression() == e
                || p instanceof spoon.reflect.code.CtConditional<?> c && c.getCondition() == e;
    }

    /** Whether the ISR cannot touch {@code field} where the atoms in {@code holds} hold. */
    boolean excluded(String field, Set<String> holds) {
        Set<TreeSet<String>> ways = guards.get(field);
        if (ways == null || holds.isEmpty()) {
            return false;
        }
        Set<String> known = closure(holds);
        // every way the ISR reaches the field needs an atom that the known atoms contradict
        return ways.stream().allMatch(way -> way.stream().anyMatch(atom -> known.contains(complement(atom))));
    }

    /** The atoms the ISRs of {@code driver} made hold whenever they queue a DPC (empty when none does). */
    TreeSet<String> writtenAtQueue(String driver) {
        return new TreeSet<>(writtenAtQueue.getOrDefault(driver, new TreeSet<>()));
    }

    /** The constants the ISRs of {@code driver} wrote to registers whenever they queue a DPC. */
    TreeSet<String> masksAtQueue(String driver) {
        return new TreeSet<>(masksAtQueue.getOrDefault(driver, new TreeSet<>()));
    }

    // ------------------------------------------------------------------ invariants

    /**
     * Finds the pairs of boolean flags that are never true together: every write that sets one
     * clears the other in the same run of assignments (before it, or after it inside a
     * SynchCritSection or the ISR, where nothing comes in between), and neither is ever written
     * anything but a literal. A DMA mode flag and a PIO mode flag raised each by its own
     * SynchCritSection, which lowers the other, are such a pair; Java starts both false. Then
     * finds the atoms whose opposite only the request's own chain makes hold.
     */
    private void exclusive(Analysis analysis) {
        Map<String, java.util.List<CtAssignment<?, ?>>> raising = new TreeMap<>();
        Set<String> other = new TreeSet<>();
        Map<String, java.util.List<CtExecutable<?>>> makers = new TreeMap<>();
        Map<CtAssignment<?, ?>, String> paired = new java.util.IdentityHashMap<>();
        for (CtAssignment<?, ?> a : analysis.elements(CtAssignment.class)) {
            if (!(a.getAssigned() instanceof CtFieldWrite<?> w) || !FieldFacts.driverField(w.getVariable())) {
                continue;
            }
            String atom = written(w);
            String key = FieldFacts.key(w.getVariable());
            CtExecutable<?> in = a.getParent(CtExecutable.class);
            String partner = complementaryPartner(a);
            if (partner != null) {
                // F = b; G = !b: whichever b is, one of the two is set and the other cleared
                makers.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(in);
                makers.computeIfAbsent("!" + key, k -> new java.util.ArrayList<>()).add(in);
                raising.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(a);
                paired.put(a, partner);
                continue;
            }
            if (atom == null || atom.isEmpty()) {
                other.add(key);
                makers.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(in);
                makers.computeIfAbsent("!" + key, k -> new java.util.ArrayList<>()).add(in);
                continue;
            }
            makers.computeIfAbsent(atom, k -> new java.util.ArrayList<>()).add(in);
            if (atom.equals(key)) {
                raising.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(a);
            }
        }
        Map<String, Set<String>> partners = new TreeMap<>();
        raising.forEach((key, writes) -> {
            if (other.contains(key)) {
                return;
            }
            Set<String> common = null;
            for (CtAssignment<?, ?> a : writes) {
                Set<String> cleared = paired.containsKey(a) ? new TreeSet<>(Set.of(paired.get(a)))
                        : clearedWith(analysis, a);
                if (common == null) {
                    common = cleared;
                } else {
                    common.retainAll(cleared);
                }
            }
            common.removeAll(other);
            partners.put(key, common);
        });
        partners.forEach((f, gs) -> {
            for (String g : gs) {
                if (partners.getOrDefault(g, Set.of()).contains(f)) {
                    exclusive.computeIfAbsent(f, k -> new TreeSet<>()).add(g);
                }
            }
        });
        // what the routines outside the request's chain reach: the dispatch routines, the timers, PnP
        Set<CtExecutable<?>> outside = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (DriverModel.Routine r : analysis.driver().routines()) {
            if (!CHAIN.contains(r.role())) {
                outside.addAll(analysis.driver().reachableFrom(r.body(), true));
            }
        }
        makers.forEach((atom, in) -> {
            if (in.stream().noneMatch(outside::contains)) {
                keptForDpc.add(complement(atom));
            }
        });
        // a flag nobody outside the chain writes at all
        for (String key : raising.keySet()) {
            if (!makers.containsKey("!" + key)) {
                keptForDpc.add(key);
            }
        }
    }

    /** The roles of the request's own chain, and the SynchCritSections, which count for those that run them. */
    private static final Set<Role> CHAIN = java.util.EnumSet.of(Role.START_IO, Role.CONTROL, Role.DPC_FOR_ISR,
            Role.ISR, Role.SYNCH_CRIT_SECTION);

    /**
     * For a write {@code F = b} next to {@code G = !b} (or {@code F = !b} next to {@code G = b})
     * in one block, with {@code b} a local or parameter: G's key, the flag the write always sets
     * opposite to F; else null. Flags are keyed by field, as {@link #clearedWith} keys them.
     */
    private static String complementaryPartner(CtAssignment<?, ?> a) {
        if (a instanceof CtOperatorAssignment<?, ?> || !(a.getParent() instanceof spoon.reflect.code.CtBlock<?> block)) {
            return null;
        }
        java.util.List<spoon.reflect.code.CtStatement> statements = block.getStatements();
        int at = statements.indexOf(a);
        for (int i : new int[] {at - 1, at + 1}) {
            if (i < 0 || i >= statements.size() || !(statements.get(i) instanceof CtAssignment<?, ?> b)
                    || b instanceof CtOperatorAssignment<?, ?> || !(b.getAssigned() instanceof CtFieldWrite<?> w)
                    || !FieldFacts.driverField(w.getVariable())) {
                continue;
            }
            if (negation(a.getAssignment(), b.getAssignment()) || negation(b.getAssignment(), a.getAssignment())) {
                return FieldFacts.key(w.getVariable());
            }
        }
        return null;
    }

    /** Whether {@code not} is {@code !v} for {@code v} a read of a local or parameter. */
    private static boolean negation(CtExpression<?> v, CtExpression<?> not) {
        return v instanceof spoon.reflect.code.CtVariableRead<?> r && !(r instanceof spoon.reflect.code.CtFieldRead<?>)
                && not instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT
                && u.getOperand() instanceof spoon.reflect.code.CtVariableRead<?> r2
                && r2.getVariable().equals(r.getVariable());
    }

    /**
     * The boolean flags a write of {@code true} clears in the same run of assignments: before it,
     * or after it where nothing comes in between (a SynchCritSection or the ISR).
     */
    private static Set<String> clearedWith(Analysis analysis, CtAssignment<?, ?> raise) {
        Set<String> out = new TreeSet<>();
        if (!(raise.getParent() instanceof spoon.reflect.code.CtBlock<?> block)) {
            return out;
        }
        java.util.List<spoon.reflect.code.CtStatement> statements = block.getStatements();
        int at = statements.indexOf(raise);
        CtExecutable<?> in = raise.getParent(CtExecutable.class);
        java.util.List<Role> roles = in == null ? java.util.List.of() : analysis.driver().rolesOf(in);
        boolean atomic = roles.contains(Role.SYNCH_CRIT_SECTION) || roles.contains(Role.ISR);
        Set<String> seen = new TreeSet<>();
        for (int step : atomic ? new int[] {-1, 1} : new int[] {-1}) {
            seen.clear();
            for (int i = at + step; i >= 0 && i < statements.size()
                    && statements.get(i) instanceof CtAssignment<?, ?> a; i += step) {
                if (!(a.getAssigned() instanceof CtFieldWrite<?> w) || !FieldFacts.driverField(w.getVariable())) {
                    continue;
                }
                String key = FieldFacts.key(w.getVariable());
                // the write nearest to the raise is the one that counts
                if (seen.add(key) && ("!" + key).equals(written(w))) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    /** The atoms with what the exclusive flags add: where one of a pair holds, the other does not. */
    Set<String> closure(Set<String> atoms) {
        if (exclusive.isEmpty()) {
            return atoms;
        }
        Set<String> out = new TreeSet<>(atoms);
        for (String a : atoms) {
            for (String g : exclusive.getOrDefault(a, new TreeSet<>())) {
                if (!atoms.contains(g)) {
                    out.add("!" + g);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ atoms

    static String complement(String atom) {
        if (atom.endsWith("!=null")) {
            return fieldOf(atom) + "==null";
        }
        if (atom.endsWith("==null")) {
            return fieldOf(atom) + "!=null";
        }
        return atom.startsWith("!") ? atom.substring(1) : "!" + atom;
    }

    /** The field an atom is about. */
    static String fieldOf(String atom) {
        if (atom.endsWith("!=null") || atom.endsWith("==null")) {
            return atom.substring(0, atom.length() - "!=null".length());
        }
        return atom.startsWith("!") ? atom.substring(1) : atom;
    }

    /** The atoms without those of {@code field}. */
    static TreeSet<String> without(TreeSet<String> atoms, String field) {
        TreeSet<String> out = new TreeSet<>(atoms);
        out.removeIf(a -> fieldOf(a).equals(field));
        return out;
    }

    /** The atoms after what is known of {@code field} became {@code atom} (null: nothing is known of it). */
    static TreeSet<String> after(TreeSet<String> atoms, String field, String atom) {
        TreeSet<String> out = without(atoms, field);
        if (atom != null) {
            out.add(atom);
        }
        return out;
    }

    /** The atoms after a branch on which {@code atom} holds (unchanged when the branch tests no flag: null). */
    static TreeSet<String> afterTest(TreeSet<String> atoms, String atom) {
        return atom == null ? atoms : after(atoms, fieldOf(atom), atom);
    }

    /**
     * The atoms after a field access: a write of a literal makes its atom hold, any other write
     * makes the field unknown, a read changes nothing.
     */
    static TreeSet<String> afterAccess(TreeSet<String> atoms, CtFieldAccess<?> access) {
        String w = written(access);
        return w == null ? atoms : after(atoms, FieldFacts.key(access.getVariable()), w.isEmpty() ? null : w);
    }

    /** The atom that holds on the branch of a condition with the given outcome, or null: {@code Busy}, {@code !Busy}, {@code Irp!=null}. */
    static String atom(CtExpression<?> condition, boolean outcome) {
        if (condition instanceof CtUnaryOperator<?> u && u.getKind() == UnaryOperatorKind.NOT) {
            return atom(u.getOperand(), !outcome);
        }
        if (condition instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())
                && f.getType() != null && f.getType().getSimpleName().equals("boolean")) {
            String key = FieldFacts.key(f.getVariable());
            return outcome ? key : "!" + key;
        }
        if (condition instanceof CtBinaryOperator<?> b
                && (b.getKind() == BinaryOperatorKind.EQ || b.getKind() == BinaryOperatorKind.NE)) {
            CtExpression<?> field = isNull(b.getRightHandOperand()) ? b.getLeftHandOperand()
                    : isNull(b.getLeftHandOperand()) ? b.getRightHandOperand() : null;
            if (field instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())) {
                boolean nonNull = (b.getKind() == BinaryOperatorKind.NE) == outcome;
                return FieldFacts.key(f.getVariable()) + (nonNull ? "!=null" : "==null");
            }
        }
        return null;
    }

    /**
     * For a field write, the atom it makes hold ({@code x.F = false} makes {@code !F} hold, {@code
     * x.F = null} makes {@code F==null} hold), or the empty string when it makes nothing known of
     * the field; null for a read.
     */
    static String written(CtFieldAccess<?> access) {
        if (!(access instanceof CtFieldWrite<?>) || !(access.getParent() instanceof CtAssignment<?, ?> a)
                || a.getAssigned() != access) {
            return null;
        }
        String key = FieldFacts.key(access.getVariable());
        if (!(a instanceof CtOperatorAssignment<?, ?>) && a.getAssignment() instanceof CtLiteral<?> lit) {
            if (lit.getValue() == null) {
                return key + "==null";
            }
            if (lit.getValue() instanceof Boolean b) {
                return b ? key : "!" + key;
            }
        }
        return "";
    }

    private static boolean isNull(CtExpression<?> e) {
        return e instanceof CtLiteral<?> l && l.getValue() == null;
    }

    // ------------------------------------------------------------------ registers

    /** Whether the event reads or writes a device register or port. */
    static boolean deviceAccess(CtElement e) {
        String called = Wdm.called(e);
        return called != null && (called.startsWith("READ_PORT_") || called.startsWith("WRITE_PORT_")
                || called.startsWith("READ_REGISTER_") || called.startsWith("WRITE_REGISTER_"));
    }

    /**
     * For a call that writes a register or port: the register, named so that the same register
     * reached from another routine has the same name ({@code Ext.IoBase + IMR}: fields by their
     * declaration, constants by name, a local by what it was initialized with).
     */
    static String register(Analysis analysis, CtInvocation<?> write) {
        return write.getArguments().isEmpty() ? ""
                : analysis.memo("register", write, () -> name(write.getArguments().get(0), 0));
    }

    /**
     * What a register write stores when it is a constant ({@code 0}, {@code (byte) ALL_MASKED}):
     * {@code register=value}; null otherwise.
     */
    static String constantWrite(Analysis analysis, CtInvocation<?> write) {
        if (write.getArguments().size() < 2) {
            return null;
        }
        CtExpression<?> v = write.getArguments().get(1);
        Object value = null;
        if (v instanceof CtLiteral<?> l) {
            value = l.getValue();
        } else if (v instanceof CtFieldRead<?> f && f.getVariable().isStatic() && f.getVariable().isFinal()
                && dev.dpccheck.analyzer.spi.Analysis.variable(f.getVariable()) != null
                && dev.dpccheck.analyzer.spi.Analysis.variable(f.getVariable()).getDefaultExpression() instanceof CtLiteral<?> l) {
            value = l.getValue();
        }
        return value instanceof Number n ? register(analysis, write) + "=" + n.longValue() : null;
    }

    /**
     * The masks after a register write: a write of another value to a masked register unmasks it;
     * a constant that {@code masking} accepts masks it.
     */
    static TreeSet<String> afterWrite(Analysis analysis, TreeSet<String> masks, CtInvocation<?> write,
            java.util.function.Predicate<String> masking) {
        String register = register(analysis, write) + "=";
        String stored = constantWrite(analysis, write);
        TreeSet<String> out = new TreeSet<>(masks);
        out.removeIf(m -> m.startsWith(register) && !m.equals(stored));
        if (stored != null && masking.test(stored)) {
            out.add(stored);
        }
        return out;
    }

    private static String name(CtExpression<?> e, int depth) {
        if (e instanceof CtLiteral<?> l) {
            return String.valueOf(l.getValue());
        }
        if (e instanceof CtFieldRead<?> f) {
            return FieldFacts.driverField(f.getVariable()) ? FieldFacts.key(f.getVariable())
                    : f.getVariable().getSimpleName();
        }
        if (e instanceof CtVariableRead<?> v) {
            if (depth < 3 && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l
                    && l.getDefaultExpression() != null) {
                return name(l.getDefaultExpression(), depth + 1);
            }
            return "<" + (v.getType() == null ? "?" : v.getType().getSimpleName()) + ">";
        }
        if (e instanceof CtBinaryOperator<?> b) {
            return "(" + name(b.getLeftHandOperand(), depth) + " " + b.getKind() + " "
                    + name(b.getRightHandOperand(), depth) + ")";
        }
        return e.toString();
    }

    /** The walk over the paths that connect an interrupt: what the path tested, holding at each IoConnectInterrupt call. */
    private final class ConnectWalk implements PathEngine.Property<TreeSet<String>> {
        private final Analysis analysis;

        ConnectWalk(Analysis analysis) {
            this.analysis = analysis;
        }

        @Override
        public TreeSet<String> initial(DriverModel.Routine routine) {
            return routine.role() != Role.ISR
                    && Wdm.reaches(analysis, routine.body(), false, "IoConnectInterrupt", "IoConnectInterruptEx")
                    ? new TreeSet<>() : null;
        }

        @Override
        public TreeSet<String> event(PathEngine<TreeSet<String>>.Step step, TreeSet<String> on) {
            CtElement e = step.element();
            if (Wdm.calls(e, "IoConnectInterrupt", "IoConnectInterruptEx")) {
                atConnect.computeIfAbsent(DriverModel.driverOf(step.routine().body()), d -> new TreeSet<>(on))
                        .retainAll(on);
                return on;
            }
            // only what the path tested counts: a value just written is where a flag starts, not the driver's mode
            if (e instanceof CtFieldAccess<?> a && FieldFacts.driverField(a.getVariable()) && written(a) != null) {
                return without(on, FieldFacts.key(a.getVariable()));
            }
            return on;
        }

        @Override
        public TreeSet<String> branch(CtExpression<?> condition, boolean outcome, PathEngine<TreeSet<String>>.Step step,
                TreeSet<String> on) {
            return afterTest(on, atom(condition, outcome));
        }
    }

    /** The walk over the ISR's paths. */
    private final class Walk implements PathEngine.Property<State> {
        private final Analysis analysis;

        Walk(Analysis analysis) {
            this.analysis = analysis;
        }

        @Override
        public State initial(DriverModel.Routine routine) {
            return routine.role() == Role.ISR ? new State(new TreeSet<>(), new TreeSet<>(), new TreeSet<>()) : null;
        }

        @Override
        public State event(PathEngine<State>.Step step, State s) {
            CtElement e = step.element();
            if (Wdm.calls(e, "IoRequestDpc", "KeInsertQueueDpc")) {
                touched(dpcRequest(step.routine().body()), s);
                String driver = DriverModel.driverOf(step.routine().body());
                // what the ISR wrote, and what it saw that only the request's chain changes, holds when the DPC starts
                TreeSet<String> handed = new TreeSet<>(s.written);
                for (String a : closure(s.on)) {
                    if (keptForDpc.contains(a) && handed.stream().noneMatch(w -> fieldOf(w).equals(fieldOf(a)))) {
                        handed.add(a);
                    }
                }
                writtenAtQueue.computeIfAbsent(driver, d -> new TreeSet<>(handed)).retainAll(handed);
                masksAtQueue.computeIfAbsent(driver, d -> new TreeSet<>(s.masks)).retainAll(s.masks);
                // handed over: what the ISR changed no longer guards what it touches next
                TreeSet<String> on = new TreeSet<>(s.on);
                for (String w : s.written) {
                    on.remove(complement(w));
                }
                return new State(on, s.written, s.masks);
            }
            if (deviceAccess(e)) {
                touched(device(step.routine().body()), s);
                if (e instanceof CtInvocation<?> call && Wdm.writesDevice(Wdm.called(e))) {
                    return new State(s.on, s.written, afterWrite(analysis, s.masks, call, stored -> true));
                }
                return s;
            }
            if (!(e instanceof CtFieldAccess<?> a) || !FieldFacts.driverField(a.getVariable())) {
                return s;
            }
            String field = FieldFacts.key(a.getVariable());
            touched(field, s);
            String w = written(a);
            if (w != null || !tested(a)) {
                usedAsData.add(field);
            }
            if (w == null) {
                return s;
            }
            TreeSet<String> written = afterAccess(s.written, a);
            if (!w.isEmpty() && s.on.contains(complement(w))) {
                // the ISR lowers the flag it runs under: until it queues the DPC nothing else can start, so what
                // it touches in between is still its own
                return new State(s.on, written, s.masks);
            }
            return new State(afterAccess(s.on, a), written, s.masks);
        }

        private void touched(String field, State s) {
            TreeSet<String> on = without(new TreeSet<>(closure(s.on)), field);
            Set<TreeSet<String>> ways = guards.computeIfAbsent(field, f -> new java.util.HashSet<>());
            ways.add(on);
            if (ways.size() > MAX_WAYS) {
                TreeSet<String> common = new TreeSet<>(on);
                ways.forEach(common::retainAll);
                ways.clear();
                ways.add(common);
            }
        }

        @Override
        public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State s) {
            String atom = atom(condition, outcome);
            return atom == null ? s : new State(afterTest(s.on, atom), s.written, s.masks);
        }
    }
}
