package rules.deviceprogrammedoutsidesync.goodpolleddevicewithoutinterrupt;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A polled device with no interrupt: its timer DPC reads the status and programs the next
 * command. With no ISR there is nothing to come in between, and no SynchCritSection to run.
 */
final class GoodPolledDeviceWithoutInterrupt {
    static final class Extension {
        long Ports;
        final KTimer PollTimer = new KTimer();
        final Kdpc PollDpc = new Kdpc();
        int Pending;
    }

    @Role(KDeferredRoutine.class)
    void PollDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Extension ext = (Extension) DeferredContext;
        if ((READ_PORT_UCHAR(ext.Ports + 1) & 0x80) == 0 && ext.Pending > 0) {
            WRITE_PORT_UCHAR(ext.Ports, (byte) ext.Pending);
            ext.Pending--;
        }
    }
}
