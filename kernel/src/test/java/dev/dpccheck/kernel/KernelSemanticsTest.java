package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.wdm.Wdm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the kernel's semantics with small drivers that look at it from inside: each is compiled
 * from the template below plus the members a test adds, runs in the simulation, and records what
 * it saw through {@link Probe}.
 */
class KernelSemanticsTest {
    private static final String TEMPLATE = """
            package t;

            import dev.dpccheck.wdm.*;
            import dev.dpccheck.kernel.Probe;
            import static dev.dpccheck.wdm.Wdm.*;

            @HardwareId("SIM\\\\DMADISK")
            public final class TestDriver {
                static final class Ext {
                    DeviceObject Self;
                    DeviceObject Lower;
                    KInterrupt Interrupt;
                    final ListEntry Pending = new ListEntry();
                    final KSpinLock PendingLock = new KSpinLock();
                    final IoCsq Queue = new IoCsq(this);
                    final IoRemoveLock RemoveLock = new IoRemoveLock();
                    long Registers;
                    final Kdpc Dpc = new Kdpc();
                    boolean InSync;
                    ControllerObject Controller;
                    int IsrRuns;
                    int DpcRuns;
                }

                public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
                    DriverObject.DriverExtension.AddDevice = this::AddDevice;
                    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
                        DriverObject.MajorFunction[i] = this::Fail;
                    }
                    DriverObject.MajorFunction[IRP_MJ_CREATE] = this::Create;
                    DriverObject.MajorFunction[IRP_MJ_CLOSE] = this::Complete;
                    DriverObject.MajorFunction[IRP_MJ_PNP] = this::Pnp;
                    /*ENTRY*/
                    return STATUS_SUCCESS;
                }

                int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
                    Out<DeviceObject> created = new Out<>();
                    IoCreateDevice(DriverObject, Ext.class, null, FILE_DEVICE_DISK, 0, false, created);
                    DeviceObject fdo = created.value;
                    Ext ext = (Ext) fdo.DeviceExtension;
                    ext.Self = fdo;
                    ext.Lower = IoAttachDeviceToDeviceStack(fdo, Pdo);
                    /*ADD*/
                    fdo.Flags &= ~DO_DEVICE_INITIALIZING;
                    return STATUS_SUCCESS;
                }

                int Complete(DeviceObject DeviceObject, Irp Irp) {
                    Irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_SUCCESS;
                }

                int Fail(DeviceObject DeviceObject, Irp Irp) {
                    Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_INVALID_DEVICE_REQUEST;
                }

                int Pnp(DeviceObject DeviceObject, Irp Irp) {
                    Ext ext = (Ext) DeviceObject.DeviceExtension;
                    IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
                    if (stack.MinorFunction == IRP_MN_START_DEVICE) {
                        for (CmPartialResourceDescriptor d : stack.Parameters.StartDevice.AllocatedResourcesTranslated
                                .List[0].PartialResourceList.PartialDescriptors) {
                            if (d.Type == CmResourceTypeMemory) {
                                ext.Registers = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                            } else if (d.Type == CmResourceTypeInterrupt) {
                                Out<KInterrupt> interrupt = new Out<>();
                                IoConnectInterrupt(interrupt, this::Isr, ext, null, d.u.Interrupt.Vector,
                                        d.u.Interrupt.Level, d.u.Interrupt.Level, LevelSensitive, false,
                                        d.u.Interrupt.Affinity, false);
                                ext.Interrupt = interrupt.value;
                            }
                        }
                    } else if (stack.MinorFunction == IRP_MN_REMOVE_DEVICE) {
                        /*REMOVE*/
                        IoDisconnectInterrupt(ext.Interrupt);
                        MmUnmapIoSpace(ext.Registers, 0x40);
                        IoSkipCurrentIrpStackLocation(Irp);
                        int status = IoCallDriver(ext.Lower, Irp);
                        IoDetachDevice(ext.Lower);
                        IoDeleteDevice(DeviceObject);
                        return status;
                    }
                    IoSkipCurrentIrpStackLocation(Irp);
                    return IoCallDriver(ext.Lower, Irp);
                }

                /*MEMBERS*/
            }
            """;

    private static final String NO_ISR = """
                boolean Isr(KInterrupt Interrupt, Object Context) {
                    return false;
                }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Probe.reset();
    }

    private DriverImage driver(String entry, String add, String members) throws Exception {
        return driver(entry, add, members, "");
    }

    /** {@code remove}: what the driver does first on IRP_MN_REMOVE_DEVICE. */
    private DriverImage driver(String entry, String add, String members, String remove) throws Exception {
        String source = TEMPLATE.replace("/*ENTRY*/", entry).replace("/*ADD*/", add).replace("/*MEMBERS*/", members)
                .replace("/*REMOVE*/", remove);
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/TestDriver.java"), source);
        return DriverImage.compile(dir, System.getProperty("java.class.path"), n -> n.equals("dev/dpccheck/kernel/Probe"));
    }

    private static Simulation.Report run(DriverImage image, int threads, int requests, int schedules) {
        return Simulation.run(image, KernelConfig.defaults().withWorkload(threads, requests), schedules, 1);
    }

    private static List<String> rules(Simulation.Report r) {
        return r.violations().values().stream().map(v -> v.rule() + " " + v.location() + " " + v.message())
                .collect(Collectors.toList());
    }

    @Test
    void queuingADpcThatIsAlreadyQueuedReturnsFalseAndItRunsOnce() throws Exception {
        DriverImage image = driver("", "KeInitializeDpc(ext.Dpc, this::CountDpc, ext);", NO_ISR + """
                    void CountDpc(Kdpc Dpc, Object Context, Object A1, Object A2) {
                        ((Ext) Context).DpcRuns++;
                        Probe.record("dpc irql", KeGetCurrentIrql());
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        Probe.record("first", KeInsertQueueDpc(ext.Dpc, null, null));
                        Probe.record("second", KeInsertQueueDpc(ext.Dpc, null, null));
                        Probe.record("runs while raised", ext.DpcRuns);
                        KeLowerIrql(old.value);
                        Probe.record("runs after lowering", ext.DpcRuns);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 5);
        assertEquals(List.of(), rules(r));
        assertEquals(List.of(true, true, true, true, true), Probe.values("first"));
        assertEquals(List.of(false, false, false, false, false), Probe.values("second"));
        assertEquals(List.of(0, 0, 0, 0, 0), Probe.values("runs while raised"));
        assertEquals(List.of(1, 1, 1, 1, 1), Probe.values("runs after lowering"));
        assertEquals(List.of(2, 2, 2, 2, 2), Probe.values("dpc irql"));
    }

    @Test
    void startIoIsEnteredFromIoStartNextPacketWithTheNextIrpAtDispatchLevel() throws Exception {
        DriverImage image = driver("""
                DriverObject.DriverStartIo = this::StartIo;
                DriverObject.MajorFunction[IRP_MJ_READ] = this::Queue;
                DriverObject.MajorFunction[IRP_MJ_WRITE] = this::Queue;
                DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = this::Queue;
                """, "KeInitializeDpc(ext.Dpc, this::Finish, ext);", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        return Complete(DeviceObject, Irp);
                    }

                    int Queue(DeviceObject DeviceObject, Irp Irp) {
                        IoMarkIrpPending(Irp);
                        IoStartPacket(DeviceObject, Irp, null, null);
                        return STATUS_PENDING;
                    }

                    void StartIo(DeviceObject DeviceObject, Irp Irp) {
                        boolean nested = false;
                        for (StackTraceElement e : new Throwable().getStackTrace()) {
                            nested |= e.getMethodName().equals("IoStartNextPacket");
                        }
                        Probe.record(nested ? "from IoStartNextPacket" : "from IoStartPacket", Irp);
                        Probe.record("current irp", DeviceObject.CurrentIrp == Irp);
                        Probe.record("startio irql", KeGetCurrentIrql());
                        KeInsertQueueDpc(((Ext) DeviceObject.DeviceExtension).Dpc, Irp, null);
                    }

                    void Finish(Kdpc Dpc, Object Context, Object A1, Object A2) {
                        Ext ext = (Ext) Context;
                        Irp irp = (Irp) A1;
                        Probe.record("finishing", irp);
                        irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
                        IoStartNextPacket(ext.Self, false);
                        IoCompleteRequest(irp, IO_NO_INCREMENT);
                    }
                """);
        Simulation.Report r = run(image, 3, 6, 10);
        assertEquals(List.of(), rules(r));
        List<Object> nested = Probe.values("from IoStartNextPacket");
        assertFalse(nested.isEmpty(), "no StartIo was entered from IoStartNextPacket");
        assertEquals(nested.size() + Probe.values("from IoStartPacket").size(), Probe.values("finishing").size());
        assertTrue(Probe.values("current irp").stream().allMatch(Boolean.TRUE::equals));
        assertTrue(Probe.values("startio irql").stream().allMatch(i -> i.equals(Wdm.DISPATCH_LEVEL)));
    }

    @Test
    void keSynchronizeExecutionRunsAtSynchronizeIrqlAndRestoresTheCallersIrql() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    boolean Inside(Object Context) {
                        Probe.record("inside", KeGetCurrentIrql());
                        return true;
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        Probe.record("before", KeGetCurrentIrql());
                        Probe.record("result", KeSynchronizeExecution(ext.Interrupt, this::Inside, null));
                        Probe.record("after", KeGetCurrentIrql());
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        KeSynchronizeExecution(ext.Interrupt, this::Inside, null);
                        Probe.record("after at dispatch", KeGetCurrentIrql());
                        KeLowerIrql(old.value);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = run(image, 2, 1, 3);
        assertEquals(List.of(), rules(r));
        int dirql = new dev.dpccheck.kernel.hw.DmaDisk(0).resources().level();
        assertEquals(List.of(0, 0, 0, 0, 0, 0), Probe.values("before"));
        assertEquals(12, Probe.values("inside").size());
        assertTrue(Probe.values("inside").stream().allMatch(i -> i.equals(dirql)));
        assertEquals(List.of(true, true, true, true, true, true), Probe.values("result"));
        assertEquals(List.of(0, 0, 0, 0, 0, 0), Probe.values("after"));
        assertEquals(List.of(2, 2, 2, 2, 2, 2), Probe.values("after at dispatch"));
    }

    @Test
    void anIsrIsNotDeliveredWhileItsInterruptSpinLockIsHeld() throws Exception {
        DriverImage image = driver("", "", """
                    boolean Isr(KInterrupt Interrupt, Object Context) {
                        Ext ext = (Ext) Context;
                        if (ext.InSync) {
                            Probe.record("isr while held", true);
                        }
                        if ((READ_REGISTER_ULONG(ext.Registers + 0x1C) & 1) == 0) {
                            return false;
                        }
                        WRITE_REGISTER_ULONG(ext.Registers + 0x1C, 1);
                        ext.IsrRuns++;
                        return true;
                    }

                    boolean Hold(Object Context) {
                        Ext ext = (Ext) Context;
                        WRITE_REGISTER_ULONG(ext.Registers + 0x04, 0);
                        WRITE_REGISTER_ULONG(ext.Registers + 0x08, 1);
                        WRITE_REGISTER_ULONG(ext.Registers + 0x00, 1);
                        ext.InSync = true;
                        KeStallExecutionProcessor(500);
                        Probe.record("asserted while held", READ_REGISTER_ULONG(ext.Registers + 0x1C));
                        ext.InSync = false;
                        return true;
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        WRITE_REGISTER_ULONG(ext.Registers + 0x18, 1);
                        KeSynchronizeExecution(ext.Interrupt, this::Hold, ext);
                        for (int i = 0; i < 1000 && !KeSynchronizeExecution(ext.Interrupt, this::HasRun, ext); i++) {
                            KeStallExecutionProcessor(10);
                        }
                        Probe.record("isr ran", KeSynchronizeExecution(ext.Interrupt, this::HasRun, ext));
                        return Complete(DeviceObject, Irp);
                    }

                    boolean HasRun(Object Context) {
                        return ((Ext) Context).IsrRuns > 0;
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 20);
        assertEquals(List.of(), rules(r));
        assertEquals(20, Probe.values("asserted while held").size());
        assertTrue(Probe.values("asserted while held").stream().allMatch(v -> v.equals(1)),
                "the device did not raise its interrupt while the lock was held");
        assertEquals(List.of(), Probe.values("isr while held"));
        assertEquals(20, Probe.values("isr ran").size());
        assertTrue(Probe.values("isr ran").stream().allMatch(Boolean.TRUE::equals), "the ISR never ran");
    }

    @Test
    void aDpcProgrammingTheDeviceOutsideASynchCritSectionIsReportedAndInsideIsNot() throws Exception {
        DriverImage image = driver("", "KeInitializeDpc(ext.Dpc, this::Program, ext);", NO_ISR + """
                    void Program(Kdpc Dpc, Object Context, Object A1, Object A2) {
                        Ext ext = (Ext) Context;
                        KeSynchronizeExecution(ext.Interrupt, c -> {
                            WRITE_REGISTER_ULONG(ext.Registers + 0x18, 0);
                            return true;
                        }, null);
                        WRITE_REGISTER_ULONG(ext.Registers + 0x18, 1);
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        KeInsertQueueDpc(((Ext) DeviceObject.DeviceExtension).Dpc, null, null);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 3);
        List<String> found = rules(r);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("DeviceProgrammedOutsideSync " + dir.resolve("t/TestDriver.java") + ":"
                + lineOf("WRITE_REGISTER_ULONG(ext.Registers + 0x18, 1);") + " "), found.toString());
    }

    @Test
    void startingTheNextPacketWithTheControllerStillAllocatedIsReported() throws Exception {
        DriverImage image = driver("DriverObject.DriverStartIo = this::StartIo;", """
                ext.Controller = IoCreateController(null);
                KeInitializeDpc(ext.Dpc, this::Finish, ext);
                """, NO_ISR + """
                    void StartIo(DeviceObject DeviceObject, Irp Irp) {
                    }

                    int Granted(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
                        return KeepObject;
                    }

                    void Finish(Kdpc Dpc, Object Context, Object A1, Object A2) {
                        Ext ext = (Ext) Context;
                        IoStartNextPacket((DeviceObject) A1, false);
                        IoFreeController(ext.Controller);
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        IoAllocateController(ext.Controller, DeviceObject, this::Granted, ext);
                        KeLowerIrql(old.value);
                        KeInsertQueueDpc(ext.Dpc, DeviceObject, null);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 2);
        List<String> found = rules(r);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("ControllerNotFreed " + dir.resolve("t/TestDriver.java") + ":"
                + lineOf("IoStartNextPacket((DeviceObject) A1, false);") + " "), found.toString());
    }

    @Test
    void aRoutineThatCaughtAHelpersExceptionIsStillCheckedWhenItReturns() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    private void Boom() {
                        throw new IllegalStateException("caught by the routine");
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        try {
                            Boom();
                        } catch (IllegalStateException e) {
                            Irp.IoStatus.Information = 0;
                        }
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        Irp.IoStatus.Status = STATUS_SUCCESS;
                        IoCompleteRequest(Irp, IO_NO_INCREMENT);
                        return STATUS_SUCCESS;
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 1));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("IrqlNotRestored " + dir.resolve("t/TestDriver.java") + ":"
                + (lineOf("KeRaiseIrql(DISPATCH_LEVEL, old);") + 3) + " "), found.toString());
    }

    @Test
    void anIrpCompletedWithoutItsStatusSetIsReported() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Irp.IoStatus.Information = 0;
                        IoCompleteRequest(Irp, IO_NO_INCREMENT);
                        return STATUS_SUCCESS;
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 2));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("IoStatusNotSet " + dir.resolve("t/TestDriver.java") + ":"
                + (lineOf("Irp.IoStatus.Information = 0;") + 1) + " "), found.toString());
    }

    @Test
    void anErrorLogEntryTouchedAfterItWasWrittenIsReported() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        IoErrorLogPacket entry = IoAllocateErrorLogEntry(DeviceObject, 64);
                        if (entry != null) {
                            entry.ErrorCode = IO_ERR_DRIVER_ERROR;
                            IoWriteErrorLogEntry(entry);
                            entry.RetryCount = 1;
                        }
                        return Complete(DeviceObject, Irp);
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 2));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("ErrorLogEntryUnchecked " + dir.resolve("t/TestDriver.java") + ":"
                + lineOf("entry.RetryCount = 1;") + " "), found.toString());
    }

    @Test
    void aReadCompletedWithoutFlushAdapterBuffersReturnsTheBuffersStaleBytes() throws Exception {
        DriverImage image = DriverImage.compile(DriverCorpusTest.DRIVERS.resolve("seeded/dma-flush-missing"));
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults(), 3, 1);
        List<Violation> corrupt = r.violations().values().stream().filter(v -> v.rule().equals("DataCorruption"))
                .collect(Collectors.toList());
        assertEquals(1, corrupt.size(), rules(r).toString());
        // 0xCC is what the I/O manager fills a read's user buffer with before the driver sees it
        assertTrue(corrupt.get(0).message().contains(" is 0xCC where the disk holds "), corrupt.get(0).message());
        DriverImage reference = DriverImage.compile(DriverCorpusTest.DRIVERS.resolve("dmadisk"));
        Simulation.Report clean = Simulation.run(reference, KernelConfig.defaults(), 3, 1);
        assertEquals(List.of(), rules(clean));
    }

    @Test
    void aDriverThatThrowsIsReportedAtItsFrameAndTheNextScheduleRuns() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Probe.record("create", true);
                        Object missing = null;
                        return missing.hashCode();
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 3);
        assertEquals(3, r.schedules().size());
        assertEquals(3, Probe.values("create").size(), "every schedule reached the driver");
        Violation v = r.violations().values().iterator().next();
        assertEquals("UnhandledException", v.rule());
        assertTrue(v.location().endsWith("t/TestDriver.java:" + lineOf("return missing.hashCode();")), v.location());
        assertTrue(v.message().contains("java.lang.NullPointerException"), v.message());
        assertTrue(r.schedules().stream().allMatch(s -> s.violations().size() == 1));
    }

    @Test
    void aDriverThatSpinsIsReportedAsAHangInTheRoutineThatSpun() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        int spins = 0;
                        while (DeviceObject.DeviceExtension != null) {
                            spins++;
                        }
                        return spins;
                    }
                """);
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withWorkload(1, 1).withMaxSteps(10_000),
                2, 1);
        assertEquals(2, r.schedules().size());
        Violation v = r.violations().values().iterator().next();
        assertEquals("DriverHang", v.rule(), rules(r).toString());
        // the routine by its method, the dispatch routine Create
        assertTrue(v.message().contains("'Create' loops without returning"), v.message());
        assertTrue(v.location().endsWith("t/TestDriver.java:" + lineOf("spins++;")), v.location());
    }

    @Test
    void aDriverThatPollsTheKernelForeverIsReportedAtTheStepBound() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        while (KeGetCurrentIrql() == PASSIVE_LEVEL) {
                            KeStallExecutionProcessor(1);
                        }
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withWorkload(1, 1).withMaxSteps(20_000),
                1, 1);
        List<String> found = rules(r);
        assertTrue(found.stream().anyMatch(s -> s.startsWith("DriverHang ") && s.contains("within 20000 steps")),
                found.toString());
    }

    @Test
    void aDriverThatDoesNotCompileGivesTheCompilersDiagnostics() throws Exception {
        Exception e = assertThrows(DriverImage.CompileException.class, () -> driver("", "", "int Create() { return x; }"));
        assertTrue(e.getMessage().contains("t/TestDriver.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("error:"), e.getMessage());
    }

    @Test
    void aPathWithoutADriverSaysSo() throws Exception {
        Files.writeString(dir.resolve("Plain.java"), "class Plain { }");
        Exception e = assertThrows(DriverImage.NoDriverException.class, () -> DriverImage.compile(dir));
        assertTrue(e.getMessage().contains("holds no driver"), e.getMessage());
        Exception none = assertThrows(DriverImage.NoDriverException.class,
                () -> DriverImage.compile(dir.resolve("missing")));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }

    /** The line of the test driver that holds {@code text}. */
    @Test
    void listsKeepTheirOrderAndGiveTheirRecordsBack() throws Exception {
        DriverImage image = driver("", "InitializeListHead(ext.Pending);", NO_ISR + """
                    static final class Item {
                        final ListEntry Link = new ListEntry(this);
                        final int N;
                        Item(int n) {
                            N = n;
                        }
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        Probe.record("empty at first", IsListEmpty(ext.Pending));
                        Item second = new Item(2);
                        InsertTailList(ext.Pending, second.Link);
                        InsertTailList(ext.Pending, new Item(3).Link);
                        InsertHeadList(ext.Pending, new Item(1).Link);
                        Probe.record("last of three", RemoveEntryList(second.Link));
                        Probe.record("first", CONTAINING_RECORD(RemoveHeadList(ext.Pending), Item.class).N);
                        Probe.record("then", CONTAINING_RECORD(RemoveTailList(ext.Pending), Item.class).N);
                        Probe.record("empty head back", RemoveHeadList(ext.Pending) == ext.Pending);
                        Probe.record("irp back", CONTAINING_RECORD(Irp.Tail.Overlay.ListEntry, Irp.class) == Irp);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = run(image, 1, 1, 2);
        assertEquals(List.of(), rules(r));
        assertEquals(List.of(true, true), Probe.values("empty at first"));
        assertEquals(List.of(false, false), Probe.values("last of three"));
        assertEquals(List.of(1, 1), Probe.values("first"));
        assertEquals(List.of(3, 3), Probe.values("then"));
        assertEquals(List.of(true, true), Probe.values("empty head back"));
        assertEquals(List.of(true, true), Probe.values("irp back"));
    }

    private static final String SHARED_LIST = NO_ISR + """
                int Create(DeviceObject DeviceObject, Irp Irp) {
                    Ext ext = (Ext) DeviceObject.DeviceExtension;
                    QUEUE
                    return Complete(DeviceObject, Irp);
                }
            """;

    @Test
    void aListTwoThreadsChangeWithoutALockIsADataRaceAndWithTheInterlockedRoutinesIsNot() throws Exception {
        String add = "InitializeListHead(ext.Pending); KeInitializeSpinLock(ext.PendingLock);";
        DriverImage racy = driver("", add, SHARED_LIST.replace("QUEUE", """
                    InsertTailList(ext.Pending, Irp.Tail.Overlay.ListEntry);
                    RemoveEntryList(Irp.Tail.Overlay.ListEntry);
                """));
        List<String> found = rules(run(racy, 2, 2, 20));
        assertTrue(found.stream().anyMatch(f -> f.startsWith("DataRace ") && f.contains("the list headed by")),
                found.toString());
        DriverImage locked = driver("", add, SHARED_LIST.replace("QUEUE", """
                    ExInterlockedInsertTailList(ext.Pending, Irp.Tail.Overlay.ListEntry, ext.PendingLock);
                    ExInterlockedRemoveHeadList(ext.Pending, ext.PendingLock);
                """));
        assertEquals(List.of(), rules(run(locked, 2, 2, 20)));
    }

    @Test
    void anEntryInsertedTwiceIsABugCheck() throws Exception {
        DriverImage image = driver("", "InitializeListHead(ext.Pending);", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        InsertTailList(ext.Pending, Irp.Tail.Overlay.ListEntry);
                        InsertTailList(ext.Pending, Irp.Tail.Overlay.ListEntry);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 1));
        String second = "ListEntryCorrupt " + dir.resolve("t/TestDriver.java") + ":"
                + (lineOf("InsertTailList(ext.Pending, Irp.Tail.Overlay.ListEntry);") + 1) + " ";
        assertTrue(found.stream().anyMatch(f -> f.startsWith(second)), found.toString());
    }

    @Test
    void keFlushQueuedDpcsReturnsAfterTheDpcRanAndOnlyAtPassiveLevel() throws Exception {
        DriverImage image = driver("", "KeInitializeDpc(ext.Dpc, this::CountDpc, ext);", NO_ISR + """
                    void CountDpc(Kdpc Dpc, Object Context, Object A1, Object A2) {
                        ((Ext) Context).DpcRuns++;
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        KeInsertQueueDpc(ext.Dpc, null, null);
                        KeFlushQueuedDpcs();
                        Probe.record("runs after the flush", ext.DpcRuns);
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        KeFlushQueuedDpcs();
                        KeLowerIrql(old.value);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 1));
        assertEquals(List.of(1), Probe.values("runs after the flush"));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("IrqlTooHigh "), found.toString());
    }

    @Test
    void poolAllocationsFailUnderFaultsOnlyOnceTheDevicesHaveStarted() throws Exception {
        DriverImage image = driver("", "Probe.record(\"at start\", ExAllocatePoolWithTag(NonPagedPool, 64, 0x74736554) != null);",
                NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        byte[] b = ExAllocatePoolWithTag(NonPagedPool, 64, 0x74736554);
                        Probe.record("in i/o", b != null);
                        if (b != null) {
                            ExFreePoolWithTag(b, 0x74736554);
                        }
                        return Complete(DeviceObject, Irp);
                    }
                """);
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withWorkload(1, 1).withFaultRate(0.5), 40, 1);
        assertEquals(List.of(), rules(r));
        assertTrue(Probe.values("at start").stream().allMatch(Boolean.TRUE::equals));
        assertTrue(Probe.values("in i/o").contains(false), Probe.values("in i/o").toString());
        assertTrue(Probe.values("in i/o").contains(true), Probe.values("in i/o").toString());
    }

    @Test
    void addressAndSizeToSpanPagesCountsThePagesABufferTouches() {
        assertEquals(1, Wdm.ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1000, 4096));
        assertEquals(2, Wdm.ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1001, 4096));
        assertEquals(3, Wdm.ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1FFF, 4098));
        assertEquals(0, Wdm.ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1000, 0));
        assertEquals(1, Wdm.ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1234, 0));
    }

    /** A driver that queues reads on a cancel-safe queue and completes them from a CustomDpc. */
    private static final String CSQ_DRIVER = NO_ISR + """
                int Create(DeviceObject DeviceObject, Irp Irp) {
                    return Complete(DeviceObject, Irp);
                }

                int Read(DeviceObject DeviceObject, Irp Irp) {
                    Ext ext = (Ext) DeviceObject.DeviceExtension;
                    IoCsqInsertIrp(ext.Queue, Irp, null);
                    KeInsertQueueDpc(ext.Dpc, null, null);
                    return STATUS_PENDING;
                }

                void Drain(Kdpc Dpc, Object Context, Object A1, Object A2) {
                    Ext ext = (Ext) Context;
                    Irp irp;
                    while ((irp = IoCsqRemoveNextIrp(ext.Queue, null)) != null) {
                        irp.IoStatus.Status = STATUS_UNSUCCESSFUL;
                        irp.IoStatus.Information = 0;
                        IoCompleteRequest(irp, IO_NO_INCREMENT);
                    }
                }

                void CsqInsertIrp(IoCsq Csq, Irp Irp) {
                    InsertTailList(CONTAINING_RECORD(Csq, Ext.class).Pending, Irp.Tail.Overlay.ListEntry);
                }

                void CsqRemoveIrp(IoCsq Csq, Irp Irp) {
                    RemoveEntryList(Irp.Tail.Overlay.ListEntry);
                }

                Irp CsqPeekNextIrp(IoCsq Csq, Irp Irp, Object PeekContext) {
                    Ext ext = CONTAINING_RECORD(Csq, Ext.class);
                    ListEntry next = Irp == null ? ext.Pending.Flink : Irp.Tail.Overlay.ListEntry.Flink;
                    return next == ext.Pending ? null : CONTAINING_RECORD(next, Irp.class);
                }

                void CsqAcquireLock(IoCsq Csq, Out<Integer> Irql) {
                    KeAcquireSpinLock(CONTAINING_RECORD(Csq, Ext.class).PendingLock, Irql);
                }

                void CsqReleaseLock(IoCsq Csq, int Irql) {
                    KeReleaseSpinLock(CONTAINING_RECORD(Csq, Ext.class).PendingLock, Irql);
                }

                void CsqCompleteCanceledIrp(IoCsq Csq, Irp Irp) {
                    Probe.record("cancelled", true);
                    Irp.IoStatus.Status = STATUS_CANCELLED;
                    Irp.IoStatus.Information = 0;
                    COMPLETE_CANCELLED
                }
            """;

    private static final String CSQ_ENTRY = "DriverObject.MajorFunction[IRP_MJ_READ] = this::Read;";
    private static final String CSQ_ADD = "InitializeListHead(ext.Pending); KeInitializeSpinLock(ext.PendingLock);"
            + " KeInitializeDpc(ext.Dpc, this::Drain, ext);"
            + " IoCsqInitialize(ext.Queue, this::CsqInsertIrp, this::CsqRemoveIrp, this::CsqPeekNextIrp,"
            + " this::CsqAcquireLock, this::CsqReleaseLock, this::CsqCompleteCanceledIrp);";

    @Test
    void theUserThreadsCancelQueuedReadsAndTheCancelSafeQueueHandsThemBack() throws Exception {
        DriverImage image = driver(CSQ_ENTRY, CSQ_ADD,
                CSQ_DRIVER.replace("COMPLETE_CANCELLED", "IoCompleteRequest(Irp, IO_NO_INCREMENT);"));
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults(), Exploration.pct(2), 60, 1);
        assertEquals(List.of(), rules(r));
        assertEquals(r.irpsIssued(), r.irpsCompleted());
        assertFalse(Probe.values("cancelled").isEmpty(), "no read was cancelled while queued in 60 schedules");
    }

    @Test
    void aCancelledIrpTheDriverNeverCompletesIsNeverCompleted() throws Exception {
        DriverImage image = driver(CSQ_ENTRY, CSQ_ADD, CSQ_DRIVER.replace("COMPLETE_CANCELLED", "// forgotten"));
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults(), Exploration.pct(2), 60, 1);
        assertTrue(rules(r).stream().anyMatch(v -> v.startsWith("IrpNeverCompleted ")), rules(r).toString());
    }

    @Test
    void aCancelRoutineLeftSetAtCompletionIsReported() throws Exception {
        DriverImage image = driver("", "", NO_ISR + """
                    void Cancel(DeviceObject DeviceObject, Irp Irp) {
                        IoReleaseCancelSpinLock(Irp.CancelIrql);
                    }

                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        IoSetCancelRoutine(Irp, this::Cancel);
                        return Complete(DeviceObject, Irp);
                    }
                """);
        List<String> found = rules(run(image, 1, 1, 1));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("CancelRoutineNotCleared "), found.toString());
    }

    @Test
    void aRemoveLockAPathNeverReleasesIsReportedWhereItWasAcquired() throws Exception {
        String members = NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        if (!NT_SUCCESS(IoAcquireRemoveLock(ext.RemoveLock, Irp))) {
                            return Complete(DeviceObject, Irp);
                        }
                        Irp.IoStatus.Status = STATUS_SUCCESS;
                        IoCompleteRequest(Irp, IO_NO_INCREMENT);
                        RELEASE
                        return STATUS_SUCCESS;
                    }
                """;
        String remove = "IoAcquireRemoveLock(ext.RemoveLock, Irp); IoReleaseRemoveLockAndWait(ext.RemoveLock, Irp);";
        String add = "IoInitializeRemoveLock(ext.RemoveLock, 0x74736554, 0, 0);";
        DriverImage leaky = driver("", add, members.replace("RELEASE", "// forgotten"), remove);
        List<String> found = rules(run(leaky, 1, 1, 1));
        String acquired = "RemoveLock " + dir.resolve("t/TestDriver.java") + ":"
                + lineOf("if (!NT_SUCCESS(IoAcquireRemoveLock(ext.RemoveLock, Irp))) {") + " 'IoAcquireRemoveLock' acquires"
                + " the remove lock for 'Irp#";
        assertTrue(found.stream().anyMatch(f -> f.startsWith(acquired)
                && f.endsWith("and no path releases it: 'IoReleaseRemoveLockAndWait' waits for it forever.")),
                found.toString());
        DriverImage released = driver("", add, members.replace("RELEASE", "IoReleaseRemoveLock(ext.RemoveLock, Irp);"),
                remove);
        assertEquals(List.of(), rules(run(released, 2, 2, 3)));
    }

    @Test
    void aControllerNeverFreedWhileRequestsWaitForItIsReportedWhereItWasAllocated() throws Exception {
        DriverImage image = driver("DriverObject.MajorFunction[IRP_MJ_READ] = this::Read;",
                "ext.Controller = IoCreateController(null);", NO_ISR + """
                    int Create(DeviceObject DeviceObject, Irp Irp) {
                        return Complete(DeviceObject, Irp);
                    }

                    int Granted(DeviceObject DeviceObject, Irp Irp, Object MapRegisterBase, Object Context) {
                        Irp irp = (Irp) Context;
                        irp.IoStatus.Status = STATUS_UNSUCCESSFUL;
                        IoCompleteRequest(irp, IO_NO_INCREMENT);
                        return KeepObject;
                    }

                    int Read(DeviceObject DeviceObject, Irp Irp) {
                        Ext ext = (Ext) DeviceObject.DeviceExtension;
                        IoMarkIrpPending(Irp);
                        Out<Integer> old = new Out<>();
                        KeRaiseIrql(DISPATCH_LEVEL, old);
                        IoAllocateController(ext.Controller, DeviceObject, this::Granted, Irp);
                        KeLowerIrql(old.value);
                        return STATUS_PENDING;
                    }
                """);
        List<String> found = rules(run(image, 2, 2, 1));
        String allocated = "ControllerNotFreed " + dir.resolve("t/TestDriver.java") + ":"
                + lineOf("IoAllocateController(ext.Controller, DeviceObject, this::Granted, Irp);") + " The controller,"
                + " allocated here to '";
        assertTrue(found.stream().anyMatch(f -> f.startsWith(allocated)), found.toString());
    }

    private int lineOf(String text) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("t/TestDriver.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }

    @Test
    void aSerialRequestTheWorkloadCancelsIsNotCorruption() throws Exception {
        // a re-expressed 16550 driver that honours cancellation: before the UART's workload knew of it,
        // a cancelled write (which reports what it sent) was reported as data corruption
        DriverImage image = DriverImage.compile(Paths.get("..", "testdata", "corpus", "serial16550"));
        Simulation.Report r = Simulation.run(image, KernelConfig.defaults(), 100, 1);
        for (Violation v : r.violations().values()) {
            assertTrue(!v.message().contains("0xc0000120"), v.toString());
        }
    }

    @Test
    void theCorpusSerialDriversMoveEveryByteRight() throws Exception {
        // before: rosserial's receive DPC waited 8 ms of device time behind CPU1 and a send DPC that a
        // transmitter of unbounded speed kept busy, and the receive FIFO overran; serial16550 passed on a
        // character of line noise, as serial.sys does, and the oracle wanted it discarded; a cancelled write's
        // unsent rest left the reader waiting for bytes that never came
        for (String driver : List.of("rosserial", "serial16550")) {
            DriverImage image = DriverImage.compile(Paths.get("..", "testdata", "corpus", driver));
            Simulation.Report r = Simulation.run(image, KernelConfig.defaults().withFaultRate(0.05), Exploration.pct(2),
                    40, 1);
            for (Violation v : r.violations().values()) {
                assertTrue(!v.rule().equals("DataCorruption"), driver + ": " + v);
            }
        }
    }

    @Test
    void aRefusedErrorLogEntryUsedUncheckedIsReportedAtTheRoutinesLineBesidesTheException() throws Exception {
        // the corpus's 16550 driver logs an overrun from its DPC through a helper that does not check the entry
        Path driver = Paths.get("..", "testdata", "corpus", "serial16550-errlog-unchecked");
        Simulation.Report r = Simulation.run(DriverImage.compile(driver), KernelConfig.defaults().withFaultRate(0.05),
                Exploration.pct(2), 80, 1);
        List<Violation> unchecked = r.violations().values().stream()
                .filter(v -> v.rule().equals("ErrorLogEntryUnchecked")).collect(Collectors.toList());
        assertEquals(1, unchecked.size(), r.violations().keySet().toString());
        assertTrue(unchecked.get(0).message().startsWith("'IoAllocateErrorLogEntry' returned null, and the entry's"
                + " 'ErrorCode' is used without a check."), unchecked.get(0).message());
        int call = Files.readAllLines(driver.resolve("SerialDriver.java")).indexOf(
                "            SerialLogError(ext, SERIAL_ERR_OVERRUN, take.Errors); // expect: ErrorLogEntryUnchecked") + 1;
        assertEquals(call, unchecked.get(0).line());
        assertTrue(r.violations().values().stream().anyMatch(v -> v.rule().equals("UnhandledException")));
    }
}
