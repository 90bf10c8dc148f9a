package dev.dpccheck.kernel.verifier;

/** An IRP completed without its status set. */
public final class IoStatusNotSet extends Monitor {
    public IoStatusNotSet() {
        super("IoStatusNotSet", Component.IO,
                "every IoCompleteRequest, against the writes of IoStatus.Status");
    }

    public void completed() {
        report("'IoCompleteRequest' completes an IRP whose 'IoStatus.Status' was never set.");
    }
}
