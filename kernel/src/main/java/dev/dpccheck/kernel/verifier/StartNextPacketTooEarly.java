package dev.dpccheck.kernel.verifier;

/** The next request started while the current one's context is still in use. */
public final class StartNextPacketTooEarly extends Monitor {
    public StartNextPacketTooEarly() {
        super("StartNextPacketTooEarly", Component.IO,
                "per device, the driver's accesses to the state of the request a DPC started the next one after: an access after the new request's routines wrote it");
    }

    public void overwritten(String routine, boolean write, String field, int line, StackTraceElement startedAt) {
        reportAt(startedAt, q(routine) + " is called before the last " + (write ? "write" : "read") + " of '" + field + "'"
                + (line > 0 ? " at line " + line : "") + ", which the request it started has overwritten.");
    }
}
