package corpus.atadiskcountatdpclevel;

import dev.dpccheck.wdm.*;

/** Device extension of the ATA disk driver: one disk on a bus-master IDE channel. */
final class AtaExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long CommandBlock;
    long ControlBlock;
    long BusMaster;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    long PrdTableLogical;
    boolean UseDma;
    long TotalSectors;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    final KSpinLock StatsLock = new KSpinLock();
    long Reads;
    long Writes;
    long Errors;

    // per operation (StartIo, AdapterControl, DPC)
    Object MapRegisterBase;
    Mdl TransferMdl;
    long TransferVa;
    long StartLba;
    int TotalLength;
    int BytesDone;
    int PieceLength;
    boolean Write;
    int RetryCount;

    // shared with the ISR: the PIO buffer window and the result
    byte[] PioBuffer;
    int PioOffset;
    int SectorsLeft;
    boolean PioActive;
    boolean DmaActive;
    boolean Done;
    int CapturedStatus;
    int CapturedError;
}
