package dev.dpccheck.kernel.hw;

import dev.dpccheck.wdm.Wdm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block device with memory-mapped registers and a bus-master DMA engine, hardware ID
 * {@code SIM\DMADISK}. One operation at a time moves up to {@link #MAX_SECTORS} sectors between
 * the media and one contiguous logical address range (mapped by map registers), then sets DONE in
 * STATUS and raises its level-sensitive interrupt until the driver acknowledges it.
 *
 * <p>Registers (32-bit, offsets in the window): COMMAND (write 1 read, 2 write, 3 reset), LBA,
 * SECTOR_COUNT, DMA_ADDRESS_LOW, DMA_ADDRESS_HIGH, STATUS (BUSY, DONE, ERROR), INTERRUPT_ENABLE,
 * INTERRUPT_STATUS (write 1 to acknowledge), TRANSFERRED (sectors moved by the last operation),
 * MAX_SECTORS, CAPACITY.
 *
 * <p>Seeded faults, each at the configured rate per operation: a transfer error (nothing moves,
 * ERROR set), a short transfer (fewer sectors than asked), a lost interrupt (DONE without an
 * interrupt), and spurious interrupts (the line pulses with nothing done).
 */
public final class DmaDisk extends SimDevice {
    /** The hardware ID. */
    public static final String HARDWARE_ID = "SIM\\DMADISK";
    public static final int SECTOR_SIZE = 512;
    public static final int MAX_SECTORS = 16;
    public static final int CAPACITY_SECTORS = 4096;

    public static final int REG_COMMAND = 0x00;
    public static final int REG_LBA = 0x04;
    public static final int REG_SECTOR_COUNT = 0x08;
    public static final int REG_DMA_ADDRESS_LOW = 0x0C;
    public static final int REG_DMA_ADDRESS_HIGH = 0x10;
    public static final int REG_STATUS = 0x14;
    public static final int REG_INTERRUPT_ENABLE = 0x18;
    public static final int REG_INTERRUPT_STATUS = 0x1C;
    public static final int REG_TRANSFERRED = 0x20;
    public static final int REG_MAX_SECTORS = 0x24;
    public static final int REG_CAPACITY = 0x28;

    public static final int CMD_READ = 1;
    public static final int CMD_WRITE = 2;
    public static final int CMD_RESET = 3;
    public static final int STATUS_BUSY = 1;
    public static final int STATUS_DONE = 2;
    public static final int STATUS_ERROR = 4;

    /** IOCTL_DISK_GET_LENGTH_INFO-like: returns the capacity in bytes as 8 little-endian bytes. */
    public static final int IOCTL_SIMDISK_GET_LENGTH = Wdm.CTL_CODE(Wdm.FILE_DEVICE_DISK, 0x801,
            Wdm.METHOD_BUFFERED, Wdm.FILE_ANY_ACCESS);

    private final byte[] media = new byte[CAPACITY_SECTORS * SECTOR_SIZE];
    private double faultRate;
    private int lba;
    private int sectorCount;
    private long dmaAddress;
    private int status;
    private boolean interruptEnabled;
    private boolean interruptPending;
    private boolean spuriousPulse;
    private int transferred;
    private int command;
    private long completeAt = Long.MAX_VALUE;
    private long nextSpuriousAt = Long.MAX_VALUE;
    private int operations;

    public DmaDisk(int instance) {
        super(HARDWARE_ID, instance);
    }

    @Override
    public String name() {
        return "dmadisk" + instance;
    }

    @Override
    public Resources resources() {
        return new Resources(0xFE00_0000L + 0x1000L * instance, 0x40, false, 0x50 + instance, 7, false, true,
                MAX_SECTORS * SECTOR_SIZE);
    }

    /** The media, for tests. */
    public byte[] media() {
        return media;
    }

    @Override
    public int read(int offset, int width) {
        switch (offset) {
            case REG_STATUS:
                return status;
            case REG_INTERRUPT_ENABLE:
                return interruptEnabled ? 1 : 0;
            case REG_INTERRUPT_STATUS:
                return interruptPending ? 1 : 0;
            case REG_TRANSFERRED:
                return transferred;
            case REG_MAX_SECTORS:
                return MAX_SECTORS;
            case REG_CAPACITY:
                return CAPACITY_SECTORS;
            case REG_LBA:
                return lba;
            case REG_SECTOR_COUNT:
                return sectorCount;
            default:
                return 0;
        }
    }

    @Override
    public void write(int offset, int width, int value) {
        switch (offset) {
            case REG_COMMAND:
                command(value);
                break;
            case REG_LBA:
                lba = value;
                break;
            case REG_SECTOR_COUNT:
                sectorCount = value;
                break;
            case REG_DMA_ADDRESS_LOW:
                dmaAddress = (dmaAddress & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
                break;
            case REG_DMA_ADDRESS_HIGH:
                dmaAddress = (dmaAddress & 0xFFFF_FFFFL) | ((long) value << 32);
                break;
            case REG_INTERRUPT_ENABLE:
                interruptEnabled = (value & 1) != 0;
                if (interruptEnabled && faultRate > 0 && nextSpuriousAt == Long.MAX_VALUE) {
                    scheduleSpurious();
                }
                break;
            case REG_INTERRUPT_STATUS:
                if ((value & 1) != 0) {
                    interruptPending = false;
                }
                break;
            default:
                break;
        }
    }

    private void command(int value) {
        if (value == CMD_RESET) {
            status = 0;
            interruptPending = false;
            completeAt = Long.MAX_VALUE;
            return;
        }
        if ((status & STATUS_BUSY) != 0) {
            bus.verifier(dev.dpccheck.kernel.verifier.DeviceProgrammedWhileBusy.class).programmed(name());
            return;
        }
        if (value != CMD_READ && value != CMD_WRITE) {
            return;
        }
        command = value;
        status = STATUS_BUSY;
        transferred = 0;
        completeAt = bus.now() + 20 + bus.random(80);
        operations++;
    }

    private void scheduleSpurious() {
        nextSpuriousAt = bus.now() + 2_000 + bus.random(20_000);
    }

    @Override
    public boolean interruptAsserted() {
        return interruptEnabled && (interruptPending || spuriousPulse);
    }

    @Override
    public void interruptDelivered() {
        spuriousPulse = false;
    }

    @Override
    public long nextEventTime() {
        return Math.min(completeAt, nextSpuriousAt);
    }

    /** An operation under way may end at any moment: the latency is the device's, not the driver's to count on. */
    @Override
    public boolean mayHurry() {
        return completeAt != Long.MAX_VALUE;
    }

    @Override
    public void hurry(long now) {
        completeAt = Math.min(completeAt, now);
    }

    @Override
    public void step(long now) {
        if (now >= nextSpuriousAt) {
            spuriousPulse = true;
            scheduleSpurious();
        }
        if (now >= completeAt) {
            completeAt = Long.MAX_VALUE;
            finishOperation();
        }
    }

    private void finishOperation() {
        boolean error = false;
        boolean lost = false;
        int sectors = sectorCount;
        if (sectors <= 0 || sectors > MAX_SECTORS || lba < 0 || (long) lba + sectors > CAPACITY_SECTORS) {
            error = true;
        } else if (bus.chance(faultRate)) {
            switch (bus.random(3)) {
                case 0:
                    error = true;
                    break;
                case 1:
                    sectors = sectors > 1 ? 1 + bus.random(sectors - 1) : sectors;
                    break;
                default:
                    lost = true;
                    break;
            }
        }
        if (!error) {
            int bytes = sectors * SECTOR_SIZE;
            boolean ok = command == CMD_READ
                    ? bus.dmaWrite(this, dmaAddress, media, lba * SECTOR_SIZE, bytes)
                    : bus.dmaRead(this, dmaAddress, media, lba * SECTOR_SIZE, bytes);
            if (!ok) {
                error = true;
            } else {
                transferred = sectors;
            }
        }
        status = STATUS_DONE | (error ? STATUS_ERROR : 0);
        if (!lost) {
            interruptPending = true;
        }
    }

    @Override
    public Workload workload(WorkloadSettings settings) {
        this.faultRate = settings.faultRate();
        // faults start with the workload; a driver that enabled interrupts at start gets spurious ones from now
        if (interruptEnabled && faultRate > 0 && nextSpuriousAt == Long.MAX_VALUE) {
            scheduleSpurious();
        }
        for (int i = 0; i < media.length; i++) {
            media[i] = (byte) (i * 31 + (i >>> 9) * 7 + instance);
        }
        return new DiskWorkload(settings);
    }

    /** Each thread owns a region of the disk and keeps a shadow of what it must read back. */
    private final class DiskWorkload implements Workload {
        private final List<List<Request>> threads = new ArrayList<>();
        private final byte[] shadow = media.clone();
        private final boolean[] unknown = new boolean[CAPACITY_SECTORS];
        /** By sector: the last write that completed successfully over it. */
        private final Request[] lastWrite = new Request[CAPACITY_SECTORS];
        private long verified;

        DiskWorkload(WorkloadSettings settings) {
            int regionSectors = CAPACITY_SECTORS / Math.max(1, settings.threads());
            for (int t = 0; t < settings.threads(); t++) {
                List<Request> requests = new ArrayList<>();
                int regionStart = t * regionSectors;
                for (int r = 0; r < settings.requestsPerThread(); r++) {
                    int kind = bus.workloadRandom(10);
                    if (kind == 0) {
                        requests.add(new Request(Wdm.IRP_MJ_DEVICE_CONTROL, 0, 8, null, IOCTL_SIMDISK_GET_LENGTH));
                        continue;
                    }
                    // one in three requests is larger than one DMA operation
                    int sectors = bus.workloadRandom(3) == 0 ? MAX_SECTORS + 1 + bus.workloadRandom(3 * MAX_SECTORS)
                            : 1 + bus.workloadRandom(MAX_SECTORS);
                    sectors = Math.min(sectors, regionSectors);
                    int start = regionStart + bus.workloadRandom(regionSectors - sectors + 1);
                    int length = sectors * SECTOR_SIZE;
                    if (kind <= 5) {
                        requests.add(new Request(Wdm.IRP_MJ_READ, (long) start * SECTOR_SIZE, length, null, 0));
                    } else {
                        byte[] data = new byte[length];
                        for (int i = 0; i < length; i++) {
                            data[i] = (byte) bus.workloadRandom(256);
                        }
                        requests.add(new Request(Wdm.IRP_MJ_WRITE, (long) start * SECTOR_SIZE, length, data, 0));
                    }
                }
                threads.add(requests);
            }
        }

        @Override
        public List<List<Request>> threads() {
            return threads;
        }

        /** Two requests whose sectors meet, one of them a write, give results that depend on their order. */
        @Override
        public boolean mayOverlap(Request inFlight, Request next) {
            boolean bothRead = inFlight.majorFunction() != Wdm.IRP_MJ_WRITE && next.majorFunction() != Wdm.IRP_MJ_WRITE;
            boolean apart = inFlight.majorFunction() == Wdm.IRP_MJ_DEVICE_CONTROL
                    || next.majorFunction() == Wdm.IRP_MJ_DEVICE_CONTROL
                    || inFlight.offset() + inFlight.length() <= next.offset()
                    || next.offset() + next.length() <= inFlight.offset();
            return bothRead || apart;
        }

        @Override
        public String verify(int thread, Request request, int status, long information, byte[] data) {
            if (request.majorFunction() == Wdm.IRP_MJ_DEVICE_CONTROL) {
                if (!Wdm.NT_SUCCESS(status)) {
                    return null;
                }
                long length = 0;
                for (int i = 7; i >= 0; i--) {
                    length = (length << 8) | (data[i] & 0xFF);
                }
                verified += 8;
                return information == 8 && length == (long) CAPACITY_SECTORS * SECTOR_SIZE ? null
                        : "the length IOCTL returned " + length + " in " + information + " bytes";
            }
            int first = (int) (request.offset() / SECTOR_SIZE);
            int sectors = request.length() / SECTOR_SIZE;
            if (request.majorFunction() == Wdm.IRP_MJ_WRITE) {
                boolean ok = Wdm.NT_SUCCESS(status);
                for (int s = 0; s < sectors; s++) {
                    unknown[first + s] = !ok;
                }
                if (ok) {
                    for (int s = 0; s < sectors; s++) {
                        lastWrite[first + s] = request;
                    }
                    System.arraycopy(request.data(), 0, shadow, (int) request.offset(), request.length());
                    verified += request.length();
                }
                return null;
            }
            if (!Wdm.NT_SUCCESS(status)) {
                return null;
            }
            for (int s = 0; s < sectors; s++) {
                if (unknown[first + s]) {
                    continue;
                }
                int at = s * SECTOR_SIZE;
                int disk = (first + s) * SECTOR_SIZE;
                if (!Arrays.equals(data, at, at + SECTOR_SIZE, shadow, disk, disk + SECTOR_SIZE)) {
                    int i = Arrays.mismatch(Arrays.copyOfRange(data, at, at + SECTOR_SIZE),
                            Arrays.copyOfRange(shadow, disk, disk + SECTOR_SIZE));
                    return String.format("byte %d of the %s is 0x%02X where the disk holds 0x%02X", at + i,
                            request.describe(), data[at + i] & 0xFF, shadow[disk + i] & 0xFF);
                }
                verified += SECTOR_SIZE;
            }
            return null;
        }

        @Override
        public long bytesVerified() {
            return verified;
        }

        @Override
        public Mismatch finish() {
            for (int s = 0; s < CAPACITY_SECTORS; s++) {
                int at = s * SECTOR_SIZE;
                if (!unknown[s] && !Arrays.equals(media, at, at + SECTOR_SIZE, shadow, at, at + SECTOR_SIZE)) {
                    return new Mismatch("sector " + s + " of '" + name() + "' does not hold the data last written to it",
                            lastWrite[s]);
                }
            }
            return null;
        }
    }
}
