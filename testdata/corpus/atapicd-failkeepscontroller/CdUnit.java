package corpus.atapicdfailkeepscontroller;

import dev.dpccheck.wdm.*;

/** Device extension of one ATAPI CD-ROM unit (master or slave) on the channel. */
final class CdUnit {
    DeviceObject Self;
    IdeChannel Channel;
    int UnitNumber;
    boolean Present;

    // per operation: StartIo, ControllerControl, AdapterControl and the DPC
    Object MapRegisterBase;
    Mdl TransferMdl;
    long TransferVa;
    long StartBlock;
    int TotalLength;
    int BytesDone;
    int PieceLength;
    int RetryCount;
}
