package dev.dpccheck.wdm;

/**
 * IO_STACK_LOCATION: the part of an IRP addressed to one driver in the device stack.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_io_stack_location
 */
public final class IoStackLocation {
    /** IRP_MJ_ code. */
    public int MajorFunction;
    /** IRP_MN_ code for PnP and power IRPs. */
    public int MinorFunction;
    /** SL_ flags. */
    public int Flags;
    /** SL_ control flags, e.g. SL_PENDING_RETURNED. */
    public int Control;
    /** The parameters of the request; which member applies depends on MajorFunction. */
    public final ParametersUnion Parameters = new ParametersUnion();
    /** The target device object of this stack location. */
    public DeviceObject DeviceObject;
    /** The file object of the request, or null. */
    public FileObject FileObject;
    /** The completion routine set by the driver above, or null. */
    public IoCompletionRoutine CompletionRoutine;
    /** The context of the completion routine. */
    public Object Context;

    /** Stack locations are built by the I/O manager. */
    public IoStackLocation() {
    }

    /** The Parameters union. */
    public static final class ParametersUnion {
        /** IRP_MJ_READ. */
        public final ReadWrite Read = new ReadWrite();
        /** IRP_MJ_WRITE. */
        public final ReadWrite Write = new ReadWrite();
        /** IRP_MJ_DEVICE_CONTROL and IRP_MJ_INTERNAL_DEVICE_CONTROL. */
        public final DeviceIoControl DeviceIoControl = new DeviceIoControl();
        /** IRP_MN_START_DEVICE. */
        public final StartDevice StartDevice = new StartDevice();
    }

    /** Parameters.Read and Parameters.Write. */
    public static final class ReadWrite {
        /** The number of bytes to transfer. */
        public int Length;
        /** A key for the device queue. */
        public int Key;
        /** The starting byte offset on the device. */
        public long ByteOffset;
    }

    /** Parameters.DeviceIoControl. */
    public static final class DeviceIoControl {
        /** The size of the output buffer. */
        public int OutputBufferLength;
        /** The size of the input buffer. */
        public int InputBufferLength;
        /** The IOCTL code. */
        public int IoControlCode;
    }

    /** Parameters.StartDevice. */
    public static final class StartDevice {
        /** Raw resources assigned to the device. */
        public CmResourceList AllocatedResources;
        /** Translated resources assigned to the device: what the driver maps and connects. */
        public CmResourceList AllocatedResourcesTranslated;
    }
}
