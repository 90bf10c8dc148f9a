package rules.errorlogentryunchecked.badentryusedwithoutnullcheck;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/** The entry is filled in without checking that the allocation succeeded, and touched after it was written. */
final class BadEntryUsedWithoutNullCheck {
    @Role(IoTimerRoutine.class)
    void IoTimer(DeviceObject DeviceObject, Object Context) {
        IoErrorLogPacket entry = IoAllocateErrorLogEntry(DeviceObject, 64);
        entry.ErrorCode = IO_ERR_DRIVER_ERROR; // expect: ErrorLogEntryUnchecked
        IoWriteErrorLogEntry(entry);
        entry.RetryCount = 0; // expect: ErrorLogEntryUnchecked
    }
}
