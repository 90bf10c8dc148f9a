package dev.dpccheck.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Analyzes the project and fails the build when it finds more violations than allowed. */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class CheckMojo extends AbstractDpccheckMojo {
    @Override
    boolean failsBuild() {
        return true;
    }
}
