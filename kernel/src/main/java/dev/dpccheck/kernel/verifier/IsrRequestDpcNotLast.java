package dev.dpccheck.kernel.verifier;

/**
 * An ISR that, after queuing its DPC, writes state that a DPC reads outside a SynchCritSection: the
 * DPC may already run on another processor. What else the ISR does after queuing (reading or
 * acknowledging the device, writing what only it reads, or what the DPC reads only in a
 * SynchCritSection, which waits for the ISR) is not a defect, as the static rule holds too.
 */
public final class IsrRequestDpcNotLast extends Monitor {
    public IsrRequestDpcNotLast() {
        super("IsrRequestDpcNotLast", Component.KE,
                "what an ISR writes after it queued its DPC, and whether a DPC then reads it outside a SynchCritSection");
    }

    /**
     * A DPC ({@code reader}) read {@code field} unsynchronized, which an ISR wrote after queuing its
     * DPC; reported at the ISR's line, from the stack of that write.
     */
    public void writesWhatTheDpcReads(String field, String reader, StackTraceElement[] isrStack) {
        reportIn(isrStack, "The ISR writes '" + field + "' after 'IoRequestDpc', and '" + reader
                + "' reads it outside a SynchCritSection.");
    }
}
