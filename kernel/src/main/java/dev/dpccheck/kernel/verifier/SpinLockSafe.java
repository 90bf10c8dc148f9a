package dev.dpccheck.kernel.verifier;

/** IoCompleteRequest or IoStartNextPacket called while holding a spin lock. */
public final class SpinLockSafe extends Monitor {
    public SpinLockSafe() {
        super("SpinLockSafe", Component.KE,
                "the locks held at every IoCompleteRequest and IoStartNextPacket");
    }

    public void calledHolding(String routine, String lock) {
        report(q(routine) + " is called while holding spin lock '" + lock + "'.");
    }
}
