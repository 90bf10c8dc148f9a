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
    void namesComeFromTokensNotFromCommentsOrStrings() throws Exception {
        write("d/Driver.java", "package d;\nimport dev.dpccheck.wdm.*;\nimport static q.Consts.LIMIT;\n"
                + "class Driver {\n // Commented c;\n String s = \"Quoted\";\n String t = \"\"\"\n Block\n \"\"\";\n"
                + " int n = LIMIT + p.Qualified.Inner.VALUE;\n}\n");
        write("d/Commented.java", "package d;\nclass Commented { }\n");
        write("d/Quoted.java", "package d;\nclass Quoted { }\n");
        write("d/Block.java", "package d;\nclass Block { }\n");
        write("q/Consts.java", "package q;\npublic class Consts { public static final int LIMIT = 1; }\n");
        write("p/Qualified.java", "package p;\npublic class Qualified { public static class Inner { public static int VALUE; } }\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        List<String> names = r.selected().stream().map(f -> f.path().getFileName().toString()).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("Consts.java", "Driver.java", "Qualified.java"), names);
    }

    @Test
    void aUnicodeEscapedLineEndEndsTheCommentAsTheCompilerReadsIt() throws Exception {
        // the compiler translates backslash-u escapes first: the comment ends and the type is named
        write("d/Driver.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Driver {\n"
                + " // note \\u000a Hidden h;\n String s = \"\\\\u000a Escaped\";\n}\n");
        write("d/Hidden.java", "package d;\nclass Hidden { }\n");
        write("d/Escaped.java", "package d;\nclass Escaped { }\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        List<String> names = r.selected().stream().map(f -> f.path().getFileName().toString()).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("Driver.java", "Hidden.java"), names);
        assertEquals("a\nb", Skim.unescaped("a\\u000ab"));
        assertEquals("a\\\\u000ab", Skim.unescaped("a\\\\u000ab"));
        assertEquals("x", Skim.unescaped("\\uuu0078"));
    }

    @Test
    void typesNamedOutsideAsciiAreFollowed() throws Exception {
        write("d/Driver.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Driver { int k = \u00dcnit\u00e9.K; }\n");
        write("d/\u00dcnit\u00e9.java", "package d;\nclass \u00dcnit\u00e9 { static final int K = 1; }\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        assertEquals(2, r.selected().size(), r.selected().toString());
    }

    @Test
    void aFileThatCouldBeTooDeepIsParsedAndMeasured() throws Exception {
        write("d/Deep.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Deep {\n String s = \"a\""
                + " + \"b\"".repeat(20_000) + ";\n}\n");
        write("d/Long.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Long {\n int[] a = {"
                + "1, ".repeat(20_000) + "1};\n}\n");
        write("d/Parens.java", "package d;\nimport dev.dpccheck.wdm.*;\nclass Parens {\n int x;\n int y = "
                + "(".repeat(5_500) + "x" + " + 1)".repeat(5_500) + ";\n}\n");
        PreScan.Result r = PreScan.scan(List.of(dir));
        // a long flat initializer is not deep, nor are parentheses (the model has no level for them);
        // a long chain of operators is
        assertEquals(List.of("Long.java", "Parens.java"), r.selected().stream().map(f -> f.path().getFileName().toString())
                .sorted().toList());
        assertEquals(1, r.notifications().size());
        assertTrue(r.notifications().get(0).toString().startsWith(dir.resolve("d/Deep.java") + ": The file is nested"
                + " too deeply"), r.notifications().toString());
    }
}
