package rules.errorlogentryunchecked.goodentrycheckedinhelper;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** A helper that returns early when the log has no room. */
final class GoodEntryCheckedInHelper {
    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        Log(DeviceObject, 3);
    }

    private void Log(DeviceObject DeviceObject, int retries) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(DeviceObject, 64);
        if (entry == null) {
            return;
        }
        entry.ErrorCode = IO_ERR_DRIVER_ERROR;
        entry.RetryCount = retries;
        IoWriteErrorLogEntry(entry);
    }
}
