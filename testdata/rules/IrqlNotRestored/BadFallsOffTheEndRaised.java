package rules.irqlnotrestored.badfallsofftheendraised;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The unload routine raises in a helper and never lowers. */
final class BadFallsOffTheEndRaised {
    @Role(DriverUnload.class)
    void Unload(DriverObject DriverObject) {
        RaiseForTeardown();
    } // expect: IrqlNotRestored

    private void RaiseForTeardown() {
        KeRaiseIrqlToDpcLevel();
    }
}
