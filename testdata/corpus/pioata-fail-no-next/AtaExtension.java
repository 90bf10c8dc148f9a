package corpus.pioatafailnonext;

import dev.dpccheck.wdm.*;

/** Device extension of the PIO ATA disk driver (one drive on one channel). */
final class AtaExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long CommandBase;
    long ControlBase;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    int DriveSelect;
    long TotalSectors;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // the request StartIo started; used by StartIo, the DPC and the timer
    byte[] SystemBuffer;
    boolean ReadOperation;
    long StartingSector;
    int SectorsRequested;
    int SectorsDone;
    int ChunkSectors;
    int Retries;

    // shared with the ISR
    byte[] DataBuffer;
    int DataOffset;
    int BytesToTransfer;
    boolean CommandActive;
    boolean DataIn;
    int LastStatus;
    int LastError;
    boolean TimedOut;
    int TimerCount;

    /** Task-file contents that StartIo and the DPC hand to a SynchCritSection. */
    static final class Command {
        AtaExtension Extension;
        long Lba;
        int Sectors;
        boolean Read;
        byte[] Buffer;
        int Offset;
    }

    /** What the DPC takes out of the ISR's hands. */
    static final class Outcome {
        AtaExtension Extension;
        int Status;
        int Error;
        int BytesLeft;
        boolean TimedOut;
    }
}
