package rules.isrrequestdpcnotlast.goodisrloopwithdpcreadinginsync;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A serial-port ISR that services every pending cause in a loop, queuing a CustomDpc per event
 * and going on: it reads the device and counts what it received after the first queue call. The
 * DPC takes the counts only inside a SynchCritSection, which cannot run before the ISR returns
 * and releases the interrupt spin lock, so nothing the ISR writes after queuing races with it.
 */
final class GoodIsrLoopWithDpcReadingInSync {
    static final class Extension {
        long Ports;
        KInterrupt Interrupt;
        final Kdpc ReadDpc = new Kdpc();
        final KEvent DataReady = new KEvent();
        int Received;
        int Errors;
    }

    static final class Taken {
        Extension Ext;
        int Received;
        int Errors;
    }

    @Role(KServiceRoutine.class)
    boolean SerialIsr(KInterrupt Interrupt, Object Context) {
        Extension ext = (Extension) Context;
        int iir = READ_PORT_UCHAR(ext.Ports + 2) & 0x0f;
        if ((iir & 1) != 0) {
            return false;
        }
        while ((iir & 1) == 0) {
            if (iir == 0x06) {
                ext.Errors++;
            } else {
                READ_PORT_UCHAR(ext.Ports);
                ext.Received++;
                KeInsertQueueDpc(ext.ReadDpc, null, null);
            }
            iir = READ_PORT_UCHAR(ext.Ports + 2) & 0x0f;
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void ReadDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Extension ext = (Extension) DeferredContext;
        Taken taken = new Taken();
        taken.Ext = ext;
        KeSynchronizeExecution(ext.Interrupt, this::TakeCounts, taken);
        if (taken.Received > 0) {
            KeSetEvent(ext.DataReady, IO_NO_INCREMENT, false);
        }
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeCounts(Object Context) {
        Taken taken = (Taken) Context;
        taken.Received = taken.Ext.Received;
        taken.Errors = taken.Ext.Errors;
        taken.Ext.Received = 0;
        taken.Ext.Errors = 0;
        return true;
    }
}
