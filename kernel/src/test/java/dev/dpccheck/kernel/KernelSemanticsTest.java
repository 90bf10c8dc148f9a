package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.wdm.Wdm;
import java.nio.file.Files;
import java.nio.file.Path;
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
        String source = TEMPLATE.replace("/*ENTRY*/", entry).replace("/*ADD*/", add).replace("/*MEMBERS*/", members);
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
        assertTrue(v.message().contains("'Dispatch' loops without returning"), v.message());
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
    private int lineOf(String text) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("t/TestDriver.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }
}
