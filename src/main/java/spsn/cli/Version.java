package spsn.cli;

import picocli.CommandLine.IVersionProvider;

/** The tool's version, from the jar manifest (or "dev" when run from classes). */
public final class Version implements IVersionProvider {

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"spsn-java " + current()};
    }
}
