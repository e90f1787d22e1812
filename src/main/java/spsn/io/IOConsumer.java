package spsn.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, e.g. code that writes a file's content. */
@FunctionalInterface
public interface IOConsumer<T> {

    void accept(T value) throws IOException;
}
