package dev.dpccheck.wdm;

/** FILE_OBJECT: an open instance of a device, as far as drivers of this simulation see it. */
public final class FileObject {
    /** The device object the file was opened on. */
    public DeviceObject DeviceObject;
    /** The name the file was opened with. */
    public UnicodeString FileName;
    /** Driver-owned context. */
    public Object FsContext;
}
