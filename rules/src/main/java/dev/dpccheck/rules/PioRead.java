package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.FieldFacts;
import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.code.CtArrayWrite;
import spoon.reflect.code.CtFieldRead;
import spoon.reflect.code.CtLocalVariable;
import spoon.reflect.code.CtVariableRead;
import spoon.reflect.declaration.CtElement;

/**
 * Programmed-I/O reads: data the driver stores through a buffer's system address (from
 * MmGetSystemAddressForMdlSafe) must be flushed with KeFlushIoBuffers before the IRP is
 * completed. Checks PioFlushMissing.
 */
final class PioRead implements PathEngine.Property<Boolean> {
    private final Analysis analysis;

    private PioRead(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "PioRead", new PioRead(analysis));
    }

    @Override
    public Boolean initial(DriverModel.Routine routine) {
        return analysis.calls("MmGetSystemAddressForMdlSafe", routine.body()) ? Boolean.FALSE : null;
    }

    @Override
    public Boolean event(PathEngine<Boolean>.Step step, Boolean dirty) {
        CtElement e = step.element();
        if (e instanceof CtArrayWrite<?> w && systemAddress(w)) {
            return Boolean.TRUE;
        }
        if (Wdm.calls(e, "KeFlushIoBuffers")) {
            return Boolean.FALSE;
        }
        if (dirty && Wdm.calls(e, "IoCompleteRequest")) {
            step.report("PioFlushMissing", "'IoCompleteRequest' completes a read whose data was stored through the"
                    + " buffer's system address without 'KeFlushIoBuffers'.");
            return Boolean.FALSE;
        }
        return dirty;
    }

    private boolean systemAddress(CtArrayWrite<?> w) {
        if (w.getTarget() instanceof CtFieldRead<?> f && FieldFacts.driverField(f.getVariable())) {
            return analysis.fields().systemAddressField(FieldFacts.key(f.getVariable()));
        }
        return w.getTarget() instanceof CtVariableRead<?> v
                && v.getVariable().getDeclaration() instanceof CtLocalVariable<?> l
                && analysis.fields().systemAddressLocal(l);
    }
}
