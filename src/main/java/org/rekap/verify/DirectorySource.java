package org.rekap.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A static copy of a site in a directory: {@code <dir>/checkpoint}, {@code <dir>/tile/...}, {@code <dir>/api/v1/...}.
 * A path with a query (a proof) is looked up as a file of exactly that name. Documents carry no log size: the
 * verifier compares them at the checkpoint's size.
 */
final class DirectorySource implements Source {
    private final Path root;

    DirectorySource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Response fetch(String path) throws NotFoundException, SourceException {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || path.startsWith("/"))
            throw new NotFoundException(path, "path " + path + " is outside " + root);
        if (!Files.isRegularFile(file)) throw new NotFoundException(path, "no file " + file);
        try {
            return new Response(path, Files.readAllBytes(file), OptionalLong.empty());
        } catch (NoSuchFileException e) {
            throw new NotFoundException(path, "no file " + file);
        } catch (IOException e) {
            throw new SourceException("cannot read " + file + ": " + e.getMessage() + "; check the directory's"
                    + " permissions", e);
        }
    }

    @Override
    public int inFlight() {
        return 64;
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
