package dev.dpccheck.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Analyzes the project and writes the reports; never fails the build. */
@Mojo(name = "analyze", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class AnalyzeMojo extends AbstractDpccheckMojo {
    @Override
    boolean failsBuild() {
        return false;
    }
}
