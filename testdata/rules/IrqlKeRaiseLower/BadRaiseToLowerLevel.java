package rules.irqlkeraiselower.badraisetolowerlevel;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** StartIo "raises" to APC_LEVEL, below the DISPATCH_LEVEL it runs at, then "lowers" back up to DISPATCH_LEVEL. */
final class BadRaiseToLowerLevel {
    @Role(DriverStartIo.class)
    void StartIo(DeviceObject DeviceObject, Irp Irp) {
        Out<Integer> old = new Out<>();
        KeRaiseIrql(APC_LEVEL, old); // expect: IrqlKeRaiseLower
        KeLowerIrql(old.value); // expect: IrqlKeRaiseLower
    }
}
