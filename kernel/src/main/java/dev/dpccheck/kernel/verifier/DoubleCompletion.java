package dev.dpccheck.kernel.verifier;

/** An IRP completed twice. */
public final class DoubleCompletion extends Monitor {
    public DoubleCompletion() {
        super("DoubleCompletion", Component.IO,
                "every IoCompleteRequest, against the IRPs already completed");
    }

    public void completedAgain() {
        report("'IoCompleteRequest' is called for an IRP that was already completed.");
    }
}
