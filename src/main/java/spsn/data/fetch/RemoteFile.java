package spsn.data.fetch;

/**
 * One file of a dataset as its publishers serve it.
 *
 * @param archive the name on the server, e.g. {@code shd_train.h5.zip}
 * @param md5 the published MD5 of the archive's bytes (lower-case hex), or null when only the
 *     server's own md5sums.txt can tell it (the older .gz layout)
 * @param target the file it unpacks to in the data folder, e.g. {@code shd_train.h5}
 */
public record RemoteFile(String archive, String md5, String target) {

    /** The older compneuro layout of the same file: {@code <target>.gz}, listed in md5sums.txt. */
    public RemoteFile gzipped() {
        return new RemoteFile(target + ".gz", null, target);
    }
}
