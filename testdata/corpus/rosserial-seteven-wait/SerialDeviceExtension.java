package corpus.rosserialsetevenwait;

import dev.dpccheck.wdm.*;

/** Device extension of the 8250/16550 COM port driver. */
final class SerialDeviceExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    int ComPort;
    long BaseAddress;
    int Vector;
    int Irql;
    long Affinity;
    KInterrupt Interrupt;
    int BaudRate;
    int ReadIntervalTimeoutMs;
    int ReadTotalTimeoutMs;
    final IoRemoveLock RemoveLock = new IoRemoveLock();

    // byte rings between the DPCs and the dispatch routines
    final KSpinLock InputBufferLock = new KSpinLock();
    final CircularBuffer InputBuffer = new CircularBuffer(4096);
    final KEvent InputBufferNotEmpty = new KEvent();
    final KSpinLock OutputBufferLock = new KSpinLock();
    final CircularBuffer OutputBuffer = new CircularBuffer(4096);

    final Kdpc ReceivedByteDpc = new Kdpc();
    final Kdpc SendByteDpc = new Kdpc();

    // statistics, each counted under the lock of its ring
    int ReceivedCount;
    int TransmittedCount;
    int BufferOverrunErrorCount;

    // shared with the ISR
    int Ier;
    int LineErrors;
    int ModemStatus;
}

/** A byte ring; callers hold the lock that guards it. */
final class CircularBuffer {
    final byte[] Buffer;
    int ReadPosition;
    int WritePosition;

    CircularBuffer(int length) {
        Buffer = new byte[length];
    }

    boolean IsEmpty() {
        return ReadPosition == WritePosition;
    }

    int Count() {
        return (WritePosition - ReadPosition + Buffer.length) % Buffer.length;
    }

    int Push(byte b) {
        int next = (WritePosition + 1) % Buffer.length;
        if (next == ReadPosition) {
            return Wdm.STATUS_BUFFER_TOO_SMALL;
        }
        Buffer[WritePosition] = b;
        WritePosition = next;
        return Wdm.STATUS_SUCCESS;
    }

    int Pop(Out<Byte> b) {
        if (IsEmpty()) {
            return Wdm.STATUS_UNSUCCESSFUL;
        }
        b.value = Buffer[ReadPosition];
        ReadPosition = (ReadPosition + 1) % Buffer.length;
        return Wdm.STATUS_SUCCESS;
    }
}
