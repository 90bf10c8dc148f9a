package corpus.ramdisk;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Common part of the bus device and the drive devices. */
class RamdiskExtension {
    static final int RamdiskBus = 0;
    static final int RamdiskDrive = 1;
    int Type;
    int State;
    DeviceObject DeviceObject;
    DeviceObject PhysicalDeviceObject;
    DeviceObject AttachedDevice;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    /** Bus only: the drives it created, guarded by DiskListLock. */
    final KSpinLock DiskListLock = new KSpinLock();
    final List<DriveExtension> DiskList = new ArrayList<>();
}

/** One RAM disk. */
final class DriveExtension extends RamdiskExtension {
    int DiskType;
    boolean Readonly;
    boolean Fixed;
    /** The image: nonpaged, so the worker DPC may touch it. */
    byte[] Image;
    long DiskLength;
    int BytesPerSector;
    int SectorsPerTrack;
    int NumberOfHeads;
    int Cylinders;
    int HiddenSectors;

    /** Requests handed to the worker (the sample's work-item thread), and the DPC that serves them. */
    final KSpinLock WorkLock = new KSpinLock();
    final ArrayDeque<Irp> WorkQueue = new ArrayDeque<>();
    final Kdpc WorkerDpc = new Kdpc();
}
