package dev.dpccheck.wdm;

/** IO_STATUS_BLOCK: the final status of an I/O request and a request-dependent value. */
public final class IoStatusBlock {
    /** The NTSTATUS of the request. */
    public int Status;
    /** Request-dependent; for reads and writes, the number of bytes transferred. */
    public long Information;
}
