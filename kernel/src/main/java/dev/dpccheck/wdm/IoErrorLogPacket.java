package dev.dpccheck.wdm;

/**
 * IO_ERROR_LOG_PACKET: an entry for the system event log, from {@link Wdm#IoAllocateErrorLogEntry}.
 * After {@link Wdm#IoWriteErrorLogEntry} the entry belongs to the system again.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_io_error_log_packet
 */
public final class IoErrorLogPacket {
    /** The IRP_MJ_ code of the failed request. */
    public int MajorFunctionCode;
    /** How many times the request was retried. */
    public int RetryCount;
    /** The size of DumpData in ULONGs. */
    public int DumpDataSize;
    /** An NTSTATUS-like error code (IO_ERR_...). */
    public int ErrorCode;
    /** A driver-defined value locating the error in the driver. */
    public int UniqueErrorValue;
    /** The status the request completes with. */
    public int FinalStatus;
    /** A driver-defined sequence number of the request. */
    public int SequenceNumber;
    /** The device offset of the error, if any. */
    public long DeviceOffset;
    /** Driver-defined dump data. */
    public int[] DumpData = new int[0];
}
