package dev.dpccheck.kernel.verifier;

/** A controller object left allocated after its request, or freed when not allocated. */
public final class ControllerNotFreed extends Monitor {
    public ControllerNotFreed() {
        super("ControllerNotFreed", Component.IO,
                "controller allocations per device: a DPC that completes the device's IRP and returns, or starts the next packet, with the controller still allocated; frees of a controller not allocated; and, when a run stalls, a controller still allocated while requests wait for it");
    }

    public void dpcReturns(String device) {
        report("The DPC completed the current IRP of '" + device + "' and returns without 'IoFreeController'.");
    }

    public void startNextWhileHeld(String routine) {
        report(q(routine) + " is called while the controller is still allocated.");
    }

    /** When a run stalls: the controller is still allocated to {@code device} while requests wait for it. */
    public void neverFreed(String device, int waiting, StackTraceElement allocatedAt) {
        reportAt(allocatedAt, "The controller, allocated here to '" + device + "', is never freed; " + waiting
                + " requests wait for it.");
    }

    public void freedNotAllocated() {
        report("'IoFreeController' releases a controller that is not allocated.");
    }
}
