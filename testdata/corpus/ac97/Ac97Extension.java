package corpus.ac97;

import dev.dpccheck.wdm.*;

/** Device extension of the AC'97 wave driver. */
final class Ac97Extension {
    DeviceObject Self;
    DeviceObject Pdo;
    DeviceObject LowerDevice;
    long MixerBase;
    long BusMasterBase;
    KInterrupt Interrupt;
    DmaAdapter Adapter;
    final IoRemoveLock RemoveLock = new IoRemoveLock();
    final Ac97Stream PcmOut = new Ac97Stream();
    final Ac97Stream PcmIn = new Ac97Stream();
    boolean Started;
}
