package dev.dpccheck.kernel.verifier;

/** Two contexts access the same location, one of them writing, with nothing ordering the accesses. */
public final class DataRace extends Monitor {
    public DataRace() {
        super("DataRace", Component.KE,
                "Two contexts access a shared field or element, one of them writing, with nothing ordering the accesses.",
                "every access to a field, static or array element that two contexts share, ordered by the happens-before edges of locks, DPC and timer queuing, StartIo, device interrupts, events and IRP completion (FastTrack vector clocks)");
    }

    /**
     * Two accesses, at least one a write, that nothing orders; blamed at {@code at} (the access
     * holding fewer locks, then the read, then the earlier line).
     */
    public void race(String routine, String context, boolean write, String what, int line, String otherActor,
            boolean otherWrite, int otherLine, String otherFile, StackTraceElement at, boolean blamesOther) {
        String message = q(routine) + " " + (write ? "writes " : "reads ") + what + " at line " + line + " (" + context
                + ") and " + otherActor + " " + (otherWrite ? "wrote" : "read") + " it at line " + otherLine + " of "
                + otherFile + ", with nothing ordering the two accesses.";
        if (blamesOther) {
            // the report stands at the other access: name the method and the context that made it
            reportAtFor(at, at.getMethodName(), otherActor, message);
        } else {
            reportAt(at, message);
        }
    }
}
