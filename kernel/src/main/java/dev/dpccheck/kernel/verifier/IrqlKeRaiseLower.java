package dev.dpccheck.kernel.verifier;

/** The IRQL raised below or lowered above where it stands. */
public final class IrqlKeRaiseLower extends Monitor {
    public IrqlKeRaiseLower() {
        super("IrqlKeRaiseLower", Component.KE,
                "every raise and lower of the IRQL, against the current IRQL, and DPCs lowering below DISPATCH_LEVEL");
    }

    public void lowersAbove(String routine, int newIrql, int current) {
        report(q(routine) + " lowers to " + irql(newIrql) + ", above the current " + irql(current) + ".");
    }

    public void dpcLowers() {
        report("The DPC lowers the IRQL below DISPATCH_LEVEL.");
    }

    public void raisesBelow(int newIrql, int current) {
        report("'KeRaiseIrql' raises to " + irql(newIrql) + ", below the current " + irql(current) + ".");
    }
}
