package dev.dpccheck.kernel.verifier;

import dev.dpccheck.wdm.Wdm;

/** IRQL names as messages print them. */
public final class Irql {
    private Irql() {
    }

    /** The WDK name of an IRQL, e.g. {@code DISPATCH_LEVEL}, {@code DIRQL 5}. */
    public static String name(int irql) {
        switch (irql) {
            case Wdm.PASSIVE_LEVEL:
                return "PASSIVE_LEVEL";
            case Wdm.APC_LEVEL:
                return "APC_LEVEL";
            case Wdm.DISPATCH_LEVEL:
                return "DISPATCH_LEVEL";
            case Wdm.CLOCK_LEVEL:
                return "CLOCK_LEVEL";
            case Wdm.IPI_LEVEL:
                return "IPI_LEVEL";
            case Wdm.HIGH_LEVEL:
                return "HIGH_LEVEL";
            default:
                return irql >= Wdm.DIRQL_MIN && irql <= Wdm.DIRQL_MAX ? "DIRQL " + irql : "IRQL " + irql;
        }
    }
}
