package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spoon.reflect.code.BinaryOperatorKind;
import spoon.reflect.code.CtBinaryOperator;
import spoon.reflect.code.CtExpression;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtInvocation;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;
import spoon.reflect.declaration.CtParameter;
import spoon.reflect.visitor.filter.TypeFilter;

/**
 * Device registers as abstract locations: the base a register address is computed from (a field
 * of the driver's, by its declaration, or an absolute port) and the constant offset added to it
 * ({@code ext.IoBase + SER_IER}, {@code base + PORTSC1 + 2 * port} through a local initialized
 * once). Variable terms beside a constant offset index a block of registers ({@code window + i}) and
 * are folded into the block; an address whose base or offset comes from a parameter or an
 * assigned variable is unknown and may be any register of its base, or any register at all.
 *
 * <p>Which registers a driver synchronizes with its ISR: those its ISRs read or write, and those
 * it writes in a SynchCritSection (the driver's own statement that the ISR must not come in
 * between). A DPC that writes any other register unprotected cannot meet the ISR there.
 */
final class Registers {
    /**
     * @param base the base's key ({@code ""} for an absolute address), or null when unknown
     * @param offset the constant offset, or null when unknown
     */
    record Register(String base, Long offset) {
        boolean mayAlias(Register o) {
            return base == null || o.base == null
                    || base.equals(o.base) && (offset == null || o.offset == null || offset.equals(o.offset));
        }
    }

    private Registers() {
    }

    /** The register a READ_/WRITE_ PORT or REGISTER call accesses. */
    static Register of(Analysis analysis, CtInvocation<?> access) {
        return access.getArguments().isEmpty() ? new Register(null, null)
                : analysis.memo("registerLocation", access, () -> locate(access.getArguments().get(0)));
    }

    /** Whether a DPC's unprotected write of {@code write} may touch a register the driver synchronizes with its ISR. */
    static boolean synchronizedWithIsr(Analysis analysis, CtInvocation<?> write) {
        Register r = of(analysis, write);
        for (Register s : synchronizedRegisters(analysis).getOrDefault(DriverModel.driverOf(write), List.of())) {
            if (r.mayAlias(s)) {
                return true;
            }
        }
        return false;
    }

    /** By driver: the registers its ISRs touch and its SynchCritSections write. */
    private static Map<String, List<Register>> synchronizedRegisters(Analysis analysis) {
        return analysis.cached("synchronizedRegisters", () -> {
            Map<String, List<Register>> out = new TreeMap<>();
            for (DriverModel.Routine r : analysis.driver().routines()) {
                boolean isr = r.role() == Role.ISR;
                if (!isr && r.role() != Role.SYNCH_CRIT_SECTION) {
                    continue;
                }
                List<Register> regs = out.computeIfAbsent(DriverModel.driverOf(r.body()), d -> new ArrayList<>());
                for (CtExecutable<?> b : analysis.driver().reachableFrom(r.body(), true)) {
                    for (CtInvocation<?> call : dev.dpccheck.analyzer.spi.Analysis.elementsIn(b, CtInvocation.class)) {
                        String called = Wdm.called(call);
                        if (called != null && (Wdm.writesDevice(called)
                                || isr && (called.startsWith("READ_PORT_") || called.startsWith("READ_REGISTER_")))) {
                            regs.add(of(analysis, call));
                        }
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ addresses

    private enum Kind { CONSTANT, BASE, VARIABLE, UNKNOWN }

    private record Term(Kind kind, long value, String base) {
    }

    private static Register locate(CtExpression<?> address) {
        List<Term> terms = new ArrayList<>();
        terms(address, 1, terms, 0);
        String base = null;
        boolean unknown = false;
        boolean variable = false;
        boolean constant = false;
        long offset = 0;
        for (Term t : terms) {
            switch (t.kind) {
                case CONSTANT -> {
                    constant = true;
                    offset += t.value;
                }
                case BASE -> {
                    if (base == null) {
                        base = t.base;
                    } else {
                        variable = true;
                    }
                }
                case VARIABLE -> variable = true;
                case UNKNOWN -> unknown = true;
            }
        }
        if (base == null) {
            // an absolute port, or a base that came from a parameter
            return unknown || variable ? new Register(null, null) : new Register("", offset);
        }
        return new Register(base, constant || !unknown && !variable ? offset : null);
    }

    private static void terms(CtExpression<?> e, int sign, List<Term> out, int depth) {
        Long c = Constants.value(e);
        if (c != null) {
            out.add(new Term(Kind.CONSTANT, sign * c, null));
            return;
        }
        if (e instanceof CtBinaryOperator<?> b
                && (b.getKind() == BinaryOperatorKind.PLUS || b.getKind() == BinaryOperatorKind.MINUS)) {
            terms(b.getLeftHandOperand(), sign, out, depth);
            terms(b.getRightHandOperand(), b.getKind() == BinaryOperatorKind.MINUS ? -sign : sign, out, depth);
            return;
        }
        if (e instanceof CtFieldRead<?> f && !f.getVariable().isStatic() && FieldFacts.driverField(f.getVariable())) {
            out.add(new Term(Kind.BASE, 0, FieldFacts.key(f.getVariable())));
            return;
        }
        if (e instanceof CtVariableRead<?> v && !(e instanceof CtFieldRead<?>)) {
            CtElement d = dev.dpccheck.analyzer.spi.Analysis.variable(v.getVariable());
            if (d instanceof CtParameter<?>) {
                out.add(new Term(Kind.UNKNOWN, 0, null));
                return;
            }
            if (depth < 4 && d instanceof CtLocalVariable<?> l && l.getDefaultExpression() != null
                    && Constants.assignments(l).size() == 1) {
                // initialized and never assigned again
                terms(l.getDefaultExpression(), sign, out, depth + 1);
                return;
            }
            // a loop index or a variable assigned on the way: an index into a block, or unknown alone
            out.add(new Term(Kind.VARIABLE, 0, null));
            return;
        }
        out.add(new Term(e instanceof CtBinaryOperator<?> ? Kind.VARIABLE : Kind.UNKNOWN, 0, null));
    }
}
