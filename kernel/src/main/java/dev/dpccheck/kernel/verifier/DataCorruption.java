package dev.dpccheck.kernel.verifier;

/** Data a request moved that differs from what the device holds or sent. */
public final class DataCorruption extends Monitor {
    public DataCorruption() {
        super("DataCorruption", Component.DEVICE,
                "A request moved the wrong data to or from the device.",
                "the data every request moved, checked by the workload against the simulated device's medium or line, and characters the UART was given while its transmitter was busy");
    }

    /** A request completed with data the device did not hold or send; reported at the completing line. */
    public void wrongData(String request, String wrong, StackTraceElement completedAt, String routine, String context) {
        reportAtFor(completedAt, routine, context, "The " + request + " completed with wrong data: " + wrong + ".");
    }

    /**
     * What the workload finds wrong once every request ended; {@code lastRequest}, when one
     * request is to blame (the last write to a sector), is reported where the driver completed it.
     */
    public void atEnd(String wrong, String lastRequest, StackTraceElement completedAt, String routine, String context) {
        if (completedAt == null) {
            report("At the end of the run " + wrong + ".");
        } else {
            reportAtFor(completedAt, routine, context, "At the end of the run " + wrong + ": the " + lastRequest
                    + " that wrote it last was completed here as a success.");
        }
    }

    /** A character written to a UART whose transmit holding register was still full. */
    public void transmitOverrun(String device) {
        report(q(device) + " was given a character with its transmit FIFO full; the character is lost.");
    }
}
