package corpus.uhcierrlog;

import dev.dpccheck.wdm.*;
import java.util.ArrayList;
import java.util.List;

/** One bulk transfer in the schedule: its IRP, its mapping and the transfer descriptors built for it. */
final class UhciTransfer {
    UhciExtension Owner;
    Irp Irp;
    boolean DirectionIn;
    int DeviceAddress;
    int Endpoint;
    int Length;
    ScatterGatherList SgList;
    final List<UhciTd> Tds = new ArrayList<>();
    boolean Linked;
    boolean CancelRequested;
}
