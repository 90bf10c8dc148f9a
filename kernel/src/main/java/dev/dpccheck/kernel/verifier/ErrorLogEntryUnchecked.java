package dev.dpccheck.kernel.verifier;

/** An error log entry used without checking its allocation, or after it was written. */
public final class ErrorLogEntryUnchecked extends Monitor {
    public ErrorLogEntryUnchecked() {
        super("ErrorLogEntryUnchecked", Component.IO,
                "error log entries from their allocation (which may fail under fault injection) to IoWriteErrorLogEntry and after");
    }

    private final java.util.Map<Object, Boolean> entries = new java.util.IdentityHashMap<>();

    /** An entry IoAllocateErrorLogEntry returned. */
    public void allocated(Object entry) {
        entries.put(entry, Boolean.FALSE);
    }

    /** IoWriteErrorLogEntry: an entry the system did not hand out is a bug check; a second write is reported. */
    public void written(Object entry) {
        Boolean written = entry == null ? null : entries.get(entry);
        if (written == null) {
            throw bugCheck("'IoWriteErrorLogEntry' is called with an entry that 'IoAllocateErrorLogEntry' did not return.");
        }
        if (written) {
            report("'IoWriteErrorLogEntry' is called twice for one entry.");
        }
        entries.put(entry, Boolean.TRUE);
    }

    /** A field of an entry is touched: after IoWriteErrorLogEntry the entry belongs to the system. */
    public void touched(Object entry, String field) {
        if (Boolean.TRUE.equals(entries.get(entry))) {
            report(q(field) + " is touched after 'IoWriteErrorLogEntry' handed the entry to the system.");
        }
    }
}
