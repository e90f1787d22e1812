package spsn.data.fetch;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import spsn.SpsnException;

/**
 * Where the Heidelberg spiking datasets are published and the MD5 of each archive: the table
 * Tonic ({@code tonic.datasets.SHD/SSC}) and SpikingJelly use. The only place in the code that
 * names the real server; tests pass their own files and a local server instead.
 */
public final class DatasetSources {

    /** The Zenke lab's file server; compneuro.net/datasets/ served the same files earlier. */
    public static final String DEFAULT_BASE = "https://zenkelab.org/datasets/";
    /** Environment variable naming a mirror (a base URL), overridden by {@code --url}. */
    public static final String MIRROR_ENV = "SPSN_DATASETS_URL";

    private static final Map<String, List<RemoteFile>> FILES = Map.of(
            "shd", List.of(
                    new RemoteFile("shd_train.h5.zip", "f3252aeb598ac776c1b526422d90eecb", "shd_train.h5"),
                    new RemoteFile("shd_test.h5.zip", "1503a5064faa34311c398fb0a1ed0a6f", "shd_test.h5")),
            "ssc", List.of(
                    new RemoteFile("ssc_train.h5.zip", "d102be95e7144fcc0553d1f45ba94170", "ssc_train.h5"),
                    new RemoteFile("ssc_valid.h5.zip", "b4eee3516a4a90dd0c71a6ac23a8ae43", "ssc_valid.h5"),
                    new RemoteFile("ssc_test.h5.zip", "a35ff1e9cffdd02a20eb850c17c37748", "ssc_test.h5")));

    private DatasetSources() {
    }

    /** The published files of dataset {@code name} (shd or ssc). */
    public static List<RemoteFile> files(String name) {
        List<RemoteFile> files = FILES.get(name.toLowerCase(Locale.ROOT));
        if (files == null) {
            throw SpsnException.usage("dataset '" + name + "' cannot be fetched; choose shd or ssc");
        }
        return files;
    }

    /** The base URL: {@code --url} if given, else {@value #MIRROR_ENV}, else {@link #DEFAULT_BASE}. */
    public static URI base(String flag, Map<String, String> env) {
        String value = flag != null && !flag.isBlank() ? flag : env.get(MIRROR_ENV);
        String source = flag != null && !flag.isBlank() ? "--url" : MIRROR_ENV;
        if (value == null || value.isBlank()) {
            value = DEFAULT_BASE;
        }
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value : value + "/");
        } catch (java.net.URISyntaxException e) {
            throw SpsnException.usage(source + ": '" + value + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw SpsnException.usage(source + ": '" + value + "' must be an http:// or https:// URL of the folder"
                    + " holding the archives, e.g. " + DEFAULT_BASE);
        }
        return uri;
    }
}
