package corpus.aha1542tape;

import dev.dpccheck.wdm.*;

/** Device extension of the SCSI tape driver on an AHA-1542 host adapter. */
final class TapeExtension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long Base;
    int TargetId;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    int MapRegisterCount;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    long MailboxLogical;
    long CcbLogical;

    // per operation (StartIo, AdapterControl, DPC)
    Object MapRegisterBase;
    boolean ChannelHeld;
    Mdl TransferMdl;
    long TransferVa;
    int TotalLength;
    int BytesDone;
    int PieceLength;
    boolean WriteToTape;
    int Operation;
    int RetryCount;

    // mailboxes and the CCB the adapter reads and writes; the ISR scans mailbox-in
    final int[] MailboxOutStatus = new int[Aha1542Tape.MAILBOXES];
    final int[] MailboxInStatus = new int[Aha1542Tape.MAILBOXES];
    final Aha1542Tape.Ccb[] Ccbs = new Aha1542Tape.Ccb[Aha1542Tape.MAILBOXES];
    int LastMailboxOut;
    int LastMailboxIn;

    // latched by the ISR, taken under the interrupt lock
    boolean CommandPending;
    int CompletedMailboxStatus;
    int HostStatus;
    int TargetStatus;
    int SenseKey;
    boolean BusReset;
    int TimeoutTicks;
}
