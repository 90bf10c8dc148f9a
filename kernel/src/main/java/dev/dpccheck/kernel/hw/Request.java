package dev.dpccheck.kernel.hw;

import dev.dpccheck.wdm.Wdm;

/**
 * One request a simulated user thread issues: a read, a write or a buffered IOCTL.
 *
 * @param majorFunction IRP_MJ_READ, IRP_MJ_WRITE or IRP_MJ_DEVICE_CONTROL
 * @param offset the byte offset on the device (reads and writes of block devices)
 * @param length the number of bytes to transfer, or the output buffer length of an IOCTL
 * @param data the bytes to write, or null
 * @param ioControlCode the IOCTL code, or 0
 */
public record Request(int majorFunction, long offset, int length, byte[] data, int ioControlCode) {
    /** A short description for reports. */
    public String describe() {
        switch (majorFunction) {
            case Wdm.IRP_MJ_READ:
                return "read of " + length + " bytes at " + offset;
            case Wdm.IRP_MJ_WRITE:
                return "write of " + length + " bytes at " + offset;
            default:
                return "IOCTL 0x" + Integer.toHexString(ioControlCode);
        }
    }
}
