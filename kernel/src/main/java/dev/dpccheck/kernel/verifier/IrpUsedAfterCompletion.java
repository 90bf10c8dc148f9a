package dev.dpccheck.kernel.verifier;

/** An IRP touched after it was completed. */
public final class IrpUsedAfterCompletion extends Monitor {
    public IrpUsedAfterCompletion() {
        super("IrpUsedAfterCompletion", Component.IO,
                "every DDI call given an IRP and every access to an IRP's fields, against the IRPs completed");
    }

    public void called(String routine) {
        report(q(routine) + " is called with an IRP that was already completed.");
    }

    public void touched(String field) {
        report(q(field) + " is touched after the IRP was completed.");
    }
}
