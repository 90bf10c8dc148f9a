package dev.dpccheck.analyzer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpccheck.analyzer.findings.Notification;
import dev.dpccheck.analyzer.scan.PreScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiler judges what parses: a file with a syntax error is a notification and is not in the model. */
class SourceModelTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void filesThatDoNotParseAreNotificationsWithTheirLineAndAreLeftOut() throws Exception {
        // one the compiler cannot build at all, one it would build from what it recovered
        write("t/Broken.java", "package t;\nimport dev.dpccheck.wdm.*;\nclass Broken {\n void f( }\n");
        write("t/Recovered.java", "package t;\nimport dev.dpccheck.wdm.*;\n\nclass Recovered { void g() { int x = 1 } }\n");
        write("t/Good.java", "package t;\nimport dev.dpccheck.wdm.*;\nclass Good { void h() { } }\n");
        PreScan.Result scan = PreScan.scan(List.of(dir));
        assertEquals(3, scan.selected().size());
        SourceModel m = SourceModel.build(scan.selected(), List.of());
        assertEquals(List.of("t.Good"), m.model().getAllTypes().stream().map(t -> t.getQualifiedName()).sorted()
                .collect(Collectors.toList()));
        assertEquals(1, m.filesBuilt(3));
        List<String> notes = m.notifications().stream().map(Notification::toString).sorted().collect(Collectors.toList());
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith(dir.resolve("t/Broken.java") + ":4: The file does not parse and was not"
                + " analyzed: "), notes.toString());
        assertTrue(notes.get(1).startsWith(dir.resolve("t/Recovered.java") + ":4: The file does not parse and was not"
                + " analyzed: "), notes.toString());
    }
}
