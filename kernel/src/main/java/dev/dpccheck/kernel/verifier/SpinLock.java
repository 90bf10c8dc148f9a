package dev.dpccheck.kernel.verifier;

/** A spin lock acquired twice, released when not held, or left held. */
public final class SpinLock extends Monitor {
    public SpinLock() {
        super("SpinLock", Component.KE,
                "spin lock ownership: a context acquiring a lock it holds, releasing one it does not, returning with one held");
    }

    public RuntimeException reacquired(String lock) {
        return bugCheck("Spin lock '" + lock + "' is acquired again by the context that holds it.");
    }

    public void releasedNotHeld(String lock) {
        report("Spin lock '" + lock + "' is released but not held.");
    }

    public void returnsHolding(String role, String lock) {
        report(q(role) + " returns holding spin lock '" + lock + "'.");
    }
}
