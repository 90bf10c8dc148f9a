package corpus.plx9x5xunsync;

import dev.dpccheck.wdm.*;
import java.util.LinkedList;

/** Per-device state of the PCI9656 driver; lives in nonpaged pool as the device extension. */
final class PlxExtension {
    // set once in AddDevice and START_DEVICE, cleared on STOP/REMOVE
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long Regs;
    int RegsLength;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    long ReadDescriptorsLA;
    long WriteDescriptorsLA;
    boolean Started;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // the two sequential queues (one read and one write in flight at a time)
    final KSpinLock QueueLock = new KSpinLock();
    final LinkedList<Irp> ReadQueue = new LinkedList<>();
    final LinkedList<Irp> WriteQueue = new LinkedList<>();
    Irp CurrentRead;
    Irp CurrentWrite;
    ScatterGatherList ReadSgList;
    ScatterGatherList WriteSgList;
    int ReadLength;
    int WriteLength;

    // descriptor tables the chaining DMA engine walks (four words per element)
    final int[] ReadDescriptors = new int[4 * PlxDriver.MAX_SG_ELEMENTS];
    final int[] WriteDescriptors = new int[4 * PlxDriver.MAX_SG_ELEMENTS];

    // written by the ISR at DIRQL; read and cleared elsewhere only under the interrupt lock
    boolean Chan0Active;
    boolean Chan1Active;
    int Dma0Csr;
    int Dma1Csr;
}
