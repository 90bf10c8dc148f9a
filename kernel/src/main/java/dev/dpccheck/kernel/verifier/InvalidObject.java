package dev.dpccheck.kernel.verifier;

/** An object passed to the kernel that the kernel did not create or that was never initialized. */
public final class InvalidObject extends Monitor {
    public InvalidObject() {
        super("InvalidObject", Component.KE,
                "A kernel routine is given an object the kernel did not create or initialize.",
                "every kernel object a routine is given, against the objects the kernel created and initialized");
    }

    /** A routine given an object the kernel did not create or that was never initialized: a bug check. */
    public RuntimeException notAnObject(String what) {
        return bugCheck(what);
    }

    /** The same, where the kernel can go on. */
    public void misused(String what) {
        report(what);
    }
}
