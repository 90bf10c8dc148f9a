package dev.dpccheck.kernel.verifier;

/** An IRP passed down with no stack location left (bug check NO_MORE_IRP_STACK_LOCATIONS). */
public final class NoMoreIrpStackLocations extends Monitor {
    public NoMoreIrpStackLocations() {
        super("NoMoreIrpStackLocations", Component.IO,
                "An IRP is passed on with no stack location left.",
                "the IRP stack at every IoCallDriver and IoGetNextIrpStackLocation");
    }

    public RuntimeException noNext() {
        return bugCheck("The IRP has no stack location for the next-lower driver.");
    }

    public RuntimeException noneLeft(String device) {
        return bugCheck("'IoCallDriver' has no stack location left for '" + device + "'.");
    }
}
