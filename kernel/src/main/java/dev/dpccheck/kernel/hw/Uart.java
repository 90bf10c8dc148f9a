package dev.dpccheck.kernel.hw;

import dev.dpccheck.wdm.Wdm;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A 16550-like serial port with programmed I/O, hardware ID {@code SIM\UART16550}: eight byte-wide
 * ports, 16-byte receive and transmit FIFOs, line status, interrupt identification by priority,
 * and a level-sensitive interrupt gated by OUT2. On the other end of the line sits an echo peer
 * that sends back every character it receives; it respects RTS, and with auto flow control (MCR
 * bit 5, as on the 16750) it also holds while the receive FIFO is full, so a driver that keeps up
 * loses nothing.
 *
 * <p>Ports (offsets from the base): 0 RBR/THR (DLL when LCR.DLAB), 1 IER (DLM when DLAB), 2
 * IIR/FCR, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR. IIR identifies, highest priority first: receiver
 * line status (0x06, cleared by reading LSR), received data at the trigger level (0x04, cleared
 * below it), character timeout (0x0C, four character times without activity, cleared by reading
 * RBR), transmitter holding register empty (0x02, cleared by reading IIR or writing THR); 0x01
 * means no interrupt.
 *
 * <p>Seeded faults, each at the configured rate per event: line noise (a garbage character with a
 * framing error arrives before the peer's next one; a driver may discard characters whose LSR
 * reports an error or pass them on, as serial.sys does unless told otherwise, and the workload
 * accepts either), a lost interrupt (a lost transmitter-empty indication is gone, so only
 * polling LSR finds that the FIFO ran empty; another newly pending cause does not raise the line
 * until the driver next reads IIR), a pause of the peer (exercises the character timeout), and spurious
 * interrupts (the line pulses with no cause).
 */
public final class Uart extends SimDevice {
    /** The hardware ID. */
    public static final String HARDWARE_ID = "SIM\\UART16550";
    public static final int PORT_DATA = 0;
    public static final int PORT_IER = 1;
    public static final int PORT_IIR_FCR = 2;
    public static final int PORT_LCR = 3;
    public static final int PORT_MCR = 4;
    public static final int PORT_LSR = 5;
    public static final int PORT_MSR = 6;
    public static final int PORT_SCR = 7;

    public static final int IER_RX_DATA = 0x01;
    public static final int IER_THR_EMPTY = 0x02;
    public static final int IER_LINE_STATUS = 0x04;
    public static final int IIR_NONE = 0x01;
    public static final int IIR_LINE_STATUS = 0x06;
    public static final int IIR_RX_DATA = 0x04;
    public static final int IIR_TIMEOUT = 0x0C;
    public static final int IIR_THR_EMPTY = 0x02;
    public static final int LCR_DLAB = 0x80;
    public static final int MCR_DTR = 0x01;
    public static final int MCR_RTS = 0x02;
    public static final int MCR_OUT2 = 0x08;
    public static final int MCR_AUTO_FLOW = 0x20;
    public static final int LSR_DATA_READY = 0x01;
    public static final int LSR_OVERRUN = 0x02;
    public static final int LSR_PARITY = 0x04;
    public static final int LSR_FRAMING = 0x08;
    public static final int LSR_BREAK = 0x10;
    public static final int LSR_THR_EMPTY = 0x20;
    public static final int LSR_TX_EMPTY = 0x40;
    public static final int LSR_FIFO_ERROR = 0x80;
    public static final int FIFO_SIZE = 16;
    /** The base clock divided by 16: the baud rate at divisor 1. */
    public static final int BASE_BAUD = 115200;

    /** IOCTL_SERIAL_GET_BAUD_RATE: a SERIAL_BAUD_RATE (one ULONG) in the system buffer. */
    public static final int IOCTL_SERIAL_GET_BAUD_RATE = Wdm.CTL_CODE(Wdm.FILE_DEVICE_SERIAL_PORT, 20,
            Wdm.METHOD_BUFFERED, Wdm.FILE_ANY_ACCESS);

    private double faultRate;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int divisor = 12;
    private boolean fifoEnabled;
    private int trigger = 1;
    /** Received characters: value and error bits. */
    private final ArrayDeque<int[]> rx = new ArrayDeque<>();
    private final ArrayDeque<Integer> tx = new ArrayDeque<>();
    private long shiftDoneAt = Long.MAX_VALUE;
    /** The earliest a hurried character may be done: {@link #MAX_SPEEDUP} times its baud rate. */
    private long earliestShiftDone;
    /** How much faster than its baud rate the transmitter may be made to run. */
    private static final int MAX_SPEEDUP = 4;
    private int shifting = -1;
    private boolean thrEmptyPending;
    private boolean lineStatusPending;
    private boolean overrun;
    private long lastRxActivity;
    private boolean timeoutDue;
    private boolean suppressed;
    private int lastCause = IIR_NONE;
    private boolean spuriousPulse;
    private long nextSpuriousAt = Long.MAX_VALUE;
    /** The peer: characters it received and has not echoed yet. */
    private final ArrayDeque<Integer> peer = new ArrayDeque<>();
    private long peerSendAt = Long.MAX_VALUE;
    /** Every character the UART accepted into its transmit FIFO, in order. */
    private final ByteArrayOutputStream transmitted = new ByteArrayOutputStream();
    /** Every character that entered the receive FIFO, in order: value and error bits (noise has them). */
    private final List<int[]> received = new ArrayList<>();

    public Uart(int instance) {
        super(HARDWARE_ID, instance);
    }

    @Override
    public String name() {
        return "uart" + instance;
    }

    @Override
    public Resources resources() {
        return new Resources(0x3F8 - 0x100L * instance, 8, true, 0x24 + instance, 5, false, false, 0);
    }

    private long charMicros() {
        // ten bits per character (start, eight data, stop)
        return Math.max(1, 10L * 1_000_000 / ((long) BASE_BAUD / Math.max(1, divisor)));
    }

    /** The baud rate the driver programmed. */
    public int baudRate() {
        return BASE_BAUD / Math.max(1, divisor);
    }

    // ---------------------------------------------------------------- ports

    @Override
    public int read(int offset, int width) {
        switch (offset) {
            case PORT_DATA:
                return (lcr & LCR_DLAB) != 0 ? divisor & 0xFF : readReceiver();
            case PORT_IER:
                return (lcr & LCR_DLAB) != 0 ? (divisor >>> 8) & 0xFF : ier;
            case PORT_IIR_FCR: {
                int cause = cause();
                if (cause == IIR_THR_EMPTY) {
                    thrEmptyPending = false;
                }
                suppressed = false;
                return cause | (fifoEnabled ? 0xC0 : 0);
            }
            case PORT_LCR:
                return lcr;
            case PORT_MCR:
                return mcr;
            case PORT_LSR:
                return readLineStatus();
            case PORT_MSR:
                return 0xB0;
            case PORT_SCR:
                return scr;
            default:
                return 0xFF;
        }
    }

    private int readReceiver() {
        int[] c = rx.poll();
        lastRxActivity = bus.now();
        timeoutDue = false;
        wakePeer();
        return c == null ? 0 : c[0];
    }

    private int readLineStatus() {
        int lsr = 0;
        if (!rx.isEmpty()) {
            lsr |= LSR_DATA_READY | rx.peek()[1];
            for (int[] c : rx) {
                if (c[1] != 0) {
                    lsr |= LSR_FIFO_ERROR;
                }
            }
        }
        if (overrun) {
            lsr |= LSR_OVERRUN;
        }
        if (tx.isEmpty()) {
            lsr |= LSR_THR_EMPTY;
            if (shifting < 0) {
                lsr |= LSR_TX_EMPTY;
            }
        }
        overrun = false;
        lineStatusPending = false;
        return lsr;
    }

    @Override
    public void write(int offset, int width, int value) {
        value &= 0xFF;
        switch (offset) {
            case PORT_DATA:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF00) | value;
                } else {
                    transmit(value);
                }
                break;
            case PORT_IER:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF) | (value << 8);
                } else {
                    boolean enablingThre = (value & IER_THR_EMPTY) != 0 && (ier & IER_THR_EMPTY) == 0;
                    ier = value & 0x0F;
                    if (enablingThre && tx.isEmpty()) {
                        thrEmptyPending = true;
                    }
                    if (ier != 0 && faultRate > 0 && nextSpuriousAt == Long.MAX_VALUE) {
                        scheduleSpurious();
                    }
                }
                break;
            case PORT_IIR_FCR:
                fifoEnabled = (value & 1) != 0;
                if ((value & 2) != 0) {
                    rx.clear();
                    timeoutDue = false;
                    wakePeer();
                }
                if ((value & 4) != 0) {
                    tx.clear();
                }
                trigger = new int[] {1, 4, 8, 14}[value >>> 6];
                break;
            case PORT_LCR:
                lcr = value;
                break;
            case PORT_MCR:
                mcr = value;
                wakePeer();
                break;
            case PORT_SCR:
                scr = value;
                break;
            default:
                break;
        }
        noteCause();
    }

    private void transmit(int value) {
        thrEmptyPending = false;
        int capacity = fifoEnabled ? FIFO_SIZE : 1;
        if (tx.size() >= capacity) {
            bus.verifier(dev.dpccheck.kernel.verifier.DataCorruption.class).transmitOverrun(name());
            return;
        }
        tx.add(value);
        transmitted.write(value);
        if (shifting < 0) {
            startShift();
        }
    }

    private void startShift() {
        Integer next = tx.poll();
        if (next == null) {
            shifting = -1;
            shiftDoneAt = Long.MAX_VALUE;
            return;
        }
        shifting = next;
        shiftDoneAt = bus.now() + charMicros();
        earliestShiftDone = bus.now() + Math.max(1, charMicros() / MAX_SPEEDUP);
        if (tx.isEmpty()) {
            thrEmptyPending = true;
        }
    }

    // ---------------------------------------------------------------- interrupt

    /** The highest-priority pending cause, as IIR reports it. */
    private int cause() {
        if ((ier & IER_LINE_STATUS) != 0 && lineStatusPending) {
            return IIR_LINE_STATUS;
        }
        if ((ier & IER_RX_DATA) != 0 && rx.size() >= (fifoEnabled ? trigger : 1)) {
            return IIR_RX_DATA;
        }
        if ((ier & IER_RX_DATA) != 0 && timeoutDue && !rx.isEmpty()) {
            return IIR_TIMEOUT;
        }
        if ((ier & IER_THR_EMPTY) != 0 && thrEmptyPending) {
            return IIR_THR_EMPTY;
        }
        return IIR_NONE;
    }

    /**
     * A cause that becomes pending may be lost (fault). A lost transmitter-empty indication is gone
     * for good, as on real 16550s: only LSR still says the FIFO is empty. Another lost cause keeps
     * the line low until the driver next reads IIR.
     */
    private void noteCause() {
        int cause = cause();
        if (cause != IIR_NONE && lastCause == IIR_NONE && bus != null && bus.chance(faultRate)) {
            if (cause == IIR_THR_EMPTY) {
                thrEmptyPending = false;
                cause = cause();
            } else {
                suppressed = true;
            }
        }
        lastCause = cause;
    }

    @Override
    public boolean interruptAsserted() {
        if ((mcr & MCR_OUT2) == 0) {
            return false;
        }
        return spuriousPulse || (!suppressed && cause() != IIR_NONE);
    }

    @Override
    public void interruptDelivered() {
        spuriousPulse = false;
    }

    private void scheduleSpurious() {
        nextSpuriousAt = bus.now() + 200_000 + bus.random(2_000_000);
    }

    // ---------------------------------------------------------------- the line and the peer

    private boolean peerMaySend() {
        return (mcr & MCR_RTS) != 0 && ((mcr & MCR_AUTO_FLOW) == 0 || rx.size() < FIFO_SIZE);
    }

    private void wakePeer() {
        if (peerSendAt == Long.MAX_VALUE && !peer.isEmpty() && peerMaySend()) {
            peerSendAt = bus.now() + charMicros();
        }
    }

    private long timeoutAt() {
        return rx.isEmpty() || timeoutDue ? Long.MAX_VALUE : lastRxActivity + 4 * charMicros();
    }

    @Override
    public long nextEventTime() {
        return Math.min(Math.min(shiftDoneAt, peerSendAt), Math.min(timeoutAt(), nextSpuriousAt));
    }

    /**
     * The character being shifted out may be done sooner than its time (the transmitter's timing is
     * not the driver's), but not sooner than a quarter of it: a line that sent as fast as the
     * driver can feed it, while the peer's characters come back at the baud rate, would keep a
     * driver that fills the FIFO while it has room in its DPC for as long as it has bytes, and its
     * receive DPC would wait behind it until the receive FIFO overran. No 16550 does that.
     */
    @Override
    public boolean mayHurry() {
        return shiftDoneAt != Long.MAX_VALUE && bus.now() >= earliestShiftDone;
    }

    @Override
    public void hurry(long now) {
        shiftDoneAt = Math.min(shiftDoneAt, Math.max(now, earliestShiftDone));
    }

    @Override
    public void step(long now) {
        if (now >= nextSpuriousAt) {
            spuriousPulse = true;
            scheduleSpurious();
        }
        if (now >= shiftDoneAt) {
            peer.add(shifting);
            startShift();
            wakePeer();
        }
        if (now >= peerSendAt) {
            peerSendAt = Long.MAX_VALUE;
            if (peerMaySend()) {
                receiveFromPeer(now);
            }
            wakePeer();
        }
        if (now >= timeoutAt()) {
            timeoutDue = true;
        }
        noteCause();
    }

    private void receiveFromPeer(long now) {
        int[] c;
        if (bus.chance(faultRate)) {
            int fault = bus.random(2);
            if (fault == 0) {
                // line noise: a garbage character with a framing error, the peer's character follows; it differs
                // from that character, so that the oracle can tell whether a read passed it on or skipped it
                int garbage = bus.random(256);
                if (!peer.isEmpty() && garbage == peer.peek()) {
                    garbage ^= 0x55;
                }
                c = new int[] {garbage, LSR_FRAMING};
                lineStatusPending = true;
            } else {
                // the peer pauses for a while before it sends the character
                peerSendAt = now + charMicros() * (5 + bus.random(40));
                return;
            }
        } else {
            c = new int[] {peer.poll(), 0};
        }
        if (rx.size() >= (fifoEnabled ? FIFO_SIZE : 1)) {
            overrun = true;
            lineStatusPending = true;
            return;
        }
        rx.add(c);
        received.add(c);
        lastRxActivity = now;
        timeoutDue = false;
    }

    // ---------------------------------------------------------------- workload

    @Override
    public Workload workload(WorkloadSettings settings) {
        this.faultRate = settings.faultRate();
        // faults start with the workload; a driver that enabled interrupts at start gets spurious ones from now
        if (ier != 0 && faultRate > 0 && nextSpuriousAt == Long.MAX_VALUE) {
            scheduleSpurious();
        }
        return new SerialWorkload(settings);
    }

    /**
     * One writer thread, one reader thread, and IOCTL threads. The reader reads back, in pieces of
     * other sizes, exactly the bytes the writer wrote (the peer echoes them); each write must
     * reach the transmit FIFO whole and in order, each read must return the next bytes of the echo.
     * With one thread, it writes and reads back in turn.
     */
    private final class SerialWorkload implements Workload {
        private final List<List<Request>> threads = new ArrayList<>();
        private final int writer;
        private final int reader;
        private long written;
        private long read;
        private long verified;

        SerialWorkload(WorkloadSettings settings) {
            int n = Math.max(1, settings.threads());
            writer = 0;
            reader = n == 1 ? 0 : 1;
            for (int t = 0; t < n; t++) {
                threads.add(new ArrayList<>());
            }
            List<Integer> writes = new ArrayList<>();
            int total = 0;
            for (int r = 0; r < settings.requestsPerThread(); r++) {
                int length = bus.workloadRandom(4) == 0 ? 64 + bus.workloadRandom(448) : 1 + bus.workloadRandom(48);
                writes.add(length);
                total += length;
            }
            List<Integer> reads = new ArrayList<>();
            if (n == 1) {
                reads.addAll(writes);
            } else {
                int left = total;
                for (int r = 0; r < settings.requestsPerThread() - 1 && left > 1; r++) {
                    int length = 1 + bus.workloadRandom(Math.min(left - 1, 2 * total / settings.requestsPerThread() + 1));
                    reads.add(length);
                    left -= length;
                }
                reads.add(left);
            }
            for (int i = 0; i < Math.max(writes.size(), reads.size()); i++) {
                if (i < writes.size()) {
                    byte[] data = new byte[writes.get(i)];
                    for (int b = 0; b < data.length; b++) {
                        data[b] = (byte) bus.workloadRandom(256);
                    }
                    threads.get(writer).add(new Request(Wdm.IRP_MJ_WRITE, 0, data.length, data, 0));
                }
                if (i < reads.size()) {
                    threads.get(reader).add(new Request(Wdm.IRP_MJ_READ, 0, reads.get(i), null, 0));
                }
            }
            for (int t = 2; t < n; t++) {
                for (int r = 0; r < settings.requestsPerThread(); r++) {
                    threads.get(t).add(new Request(Wdm.IRP_MJ_DEVICE_CONTROL, 0, 4, null, IOCTL_SERIAL_GET_BAUD_RATE));
                }
            }
        }

        @Override
        public List<List<Request>> threads() {
            return threads;
        }

        /**
         * Reads and writes may be cancelled. What a cancelled request moved is checked, and its
         * rest is asked for next, as an application does with what ReadFile or WriteFile left: a
         * read's bytes must be the line's next ones, a write's must reach the line, and the line
         * still carries every byte the reader expects.
         */
        @Override
        public boolean cancellable(Request request) {
            return request.majorFunction() != Wdm.IRP_MJ_DEVICE_CONTROL;
        }

        /** A serial port serves reads in the order they were sent, and writes likewise. */
        @Override
        public boolean mayOverlap(Request inFlight, Request next) {
            return true;
        }

        @Override
        public Request remainder(Request request, int status, long information) {
            if (status != Wdm.STATUS_CANCELLED || request.majorFunction() == Wdm.IRP_MJ_DEVICE_CONTROL
                    || information < 0 || information >= request.length()) {
                return null;
            }
            int moved = (int) information;
            return new Request(request.majorFunction(), 0, request.length() - moved,
                    request.data() == null ? null : Arrays.copyOfRange(request.data(), moved, request.length()), 0);
        }

        @Override
        public String verify(int thread, Request request, int status, long information, byte[] data) {
            if (status == Wdm.STATUS_CANCELLED && request.majorFunction() != Wdm.IRP_MJ_DEVICE_CONTROL) {
                // what it moved before it was cancelled is checked as a whole request of that size: a read's
                // bytes must be the line's next ones (its rest comes in the next read), a write's must reach the line
                if (information < 0 || information > request.length()) {
                    return "the cancelled " + describe(request) + " reports " + information + " bytes";
                }
                int moved = (int) information;
                if (moved == 0) {
                    return null;
                }
                request = new Request(request.majorFunction(), request.offset(), moved,
                        request.data() == null ? null : Arrays.copyOf(request.data(), moved), request.ioControlCode());
                status = Wdm.STATUS_SUCCESS;
            }
            switch (request.majorFunction()) {
                case Wdm.IRP_MJ_DEVICE_CONTROL: {
                    if (status == Wdm.STATUS_INVALID_DEVICE_REQUEST || status == Wdm.STATUS_NOT_SUPPORTED) {
                        // a driver without the IOCTL refuses it, as it should: nothing to check
                        return null;
                    }
                    if (!Wdm.NT_SUCCESS(status)) {
                        return "IOCTL_SERIAL_GET_BAUD_RATE failed with 0x" + Integer.toHexString(status);
                    }
                    int baud = (data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 24;
                    verified += 4;
                    return information == 4 && baud == baudRate() ? null
                            : "IOCTL_SERIAL_GET_BAUD_RATE returned " + baud + " in " + information
                                    + " bytes where the UART runs at " + baudRate();
                }
                case Wdm.IRP_MJ_WRITE: {
                    String wrong = check(status, information, request, request.data(), written);
                    if (wrong != null && wrong.equals(BUFFERED)) {
                        // a driver that buffers its writes completes them before the bytes leave: they must leave later
                        buffered.add(new Buffered(written, request));
                        wrong = null;
                    }
                    written += request.length();
                    return wrong;
                }
                default: {
                    String wrong = checkRead(status, information, request, data);
                    read += request.length();
                    return wrong;
                }
            }
        }

        /**
         * The read got {@code data}, which must be the next characters that entered the receive
         * FIFO, where a character that came with an error (line noise) may be there or not.
         */
        private String checkRead(int status, long information, Request request, byte[] data) {
            String unfinished = unfinished(status, information, request);
            if (unfinished != null) {
                return unfinished;
            }
            int at = readCursor;
            for (int i = 0; i < request.length(); i++) {
                int b = data[i] & 0xFF;
                while (at < received.size() && received.get(at)[1] != 0 && received.get(at)[0] != b) {
                    at++; // noise the driver discarded
                }
                if (at >= received.size()) {
                    return "the " + describe(request) + " completed before its bytes were sent by the peer";
                }
                if (received.get(at)[0] != b) {
                    return String.format("byte %d of the %s is 0x%02X where the line carried 0x%02X", i,
                            describe(request), b, received.get(at)[0]);
                }
                at++;
            }
            readCursor = at;
            verified += request.length();
            return null;
        }

        /** Where the reader is in {@link Uart#received}. */
        private int readCursor;

        /** What {@link #check} says of a write whose bytes have not left yet. */
        private static final String BUFFERED = "buffered";
        /** A write completed before its bytes left: its position on the line, and the request. */
        private record Buffered(long position, Request request) {
        }

        private final List<Buffered> buffered = new ArrayList<>();

        /**
         * The write moved {@code data}, which must be the line's bytes at {@code position}; for a
         * write whose bytes have not all reached the UART yet, {@link #BUFFERED}.
         */
        private String check(int status, long information, Request request, byte[] data, long position) {
            String unfinished = unfinished(status, information, request);
            if (unfinished != null) {
                return unfinished;
            }
            byte[] line = transmitted.toByteArray();
            int at = (int) position;
            if (line.length < at + request.length()) {
                return BUFFERED;
            }
            int i = Arrays.mismatch(Arrays.copyOfRange(data, 0, request.length()),
                    Arrays.copyOfRange(line, at, at + request.length()));
            if (i >= 0) {
                return String.format("byte %d of the %s is 0x%02X where the line carried 0x%02X", i,
                        describe(request), data[i] & 0xFF, line[at + i] & 0xFF);
            }
            verified += request.length();
            return null;
        }

        /** Null when the request completed successfully with all its bytes; otherwise what it did. */
        private String unfinished(int status, long information, Request request) {
            return Wdm.NT_SUCCESS(status) && information == request.length() ? null
                    : "the " + describe(request) + " completed with 0x" + Integer.toHexString(status) + " after "
                            + information + " bytes";
        }

        private String describe(Request r) {
            return (r.majorFunction() == Wdm.IRP_MJ_WRITE ? "write of " : "read of ") + r.length() + " bytes";
        }

        @Override
        public long bytesVerified() {
            return verified;
        }

        @Override
        public Mismatch finish() {
            for (Buffered b : buffered) {
                Request r = b.request();
                String wrong = check(Wdm.STATUS_SUCCESS, r.length(), r, r.data(), b.position());
                if (wrong != null) {
                    return new Mismatch(wrong.equals(BUFFERED) ? "the " + describe(r)
                            + " completed, but its bytes never reached the UART" : wrong, r);
                }
            }
            return read == written || read == 0 ? null
                    : new Mismatch("the reader got " + read + " bytes of the " + written + " the writer sent", null);
        }
    }
}
