package dev.dpccheck.analyzer.spi;

import java.util.List;
import spoon.reflect.declaration.CtElement;
import spoon.reflect.declaration.CtExecutable;

/** Where a rule puts its findings. */
public interface Reporter {
    /**
     * A finding at {@code site}, the statement or expression that commits the defect.
     *
     * @param witness the steps that lead there (may be empty), the last one usually {@code site}
     */
    void report(CtElement site, String message, List<CtElement> witness);

    /** A finding at the closing brace of {@code body}: a path that falls off its end. */
    void reportAtEnd(CtExecutable<?> body, String message, List<CtElement> witness);
}
