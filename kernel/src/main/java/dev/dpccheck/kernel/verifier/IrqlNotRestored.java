package dev.dpccheck.kernel.verifier;

/** A routine that returns at another IRQL than it was called at. */
public final class IrqlNotRestored extends Monitor {
    public IrqlNotRestored() {
        super("IrqlNotRestored", Component.KE,
                "the IRQL at every driver routine's return, against its IRQL at entry");
    }

    public void returned(String role, int irql, int entry) {
        report(q(role) + " returns at " + irql(irql) + " but was called at " + irql(entry) + ".");
    }
}
