package dev.dpccheck.kernel.verifier;

/** An ISR that goes on working after queuing its DPC. */
public final class IsrRequestDpcNotLast extends Monitor {
    public IsrRequestDpcNotLast() {
        super("IsrRequestDpcNotLast", Component.KE,
                "what an ISR does after it queued its DPC: kernel calls other than further queuing, and writes to shared fields");
    }

    public void calls(String routine) {
        report("The ISR calls '" + routine + "' after 'IoRequestDpc'.");
    }

    public void writes(String field) {
        report("The ISR writes '" + field + "' after 'IoRequestDpc'.");
    }
}
