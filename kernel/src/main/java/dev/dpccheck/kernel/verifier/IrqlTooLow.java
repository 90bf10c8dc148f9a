package dev.dpccheck.kernel.verifier;

/** A call made below the lowest IRQL its contract allows. */
public final class IrqlTooLow extends Monitor {
    public IrqlTooLow() {
        super("IrqlTooLow", Component.KE,
                "the IRQL at every DDI call and every call of a driver function with an IRQL contract");
    }

    public void called(String routine, int irql, String need) {
        report(q(routine) + " is called at " + irql(irql) + "; it must be called " + need + ".");
    }
}
