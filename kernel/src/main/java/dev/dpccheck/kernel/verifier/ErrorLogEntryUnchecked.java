package dev.dpccheck.kernel.verifier;

/** An error log entry used without checking its allocation, or after it was written. */
public final class ErrorLogEntryUnchecked extends Monitor {
    public ErrorLogEntryUnchecked() {
        super("ErrorLogEntryUnchecked", Component.IO,
                "error log entries from their allocation (which may fail under fault injection) to IoWriteErrorLogEntry and after");
    }

    private final java.util.Map<Object, Boolean> entries = new java.util.IdentityHashMap<>();
    /** The contexts whose last IoAllocateErrorLogEntry returned null. */
    private final java.util.Set<Object> refused = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** An entry IoAllocateErrorLogEntry returned to {@code context}. */
    public void allocated(Object entry, Object context) {
        entries.put(entry, Boolean.FALSE);
        refused.remove(context);
    }

    /** IoAllocateErrorLogEntry returned null to {@code context} (the pool is low, under fault injection). */
    public void refused(Object context) {
        refused.add(context);
    }

    /**
     * Driver code in {@code context} threw {@code npe}: when its last allocation of an entry was
     * refused and the exception is about a field of an entry, the entry was used unchecked;
     * reported at {@code routine}, the routine's own frame on the exception's stack (the line a
     * static finding names).
     */
    public void threw(Object context, NullPointerException npe, StackTraceElement routine) {
        String m = npe.getMessage();
        if (m == null || routine == null || !refused.contains(context)) {
            return;
        }
        java.util.regex.Matcher f = java.util.regex.Pattern.compile("(?:read|assign) field \"(\\w+)\"").matcher(m);
        if (f.find() && java.util.Arrays.stream(dev.dpccheck.wdm.IoErrorLogPacket.class.getFields())
                .anyMatch(x -> x.getName().equals(f.group(1)))) {
            reportAt(routine, "'IoAllocateErrorLogEntry' returned null, and the entry's '" + f.group(1)
                    + "' is used without a check.");
        }
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
