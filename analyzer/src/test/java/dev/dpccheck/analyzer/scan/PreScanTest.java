package dev.dpccheck.analyzer.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the pre-scan selects, and what it says about the ones it cannot read. */
class PreScanTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void selectsWdmUsersAndTheTypesTheyNameTransitively() throws Exception {
        write("d/Driver.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Driver { Ext e; }\n");
        write("d/Ext.java", "package d;\nclass Ext { util.Helper h; }\n");
        write("util/Helper.java", "package util;\npublic class Helper { }\n");
        write("app/Unrelated.java", "package app;\nclass Unrelated { String s; }\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        List<String> names = r.selected().stream().map(f -> f.path().getFileName().toString()).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("Driver.java", "Ext.java", "Helper.java"), names);
        assertEquals(4, r.filesRead());
        assertEquals(List.of(), r.notifications());
        assertEquals(64, r.selected().get(0).sha256().length());
    }

    @Test
    void aDriverThatDoesNotParseIsANotificationAndIsLeftOut() throws Exception {
        write("Broken.java", "import dev.dpccheck.wdm.*;\nclass Broken {\n void f( }\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        assertEquals(List.of(), r.selected());
        assertEquals(1, r.notifications().size());
        assertTrue(r.notifications().get(0).toString().startsWith(dir.resolve("Broken.java") + ":3: The file does"
                + " not parse"), r.notifications().toString());
    }
}
