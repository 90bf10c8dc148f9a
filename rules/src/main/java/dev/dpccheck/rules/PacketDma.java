package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import dev.dpccheck.analyzer.dataflow.FieldFacts;
import java.util.List;
import java.util.TreeSet;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtIf;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtStatement;
import spoon.reflect.declaration.CtElement;

/**
 * Packet-based DMA in a driver that maps transfers with MapTransfer: the state of the current
 * mapping and of the adapter channel on each path. A DPC the ISR queues starts with a transfer mapped and the
 * channel held (it runs because the device finished the transfer the ISR reported), and so does one
 * that ends a transfer or gives the channel back itself (a timeout's DPC); a timer's DPC that does
 * neither starts with nothing (it signals an event, finishes a waiting IOCTL); an adapter
 * control routine starts with the channel just granted. Mapping several pieces before the device
 * runs (a scatter/gather list) is fine; one flush ends them all. Checks DmaFlushMissing (a new
 * transfer mapped, the channel freed or the IRP completed before FlushAdapterBuffers ended the transfer)
 * and DmaResourceLeak (the channel freed twice or used after it was freed, or a DPC that
 * completes the IRP and returns with the channel still held and no new transfer started). What
 * the DPC holds of the channel is what the driver's AdapterControl routines leave it: their exits
 * after mapping a transfer are walked first, and what they return (KeepObject,
 * DeallocateObjectKeepRegisters, DeallocateObject) says whether the channel, only the map
 * registers, or nothing is still held.
 *
 * <p>What a DPC starts with is taken for granted only until its own code says otherwise: a
 * driver with a programmed-I/O mode, or one that keeps a flag for the channel, tests a field of
 * its own ({@code if (ext.UseDma)}, {@code if (ext.ChannelHeld)}) around the flush. On the branch
 * of such a test that leaves the flush out, the DPC has no transfer and no channel; the same test
 * later on the path (branch facts on fields) then goes the same way. A test counts when it reads
 * only fields that neither the ISR nor a SynchCritSection writes (those report what the device
 * did, not what the driver set up), one of them written by the driver's other routines, and
 * nothing on the path has confirmed the transfer yet.
 */
final class PacketDma implements PathEngine.Property<PacketDma.State> {
    /**
     * NONE: nothing mapped; MAPPED: pieces mapped for a transfer that has not run yet (a driver may map
     * several, building a scatter/gather list); ENDED: a transfer ran and awaits its flush; FLUSHED.
     */
    enum Mapping { NONE, MAPPED, ENDED, FLUSHED }

    /**
     * HELD: the adapter channel and its map registers; KEPT: the same, as the AdapterControl
     * routine's KeepObject says (FreeMapRegisters then frees only the registers); REGISTERS: the map registers only (the
     * AdapterControl routine returned DeallocateObjectKeepRegisters); RELEASED: nothing, given back
     * by the AdapterControl routine (it returned DeallocateObject); FREED: freed by the path; UNKNOWN.
     */
    enum Channel { HELD, KEPT, REGISTERS, RELEASED, FREED, UNKNOWN }

    /**
     * @param assumed whether the mapping and the channel are still only what the routine's role suggests
     * @param modes what the path's tests of the driver's mode flags found ({@code UseDma}, {@code
     *     !ChannelHeld}), kept with the state so that a helper testing the same flag goes the same way
     */
    record State(Mapping mapping, Channel channel, boolean completed, boolean assumed, TreeSet<String> modes) {
        State with(Mapping m, Channel c, boolean done, boolean assume) {
            return new State(m, c, done, assume, modes);
        }

        State with(Mapping m, Channel c, boolean done) {
            return with(m, c, done, false);
        }
    }

    /** The calls that end a transfer or give back what it held: a DPC that makes none has no transfer, unless the ISR queued it. */
    private static final String[] ENDS = {"FlushAdapterBuffers", "FreeAdapterChannel", "FreeMapRegisters",
        "PutScatterGatherList"};

    private final Analysis analysis;
    /**
     * What the driver's AdapterControl routines leave the DPC of the adapter channel, from what
     * they return (null when collecting it, or when no AdapterControl routine maps a transfer).
     */
    private final java.util.Map<String, Channel> handedOver;
    /**
     * While collecting: what the AdapterControl routines' exits after a mapping leave, joined per
     * class (the DPC of a device is taken to be in the class of its AdapterControl routine) and,
     * under "", for the whole driver.
     */
    private final java.util.Map<String, Channel> collected = new java.util.TreeMap<>();
    private final boolean collecting;

    private PacketDma(Analysis analysis, boolean collecting, java.util.Map<String, Channel> handedOver) {
        this.analysis = analysis;
        this.collecting = collecting;
        this.handedOver = handedOver;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return PathEngine.merge(analysis.perDriver("automaton:PacketDma", (driver, routines) -> {
            // first what the AdapterControl routines hand the DPC, then every routine
            PacketDma control = new PacketDma(analysis, true, null);
            PathEngine.run(analysis.driver(), routines.stream().filter(r -> r.role() == Role.CONTROL).toList(), control,
                    analysis::cfg, analysis::stoppedShort);
            return PathEngine.run(analysis.driver(), routines, new PacketDma(analysis, false, control.collected),
                    analysis::cfg, analysis::stoppedShort);
        }));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        if (!analysis.calls("MapTransfer", routine.body())) {
            return null;
        }
        if (routine.role().isDpc() && !Wdm.interruptDpc(analysis, routine)
                && !Wdm.reaches(analysis, routine.body(), true, ENDS)) {
            // a timer's DPC, or one a dispatch routine queues, that never touches the adapter: it has
            // no transfer of its own to end and nothing of the channel
            return new State(Mapping.NONE, Channel.UNKNOWN, false, false, new TreeSet<>());
        }
        if (routine.role().isDpc()) {
            // the channel as the AdapterControl routines of its class (else of its driver) leave it;
            // where they leave it in different ways, or are not known, held; the transfer, as the
            // DPC's role suggests
            Channel left = handedOver.get(declaringClass(routine));
            left = left != null ? left : handedOver.get("");
            return new State(Mapping.ENDED, left == null || left == Channel.UNKNOWN ? Channel.HELD
                    : left == Channel.HELD ? Channel.KEPT : left, false, true, new TreeSet<>());
        }
        if (routine.role() == Role.CONTROL) {
            return new State(Mapping.NONE, Channel.HELD, false, false, new TreeSet<>());
        }
        return new State(Mapping.NONE, Channel.UNKNOWN, false, false, new TreeSet<>());
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        String called = Wdm.called(e);
        if (called == null) {
            // a write of a mode flag makes what the path found of it stale
            if (e instanceof spoon.reflect.code.CtFieldWrite<?> w && !s.modes.isEmpty()
                    && FieldFacts.driverField(w.getVariable())) {
                TreeSet<String> modes = IsrGuards.without(s.modes, FieldFacts.key(w.getVariable()));
                return modes.size() == s.modes.size() ? s
                        : new State(s.mapping, s.channel, s.completed, s.assumed, modes);
            }
            return s;
        }
        switch (called) {
            case "MapTransfer":
                if (s.mapping == Mapping.ENDED) {
                    step.report("DmaFlushMissing", "'MapTransfer' maps the next transfer before 'FlushAdapterBuffers'"
                            + " ended the previous one.");
                }
                if (s.channel == Channel.FREED) {
                    step.report("DmaResourceLeak", "'MapTransfer' uses the adapter channel after 'FreeAdapterChannel'"
                            + " freed it.");
                }
                return s.with(Mapping.MAPPED, s.channel, s.completed);
            case "FlushAdapterBuffers":
                return s.with(Mapping.FLUSHED, s.channel, s.completed);
            case "FreeAdapterChannel":
            case "FreeMapRegisters":
                if (s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED) {
                    step.report("DmaFlushMissing", "'" + called + "' frees the map registers before"
                            + " 'FlushAdapterBuffers' ended their transfer.");
                }
                if (s.channel == Channel.FREED) {
                    step.report("DmaResourceLeak", "'" + called + "' frees the adapter channel a second time.");
                } else if (s.channel == Channel.RELEASED) {
                    step.report("DmaResourceLeak", "'" + called + "' frees what the AdapterControl routine released"
                            + " when it returned DeallocateObject.");
                } else if (s.channel == Channel.REGISTERS && called.equals("FreeAdapterChannel")) {
                    step.report("DmaResourceLeak", "'FreeAdapterChannel' frees the adapter channel, which the"
                            + " AdapterControl routine released when it returned DeallocateObjectKeepRegisters.");
                }
                if (s.channel == Channel.KEPT && called.equals("FreeMapRegisters")) {
                    // the AdapterControl routine kept the channel: freeing map registers does not give it back
                    return s.with(Mapping.NONE, Channel.KEPT, s.completed);
                }
                return s.with(Mapping.NONE, Channel.FREED, s.completed);
            case "IoCompleteRequest":
                if (s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED) {
                    step.report("DmaFlushMissing", "The IRP is completed before 'FlushAdapterBuffers' ended its"
                            + " transfer.");
                }
                return s.with(s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED ? Mapping.NONE : s.mapping,
                        s.channel, true, s.assumed);
            default:
                return s;
        }
    }

    /** On the branch of a test of the driver's own flags that leaves the flush out, an assumed transfer is not there. */
    @Override
    public State branch(CtExpression<?> condition, boolean outcome, PathEngine<State>.Step step, State state) {
        State s = state;
        String atom = IsrGuards.atom(condition, outcome);
        if (atom != null && modeTest(condition)) {
            if (s.modes.contains(IsrGuards.complement(atom))) {
                // the path found the flag the other way: this branch is not taken
                return null;
            }
            TreeSet<String> modes = IsrGuards.after(s.modes, IsrGuards.fieldOf(atom), atom);
            s = new State(s.mapping, s.channel, s.completed, s.assumed, modes);
        }
        if (!s.assumed || !(condition.getParent() instanceof CtIf test) || test.getCondition() != condition
                || !modeTest(condition)) {
            return s;
        }
        CtStatement taken = outcome ? test.getThenStatement() : test.getElseStatement();
        CtStatement other = outcome ? test.getElseStatement() : test.getThenStatement();
        if (flushes(other) && !flushes(taken)) {
            return s.with(Mapping.NONE, Channel.UNKNOWN, s.completed, false);
        }
        return s;
    }

    /** Whether a condition reads only fields of the driver's types that the ISR does not write, and calls nothing. */
    private boolean modeTest(CtExpression<?> condition) {
        if (!dev.dpccheck.analyzer.spi.Analysis.elementsIn(condition, CtInvocation.class).isEmpty()) {
            return false;
        }
        List<CtFieldRead<?>> fields = dev.dpccheck.analyzer.spi.Analysis.elementsIn(condition, CtFieldRead.class);
        boolean own = false;
        for (CtFieldRead<?> f : fields) {
            if (!FieldFacts.driverField(f.getVariable())) {
                continue;
            }
            String key = FieldFacts.key(f.getVariable());
            if (writers(true).contains(key)) {
                return false;
            }
            own |= writers(false).contains(key);
        }
        return own;
    }

    /**
     * The fields the ISR and the SynchCritSections write (what they say about the device, not the
     * driver's mode), or those the other routines write (what the driver set up).
     */
    private java.util.Set<String> writers(boolean interruptSide) {
        return analysis.cached("packetDmaWriters:" + interruptSide, () -> {
            java.util.Set<String> out = new java.util.TreeSet<>();
            for (DriverModel.Routine r : analysis.driver().routines()) {
                if ((r.role() == Role.ISR || r.role() == Role.SYNCH_CRIT_SECTION) == interruptSide) {
                    out.addAll(FieldFacts.writtenFrom(r.body()));
                }
            }
            return out;
        });
    }

    /** What an AdapterControl routine's return leaves held: its IO_ALLOCATION_ACTION, where the code says it. */
    private static Channel kept(spoon.reflect.code.CtReturn<?> ret, Channel before) {
        Integer action = ret == null ? null : action(ret.getReturnedExpression(), 0);
        if (action == null || before != Channel.HELD) {
            return before == Channel.HELD ? Channel.UNKNOWN : before;
        }
        return switch (action) {
            case dev.dpccheck.wdm.Wdm.KeepObject -> Channel.HELD;
            case dev.dpccheck.wdm.Wdm.DeallocateObjectKeepRegisters -> Channel.REGISTERS;
            case dev.dpccheck.wdm.Wdm.DeallocateObject -> Channel.RELEASED;
            default -> Channel.UNKNOWN;
        };
    }

    /**
     * The constant an expression returns: a constant, both arms of a conditional alike, a local
     * every assignment of which is the same constant, a call of a method of the sources every
     * return of which is; else null.
     */
    private static Integer action(CtExpression<?> e, int depth) {
        if (e == null || depth > 4) {
            return null;
        }
        Integer k = dev.dpccheck.analyzer.driver.WdmRoutine.intConstant(e);
        if (k != null) {
            return k;
        }
        List<CtExpression<?>> values = new java.util.ArrayList<>();
        if (e instanceof spoon.reflect.code.CtConditional<?> c) {
            values.add(c.getThenExpression());
            values.add(c.getElseExpression());
        } else if (e instanceof spoon.reflect.code.CtVariableRead<?> r
                && Analysis.variable(r.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> local) {
            values.add(local.getDefaultExpression());
            for (spoon.reflect.code.CtVariableWrite<?> w : Analysis.writesOf(local)) {
                // a plain assignment's value; any other write (+=, ++) leaves the action unknown
                values.add(w.getParent() instanceof spoon.reflect.code.CtAssignment<?, ?> a && a.getAssigned() == w
                        && !(a instanceof spoon.reflect.code.CtOperatorAssignment<?, ?>) ? a.getAssignment() : null);
            }
        } else if (e instanceof CtInvocation<?> call && Analysis.declaration(call.getExecutable()) instanceof
                spoon.reflect.declaration.CtMethod<?> m && m.getBody() != null && m.getPosition().isValidPosition()) {
            for (spoon.reflect.code.CtReturn<?> r : Analysis.elementsIn(m, spoon.reflect.code.CtReturn.class)) {
                if (r.getParent(spoon.reflect.declaration.CtExecutable.class) == m) {
                    values.add(r.getReturnedExpression());
                }
            }
        }
        Integer same = null;
        for (CtExpression<?> v : values) {
            Integer a = action(v, depth + 1);
            if (a == null || same != null && !same.equals(a)) {
                return null;
            }
            same = a;
        }
        return same;
    }

    /** The qualified name of the class a routine is declared in (a nested one, for a device's own class). */
    private static String declaringClass(DriverModel.Routine routine) {
        spoon.reflect.declaration.CtType<?> t = routine.body().getParent(spoon.reflect.declaration.CtType.class);
        return t == null ? "?" : t.getQualifiedName();
    }

    private static boolean flushes(CtStatement branch) {
        if (branch == null) {
            return false;
        }
        for (CtInvocation<?> call : dev.dpccheck.analyzer.spi.Analysis.elementsIn(branch, CtInvocation.class)) {
            if (Wdm.calls(call, "FlushAdapterBuffers")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        if (collecting) {
            if (exit.routine().role() == Role.CONTROL && s.mapping == Mapping.MAPPED) {
                Channel left = kept(exit.returnStatement(), s.channel);
                for (String key : List.of(declaringClass(exit.routine()), "")) {
                    collected.merge(key, left, (a, b) -> a == b ? a : Channel.UNKNOWN);
                }
            }
            return;
        }
        if (exit.routine().role().isDpc() && s.completed && s.channel == Channel.REGISTERS && s.mapping != Mapping.MAPPED) {
            exit.report("DmaResourceLeak", Wdm.routineName(exit.routine()) + " completes the IRP and returns holding"
                    + " the map registers the AdapterControl routine kept (DeallocateObjectKeepRegisters).");
        }
        if (exit.routine().role().isDpc() && s.completed && (s.channel == Channel.HELD || s.channel == Channel.KEPT)
                && s.mapping != Mapping.MAPPED) {
            exit.report("DmaResourceLeak", Wdm.routineName(exit.routine()) + " completes the IRP and returns holding"
                    + " the adapter channel.");
        }
    }
}
