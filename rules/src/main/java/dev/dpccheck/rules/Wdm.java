package dev.dpccheck.rules;

import dev.dpccheck.analyzer.driver.WdmRoutine;
import java.util.List;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.declaration.CtElement;

/** Small questions the automata ask about an event. */
final class Wdm {
    private Wdm() {
    }

    /** The name of the WDM routine the event calls, or null. */
    static String called(CtElement e) {
        if (e instanceof CtInvocation<?> call) {
            WdmRoutine w = WdmRoutine.of(call);
            return w == null ? null : w.name;
        }
        return null;
    }

    /** Whether the event calls one of the named WDM routines. */
    static boolean calls(CtElement e, String... names) {
        String n = called(e);
        return n != null && List.of(names).contains(n);
    }

    /** The model's calls of the named WDM routines, in model order; found once per list of names. */
    static List<CtInvocation<?>> callsTo(dev.dpccheck.analyzer.spi.Analysis analysis, String... names) {
        return analysis.cached("callsTo:" + String.join(",", names), () -> {
            List<CtInvocation<?>> out = new java.util.ArrayList<>();
            for (CtInvocation<?> call : analysis.elements(CtInvocation.class)) {
                if (calls(call, names)) {
                    out.add(call);
                }
            }
            return List.copyOf(out);
        });
    }

    /** Argument {@code i} of a call event. */
    static CtExpression<?> arg(CtElement e, int i) {
        List<CtExpression<?>> args = ((CtInvocation<?>) e).getArguments();
        return i < args.size() ? args.get(i) : null;
    }

    /**
     * For an event that writes {@code irp.IoStatus.Status}: the expression that holds the IRP;
     * otherwise null.
     */
    static CtExpression<?> statusWriteTarget(CtElement e) {
        if (e instanceof spoon.reflect.code.CtFieldWrite<?> w && w.getVariable().getSimpleName().equals("Status")
                && w.getTarget() instanceof spoon.reflect.code.CtFieldRead<?> io
                && io.getVariable().getSimpleName().equals("IoStatus")) {
            return io.getTarget();
        }
        return null;
    }

    /** Whether a WDM routine (by name) writes a device register or port. */
    static boolean writesDevice(String called) {
        return called != null && (called.startsWith("WRITE_PORT_") || called.startsWith("WRITE_REGISTER_"));
    }

    /**
     * Whether {@code body}, or anything it calls (SynchCritSections included when asked), calls one
     * of the named WDM routines; once per body and question.
     */
    static boolean reaches(dev.dpccheck.analyzer.spi.Analysis analysis, spoon.reflect.declaration.CtExecutable<?> body,
            boolean throughSynchCritSections, String... names) {
        return reaches(analysis, body, throughSynchCritSections, String.join(",", names), call -> calls(call, names));
    }

    /** Whether {@code body}, or anything it calls, SynchCritSections included, writes a device register or port. */
    static boolean programsDevice(dev.dpccheck.analyzer.spi.Analysis analysis,
            spoon.reflect.declaration.CtExecutable<?> body) {
        return reaches(analysis, body, true, "<device writes>", call -> writesDevice(called(call)));
    }

    /**
     * Whether {@code body}, or anything it calls, starts an operation on the device: programs it, or
     * asks for the adapter channel, a scatter/gather list or the controller whose routine will.
     */
    static boolean startsDevice(dev.dpccheck.analyzer.spi.Analysis analysis,
            spoon.reflect.declaration.CtExecutable<?> body) {
        return programsDevice(analysis, body) || reaches(analysis, body, true, "<device starts>",
                call -> STARTS.contains(String.valueOf(called(call))));
    }

    /** The routines whose callback starts the device's operation. */
    private static final java.util.Set<String> STARTS = java.util.Set.of("AllocateAdapterChannel",
            "GetScatterGatherList", "BuildScatterGatherList", "IoAllocateController");

    /** Whether {@code body}, or anything it calls, makes a call that {@code wanted} (named {@code question}) accepts. */
    private static boolean reaches(dev.dpccheck.analyzer.spi.Analysis analysis,
            spoon.reflect.declaration.CtExecutable<?> body, boolean throughSynchCritSections, String question,
            java.util.function.Predicate<CtInvocation<?>> wanted) {
        return analysis.cached("reaches:" + question + ":" + throughSynchCritSections + ":"
                + dev.dpccheck.analyzer.driver.DriverModel.positionKey(body), () -> {
                    for (spoon.reflect.declaration.CtExecutable<?> b : analysis.driver().reachableFrom(body,
                            throughSynchCritSections)) {
                        for (CtInvocation<?> call : dev.dpccheck.analyzer.spi.Analysis.elementsIn(b, CtInvocation.class)) {
                            if (wanted.test(call)) {
                                return true;
                            }
                        }
                    }
                    return false;
                });
    }

    /**
     * Whether a DPC runs because the device interrupted: a DpcForIsr (IoRequestDpc is the ISR's
     * call), or a CustomDpc whose KDPC some code the driver's ISRs run (their helpers and
     * SynchCritSections included) queues with KeInsertQueueDpc. A timer's DPC, or one only
     * dispatch routines queue, is not; neither is a CustomDpc whose KeInitializeDpc is not found
     * (then it is taken to be one, as before this was established from the code).
     */
    static boolean interruptDpc(dev.dpccheck.analyzer.spi.Analysis analysis,
            dev.dpccheck.analyzer.driver.DriverModel.Routine routine) {
        if (routine.role() != dev.dpccheck.analyzer.driver.Role.CUSTOM_DPC) {
            return routine.role() == dev.dpccheck.analyzer.driver.Role.DPC_FOR_ISR;
        }
        if (!(routine.registration() != null && routine.registration().getParent() instanceof CtInvocation<?> init)
                || !calls(init, "KeInitializeDpc") || init.getArguments().isEmpty()) {
            return true;
        }
        java.util.Set<String> queued = analysis.cached("interruptDpcs", () -> {
            java.util.Set<spoon.reflect.declaration.CtExecutable<?>> isr = java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>());
            for (dev.dpccheck.analyzer.driver.DriverModel.Routine r : analysis.driver().routines()) {
                if (r.role() == dev.dpccheck.analyzer.driver.Role.ISR) {
                    isr.addAll(analysis.driver().reachableFrom(r.body(), true));
                }
            }
            java.util.Set<String> keys = new java.util.TreeSet<>();
            for (CtInvocation<?> call : callsTo(analysis, "KeInsertQueueDpc")) {
                if (!call.getArguments().isEmpty()
                        && isr.contains(call.getParent(spoon.reflect.declaration.CtExecutable.class))) {
                    // a KDPC that is not known (a helper's parameter) may be any of them: "" stands for all
                    String key = Protection.dpcKey(call.getArguments().get(0));
                    keys.add(key == null ? "" : key);
                }
            }
            return keys;
        });
        String key = Protection.dpcKey(init.getArguments().get(0));
        return key == null || queued.contains("") || queued.contains(key);
    }

    /**
     * What {@code e} holds where it is a read of a local that only ever holds its initial value
     * ({@code Engine a = ext.Audio;} read as {@code a} holds {@code ext.Audio}), followed through up
     * to {@code depth} such locals; {@code e} itself otherwise.
     */
    static CtExpression<?> initialValue(CtExpression<?> e, int depth) {
        CtExpression<?> x = e;
        for (int i = 0; i < depth && x instanceof spoon.reflect.code.CtVariableRead<?> r
                && !(r instanceof spoon.reflect.code.CtFieldRead<?>)
                && dev.dpccheck.analyzer.spi.Analysis.variable(r.getVariable()) instanceof spoon.reflect.code.CtLocalVariable<?> l
                && l.getDefaultExpression() != null && dev.dpccheck.analyzer.spi.Analysis.writesOf(l).isEmpty(); i++) {
            x = l.getDefaultExpression();
        }
        return x;
    }

    /**
     * A local's name as a path state keeps it: the routine's own by name (also for a null step, at
     * the routine's exit), a helper's with its method, so that the two never meet.
     */
    static String scoped(dev.dpccheck.analyzer.dataflow.PathEngine<?>.Step step, String local) {
        return step == null || step.body() == step.routine().body() ? local
                : local + "@" + dev.dpccheck.analyzer.driver.DriverModel.positionKey(step.body());
    }

    /** The text of the routine's own method name for messages: {@code 'DpcForIsr'}. */
    static String routineName(dev.dpccheck.analyzer.driver.DriverModel.Routine r) {
        return r.body() instanceof spoon.reflect.code.CtLambda<?> ? "The " + r.role().wdkName + " lambda"
                : "'" + r.body().getSimpleName() + "'";
    }
}
