package dev.dpccheck.analyzer.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dpccheck.analyzer.model.SourceModel;
import dev.dpccheck.analyzer.scan.PreScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routines are found at every kind of registration: method reference, lambda, class, annotation. */
class DriverModelTest {
    @TempDir
    Path dir;

    @Test
    void everyRegistrationGivesItsRole() throws Exception {
        Files.writeString(dir.resolve("D.java"), """
                package d;
                import dev.dpccheck.wdm.*;
                import static dev.dpccheck.wdm.Wdm.*;
                final class D {
                    KInterrupt Interrupt;
                    public int DriverEntry(DriverObject DriverObject, UnicodeString RegistryPath) {
                        DriverObject.DriverStartIo = this::Start;
                        DriverObject.MajorFunction[IRP_MJ_READ] = (device, irp) -> STATUS_PENDING;
                        return STATUS_SUCCESS;
                    }
                    void Start(DeviceObject DeviceObject, Irp Irp) {
                        KeSynchronizeExecution(Interrupt, context -> true, null);
                    }
                    @Role(IoDpcRoutine.class)
                    void Annotated(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {
                    }
                    static final class Timer implements IoTimerRoutine {
                        public void IoTimer(DeviceObject DeviceObject, Object Context) {
                        }
                    }
                    void Helper() {
                    }
                }
                """);
        SourceModel model = SourceModel.build(PreScan.scan(List.of(dir)).selected(), List.of());
        DriverModel d = DriverModel.build(model.model());
        List<String> found = d.routines().stream()
                .map(r -> r.role() + " " + (r.body() instanceof spoon.reflect.code.CtLambda<?> ? "lambda" : r.body().getSimpleName()))
                .collect(Collectors.toList());
        assertEquals(List.of("DRIVER_ENTRY DriverEntry", "DISPATCH lambda", "START_IO Start", "SYNCH_CRIT_SECTION lambda",
                "DPC_FOR_ISR Annotated", "IO_TIMER IoTimer"), found);
    }
}
