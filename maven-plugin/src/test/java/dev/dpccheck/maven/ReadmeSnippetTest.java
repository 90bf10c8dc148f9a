package dev.dpccheck.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's snippets are the ones the sample builds use. */
class ReadmeSnippetTest {
    static final Path README = Paths.get("..", "README.md");

    private static String snippet(String name) throws Exception {
        Matcher m = Pattern.compile("<!-- snippet: " + Pattern.quote(name) + "[^>]*-->\\n```\\w*\\n(.*?)```",
                Pattern.DOTALL).matcher(Files.readString(README));
        assertTrue(m.find(), "README has no snippet " + name);
        return m.group(1);
    }

    private static String normalized(String xml) {
        return xml.replaceAll("\\s+", "");
    }

    @Test
    void thePluginSnippetIsTheBlockTheSampleProjectsBuildWith() throws Exception {
        String pom = Files.readString(Paths.get("src", "it", "clean-driver", "pom.xml"));
        Matcher block = Pattern.compile("(<plugin>\\s*<groupId>dev\\.dpccheck</groupId>.*?</plugin>)", Pattern.DOTALL)
                .matcher(pom);
        assertTrue(block.find());
        String version = System.getProperty("project.version", "0.1.0-SNAPSHOT");
        assertEquals(normalized(block.group(1).replace("@project.version@", version)),
                normalized(snippet("maven-plugin")));
    }

    @Test
    void theActionsSnippetUploadsTheFileThePluginWrites() throws Exception {
        String actions = snippet("github-actions");
        assertTrue(actions.contains("sarif_file: target/dpccheck.sarif"), actions);
        String mojo = Files.readString(Paths.get("src", "main", "java", "dev", "dpccheck", "maven",
                "AbstractDpccheckMojo.java"));
        assertTrue(mojo.contains("defaultValue = \"${project.build.directory}/dpccheck.sarif\""));
    }
}
