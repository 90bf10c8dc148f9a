package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dpccheck.wdm.Wdm;
import dev.dpccheck.wdm.spi.KernelServices;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The facade, the service interface and the kernel agree, routine by routine. */
class FacadeMirrorTest {
    /** The facade's pure functions, which compute from their arguments as the WDK's macros do and never call the kernel. */
    private static final Set<String> MACROS = Set.of("NT_SUCCESS", "CTL_CODE", "ADDRESS_AND_SIZE_TO_SPAN_PAGES",
            "CONTAINING_RECORD");

    @Test
    void everyFacadeRoutineHasItsServiceMethodAndNoMore() throws Exception {
        Set<String> facade = new TreeSet<>();
        for (Method m : Wdm.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !MACROS.contains(m.getName())) {
                KernelServices.class.getMethod(m.getName(), m.getParameterTypes());
                facade.add(m.getName() + m.getParameterCount());
            }
        }
        Set<String> spi = new TreeSet<>();
        for (Method m : KernelServices.class.getDeclaredMethods()) {
            spi.add(m.getName() + m.getParameterCount());
            IrqlContract.of(Wdm.class.getMethod(m.getName(), m.getParameterTypes()));
        }
        assertEquals(facade, spi);
    }

    @Test
    void facadeOutsideTheKernelSaysSo() {
        assertThrows(IllegalStateException.class, () -> Wdm.KeGetCurrentIrql());
    }

    @Test
    void conditionalContractsFollowTheArguments() throws Exception {
        IrqlContract wait = IrqlContract.of(Wdm.class.getMethod("KeWaitForSingleObject", Object.class, int.class,
                int.class, boolean.class, Long.class));
        assertEquals(Wdm.APC_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, null}));
        assertEquals(Wdm.APC_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, -10_000L}));
        assertEquals(Wdm.DISPATCH_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, 0L}));
        IrqlContract pool = IrqlContract.of(Wdm.class.getMethod("ExAllocatePoolWithTag", int.class, long.class, int.class));
        assertEquals(Wdm.APC_LEVEL, pool.maxFor(new Object[] {Wdm.PagedPool, 16L, 0}));
        assertEquals(Wdm.DISPATCH_LEVEL, pool.maxFor(new Object[] {Wdm.NonPagedPool, 16L, 0}));
    }
}
