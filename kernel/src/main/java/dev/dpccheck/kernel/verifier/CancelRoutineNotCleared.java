package dev.dpccheck.kernel.verifier;

/** An IRP completed while its Cancel routine is still set. */
public final class CancelRoutineNotCleared extends Monitor {
    public CancelRoutineNotCleared() {
        super("CancelRoutineNotCleared", Component.IO,
                "An IRP is completed while it still has a Cancel routine.",
                "every IoCompleteRequest, against the Cancel routine the IRP still has (set with"
                        + " IoSetCancelRoutine and not cleared): Driver Verifier's I/O verification bug checks it,"
                        + " since a cancellation could call the routine for an IRP that is gone");
    }

    public void completed() {
        report("'IoCompleteRequest' completes an IRP whose Cancel routine is still set; clear it with"
                + " 'IoSetCancelRoutine(Irp, null)' first.");
    }
}
