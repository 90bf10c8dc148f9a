package dev.dpccheck.kernel.verifier;

/** A routine that must run at DISPATCH_LEVEL called at another IRQL. */
public final class IrqlDispatch extends Monitor {
    public IrqlDispatch() {
        super("IrqlDispatch", Component.KE,
                "the IRQL at every call of a routine that must be called at exactly DISPATCH_LEVEL");
    }

    public void called(String routine, int irql, String need) {
        report(q(routine) + " is called at " + irql(irql) + "; it must be called " + need + ".");
    }
}
