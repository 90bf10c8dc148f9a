package corpus.plxdmasgatpassive;

import dev.dpccheck.wdm.*;
import java.util.ArrayDeque;

/** Device extension of the PLX 9656 evaluation board. */
final class PlxExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    DeviceObject Pdo;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    long Regs;
    int RegsLength;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisters;

    /** Writes use DMA channel 0, reads channel 1; each direction runs one request at a time. */
    final KSpinLock WriteLock = new KSpinLock();
    final ArrayDeque<Irp> WriteQueue = new ArrayDeque<>();
    Irp CurrentWrite;
    ScatterGatherList WriteSgList;

    final KSpinLock ReadLock = new KSpinLock();
    final ArrayDeque<Irp> ReadQueue = new ArrayDeque<>();
    Irp CurrentRead;
    ScatterGatherList ReadSgList;
    int ReadRequested;

    // shared with the ISR: its capture of the interrupt and DMA channel status
    boolean DmaChan0IntActive;
    boolean DmaChan1IntActive;
    int Dma0Csr;
    int Dma1Csr;
    int Dma1Residual;
}
