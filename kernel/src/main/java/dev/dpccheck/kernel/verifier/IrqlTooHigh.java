package dev.dpccheck.kernel.verifier;

/** A call made above the highest IRQL its contract allows. */
public final class IrqlTooHigh extends Monitor {
    public IrqlTooHigh() {
        super("IrqlTooHigh", Component.KE,
                "the IRQL at every DDI call and every call of a driver function with an IRQL contract, at waits, and at every touch of paged pool");
    }

    public void called(String routine, int irql, String need, String reason) {
        report(q(routine) + " is called at " + irql(irql) + "; it must be called " + need + reason + ".");
    }

    /** A wait above APC_LEVEL cannot be carried out: a bug check. */
    public RuntimeException waits(String routine, int irql) {
        return bugCheck(q(routine) + " would wait at " + irql(irql) + ".");
    }

    public void pageableRuns(String function, int irql) {
        report("Pageable code '" + function + "' runs at " + irql(irql) + ".");
    }

    public void synchronizeAbove(int irql, int synchronizeIrql) {
        report("'KeSynchronizeExecution' is called at " + irql(irql) + ", above the interrupt's SynchronizeIrql "
                + synchronizeIrql + ".");
    }

    public void pagedPoolFreed(int irql) {
        report("'ExFreePoolWithTag' frees paged pool at " + irql(irql) + ".");
    }

    public void pagedPoolTouched(String routine, int irql) {
        report(q(routine) + " touches paged pool at " + irql(irql) + ".");
    }
}
