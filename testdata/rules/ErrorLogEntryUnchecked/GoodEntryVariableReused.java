package rules.rules.errorlogentryunchecked.goodentryvariablereused;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** One variable holds two entries in turn; each is checked, filled and written once. */
final class GoodEntryVariableReused {
    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(DeviceObject, 64);
        if (entry != null) {
            entry.ErrorCode = IO_ERR_DRIVER_ERROR;
            IoWriteErrorLogEntry(entry);
        }
        entry = IoAllocateErrorLogEntry(DeviceObject, 64);
        if (entry != null) {
            entry.RetryCount = 1;
            IoWriteErrorLogEntry(entry);
        }
    }
}
