package rules.startnextpackettooearly.badchannellengthreadafterstartnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A four-channel HDLC board: one device object, with its own StartIo queue, per channel, but one
 * interrupt and one board-wide CustomDpc. The ISR latches which channels finished a frame; the DPC
 * takes the latch in a SynchCritSection and, channel by channel, finishes that channel's current
 * frame. It starts the channel's next packet before it reads the length of the frame it finishes:
 * the next frame's StartIo may already have written that field.
 */
final class BadChannelLengthReadAfterStartNext {
    static final int CHANNELS = 4;
    static final int ST_ABORT = 0x04;

    static final class Board {
        KInterrupt Interrupt;
        final Kdpc Dpc = new Kdpc();
        final DeviceObject[] Channels = new DeviceObject[CHANNELS];
        int LatchedMask;
        final int[] LatchedStatus = new int[CHANNELS];
    }

    static final class ChannelExtension {
        Board Board;
        int Base;
        int FrameLength;
        long Frames;
    }

    static final class Latch {
        Board Board;
        int Mask;
        final int[] Status = new int[CHANNELS];
    }

    @Role(DriverStartIo.class)
    void ChannelStartIo(DeviceObject DeviceObject, Irp Irp) {
        ChannelExtension channel = (ChannelExtension) DeviceObject.DeviceExtension;
        channel.FrameLength = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        KeSynchronizeExecution(channel.Board.Interrupt, this::SendFrame, channel);
    }

    @Role(KSynchronizeRoutine.class)
    boolean SendFrame(Object Context) {
        ChannelExtension channel = (ChannelExtension) Context;
        WRITE_PORT_USHORT(channel.Base + 4, (short) channel.FrameLength);
        WRITE_PORT_UCHAR(channel.Base + 2, (byte) 1);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean BoardIsr(KInterrupt Interrupt, Object ServiceContext) {
        Board board = (Board) ServiceContext;
        int pending = READ_PORT_UCHAR(0x300) & 0x0f;
        if (pending == 0) {
            return false;
        }
        for (int i = 0; i < CHANNELS; i++) {
            if ((pending & (1 << i)) != 0) {
                ChannelExtension channel = (ChannelExtension) board.Channels[i].DeviceExtension;
                board.LatchedStatus[i] = READ_PORT_UCHAR(channel.Base + 3);
            }
        }
        board.LatchedMask |= pending;
        WRITE_PORT_UCHAR(0x301, (byte) pending);
        KeInsertQueueDpc(board.Dpc, null, null);
        return true;
    }

    @Role(KSynchronizeRoutine.class)
    boolean TakeLatch(Object Context) {
        Latch latch = (Latch) Context;
        Board board = latch.Board;
        latch.Mask = board.LatchedMask;
        board.LatchedMask = 0;
        for (int i = 0; i < CHANNELS; i++) {
            latch.Status[i] = board.LatchedStatus[i];
        }
        return true;
    }

    @Role(KDeferredRoutine.class)
    void BoardDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Board board = (Board) DeferredContext;
        Latch latch = new Latch();
        latch.Board = board;
        KeSynchronizeExecution(board.Interrupt, this::TakeLatch, latch);
        for (int i = 0; i < CHANNELS; i++) {
            if ((latch.Mask & (1 << i)) == 0) {
                continue;
            }
            DeviceObject device = board.Channels[i];
            FinishFrame(device, latch.Status[i]); // expect: StartNextPacketTooEarly
        }
    }

    /** Completes one channel's current frame and starts its next one. */
    private static void FinishFrame(DeviceObject device, int status) {
        ChannelExtension channel = (ChannelExtension) device.DeviceExtension;
        Irp irp = device.CurrentIrp;
        if (irp == null) {
            return;
        }
        channel.Frames++;
        IoStartNextPacket(device, false);
        irp.IoStatus.Status = (status & ST_ABORT) != 0 ? STATUS_DEVICE_DATA_ERROR : STATUS_SUCCESS;
        irp.IoStatus.Information = (status & ST_ABORT) != 0 ? 0 : channel.FrameLength;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
