package corpus.isasb16recursion;

import dev.dpccheck.wdm.*;

/** Device extension of the ISA Sound Blaster 16 wave driver. */
final class Sb16Extension {
    // device lifetime
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long PortBase;
    int DmaChannel;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    int DspVersion;
    int SampleRate = 22050;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // per operation: written by StartIo, the AdapterControl routine and the DPC
    Object MapRegisterBase;
    Mdl TransferMdl;
    long TransferVa;
    int TotalLength;
    int BytesDone;
    int ChunkLength;
    boolean Playback;
    int RetryCount;

    // shared with the ISR
    boolean DspBusy;
    boolean ChunkDone;
    boolean TimedOut;
    int IdleTicks;
}
