package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import spoon.reflect.code.CtArrayWrite;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLiteral;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/**
 * Programmed-I/O reads: data the driver stores through a buffer's system address (from
 * MmGetSystemAddressForMdlSafe, and the fields and locals it is copied to) must be flushed with
 * KeFlushIoBuffers, for a read, before the IRP is completed. Checks PioFlushMissing, two ways:
 * <ul>
 * <li>a path that stores through the address itself and then completes an IRP without a flush;</li>
 * <li>where the ISR stores the data (at DIRQL, a byte or a sector per interrupt), the routine that
 * finishes the request (the DPC it queues after storing, or a DPC or IoTimer routine that takes
 * the buffer back from the ISR in a SynchCritSection) completes the current IRP at a call that no path reaches through a flush for a read ({@code
 * KeFlushIoBuffers(mdl, TRUE, ...)}): none before it at all, or only one for a write. A routine
 * that flushes on the paths of its reads and not on those of its writes is taken at its word.</li>
 * </ul>
 */
final class PioRead implements PathEngine.Property<PioRead.State> {
    /**
     * @param dirty whether the path stored through a system address since the last flush
     * @param finishing whether the routine finishes requests whose data the ISR stored
     * @param readFlushed whether the path flushed for a read
     */
    record State(boolean dirty, boolean finishing, boolean readFlushed) {
    }

    private final Analysis analysis;
    /** The completion sites (position keys) that some path reached after a flush for a read. */
    private final Set<String> flushedSites = new TreeSet<>();

    private PioRead(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return PathEngine.merge(analysis.perDriver("automaton:PioRead", (driver, routines) -> {
            PioRead p = new PioRead(analysis);
            List<PathEngine.Finding> all = PathEngine.run(analysis.driver(), routines, p, analysis::cfg,
                    analysis::stoppedShort);
            // a completion that some path reaches through a read flush: the driver flushes where it read
            return all.stream().filter(f -> !f.message().startsWith(UNFLUSHED_CURRENT)
                    || !p.flushedSites.contains(DriverModel.positionKey(f.site()))).toList();
        }));
    }

    /** The message of a completion that no read flush precedes, without its final period (a helper's site replaces it). */
    private static final String UNFLUSHED_CURRENT = "'IoCompleteRequest' completes the current IRP, whose data the"
            + " ISR stored through the buffer's system address, without 'KeFlushIoBuffers' for a read";

    @Override
    public State initial(DriverModel.Routine routine) {
        boolean stores = analysis.calls("MmGetSystemAddressForMdlSafe", routine.body());
        boolean finishing = (routine.role().isDpc() || routine.role() == Role.IO_TIMER)
                && finishing(analysis).contains(routine.body());
        return stores || finishing ? new State(false, finishing, false) : null;
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        if (e instanceof CtArrayWrite<?> w && systemAddress(analysis, w)) {
            return new State(true, s.finishing, s.readFlushed);
        }
        if (Wdm.calls(e, "KeFlushIoBuffers")) {
            CtExpression<?> read = Wdm.arg(e, 1);
            boolean forRead = !(read instanceof CtLiteral<?> l && Boolean.FALSE.equals(l.getValue()));
            return new State(false, s.finishing, s.readFlushed || forRead);
        }
        if (!Wdm.calls(e, "IoCompleteRequest")) {
            return s;
        }
        if (s.dirty) {
            step.report("PioFlushMissing", "'IoCompleteRequest' completes a read whose data was stored through the"
                    + " buffer's system address without 'KeFlushIoBuffers'.");
            return new State(false, s.finishing, s.readFlushed);
        }
        if (s.finishing && CurrentIrp.held(analysis, step.routine(), Wdm.arg(e, 0))) {
            if (s.readFlushed) {
                flushedSites.add(DriverModel.positionKey(step.site()));
            } else {
                step.report("PioFlushMissing", UNFLUSHED_CURRENT + ".");
            }
        }
        return s;
    }

    /**
     * The routines that finish requests whose data the ISR stored: the DPCs an ISR queues on a path
     * that stored through a system address, and the routines that take a buffer back from the ISR
     * (they run a SynchCritSection that reads a field holding a system address: a read timing out).
     */
    private static Set<CtExecutable<?>> finishing(Analysis analysis) {
        return analysis.cached("pioFinishing", () -> {
            Set<CtExecutable<?>> out = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<String> queued = new TreeSet<>();
            PathEngine.run(analysis.driver(), new PathEngine.Property<Boolean>() {
                @Override
                public Boolean initial(DriverModel.Routine routine) {
                    return routine.role() == Role.ISR ? Boolean.FALSE : null;
                }

                @Override
                public Boolean event(PathEngine<Boolean>.Step step, Boolean stored) {
                    CtElement e = step.element();
                    if (e instanceof CtArrayWrite<?> w && systemAddress(analysis, w)) {
                        return Boolean.TRUE;
                    }
                    if (stored && Wdm.calls(e, "IoRequestDpc")) {
                        queued.add("DpcForIsr@" + DriverModel.driverOf(step.routine().body()));
                    } else if (stored && Wdm.calls(e, "KeInsertQueueDpc") && Wdm.arg(e, 0) != null) {
                        // a KDPC not known (a helper's parameter) may be any: "" stands for all
                        String key = Protection.dpcKey(Wdm.arg(e, 0));
                        queued.add(key == null ? "" : key);
                    }
                    return stored;
                }
            }, analysis::cfg, analysis::stoppedShort);
            for (DriverModel.Routine r : analysis.driver().routines()) {
                if (r.role() == Role.DPC_FOR_ISR && queued.contains("DpcForIsr@" + DriverModel.driverOf(r.body()))
                        || r.role() == Role.CUSTOM_DPC && r.registration().getParent() instanceof CtInvocation<?> init
                        && Wdm.calls(init, "KeInitializeDpc") && queuedFor(queued, init.getArguments().get(0))
                        || (r.role().isDpc() || r.role() == Role.IO_TIMER) && takesBufferBack(analysis, r.body())) {
                    out.add(r.body());
                }
            }
            return out;
        });
    }

    /** Whether the KDPC a CustomDpc is initialized with is among the {@code queued} ones ("" for any). */
    private static boolean queuedFor(Set<String> queued, spoon.reflect.code.CtExpression<?> dpc) {
        String key = Protection.dpcKey(dpc);
        return queued.contains("") || key != null && queued.contains(key);
    }

    /** Whether a routine runs a SynchCritSection that reads a field holding a system address. */
    private static boolean takesBufferBack(Analysis analysis, CtExecutable<?> body) {
        for (CtExecutable<?> e : analysis.driver().reachableFrom(body, true)) {
            if (!analysis.driver().rolesOf(e).contains(Role.SYNCH_CRIT_SECTION)) {
                continue;
            }
            for (CtFieldRead<?> f : dev.dpccheck.analyzer.spi.Analysis.elementsIn(e, CtFieldRead.class)) {
                if (FieldFacts.driverField(f.getVariable())
                        && analysis.fields().systemAddressField(FieldFacts.key(f.getVariable()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean systemAddress(Analysis analysis, CtArrayWrite<?> w) {
        if (w.getTarget() instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())) {
            return analysis.fields().systemAddressField(FieldFacts.key(f.getVariable()));
        }
        return w.getTarget() instanceof CtVariableRead<?> v
                && dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable()) instanceof CtLocalVariable<?> l
                && analysis.fields().systemAddressLocal(l);
    }
}
