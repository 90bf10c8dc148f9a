package dev.dpccheck.kernel.verifier;

/** A DPC given a context in paged pool. */
public final class DpcContextNotResident extends Monitor {
    public DpcContextNotResident() {
        super("DpcContextNotResident", Component.MM,
                "the arguments of every DPC queue request, against paged pool");
    }

    public void paged() {
        report("The context passed to the DPC is in paged pool.");
    }
}
