package org.rekap.export;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one export, under its directory: each written once, whole, from memory or streamed, optionally with a
 * {@code .gz} twin of the same modification time for nginx's gzip_static. Safe to call from many threads. Nothing is
 * flushed to disk here: the whole tree is synced once before it is switched in ({@link Publication}).
 */
final class ExportFiles {
    /** Downloads are large and fetched rarely: fast compression keeps the export's CPU for the rest. */
    static final int DOWNLOAD_LEVEL = 1;

    private final Path root;
    private final Set<Path> directories = ConcurrentHashMap.newKeySet();
    private final LongAdder files = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    ExportFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    long files() {
        return files.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    /** Writes a file. */
    void put(String path, byte[] body) {
        write(file(path), body);
    }

    /** Writes a file and, when {@code gzip} is not null, its gzip twin. */
    void put(String path, byte[] body, byte[] gzip) {
        Path file = file(path);
        write(file, body);
        if (gzip != null) twin(file, gzip);
    }

    /** Writes a file and its gzip twin, compressing here. */
    void putCompressed(String path, byte[] body, int level) {
        put(path, body, gzip(body, level));
    }

    /** A file chunk by chunk, and its gzip twin at the same time: flat memory for national downloads. */
    void stream(String path, Iterator<byte[]> chunks) {
        Path file = file(path);
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        long plainBytes = 0, zippedBytes;
        try (CountingStream zippedCount = new CountingStream(new FileOutputStream(gz.toFile()))) {
            try (OutputStream plain = new BufferedOutputStream(new FileOutputStream(file.toFile()), 1 << 20);
                 OutputStream zipped = new Gzip(zippedCount, DOWNLOAD_LEVEL)) {
                while (chunks.hasNext()) {
                    byte[] c = chunks.next();
                    plain.write(c);
                    zipped.write(c);
                    plainBytes += c.length;
                }
            }
            zippedBytes = zippedCount.count;
            Files.setLastModifiedTime(gz, Files.getLastModifiedTime(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.add(2);
        bytes.add(plainBytes + zippedBytes);
    }

    /** Makes {@code path} a hard link to {@code source} when the file system allows, else a copy. */
    void link(String path, Path source) throws IOException {
        Path target = file(path);
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
        files.increment();
        bytes.add(Files.size(target));
    }

    static byte[] gzip(byte[] body, int level) {
        var out = new java.io.ByteArrayOutputStream(body.length / 4 + 64);
        try (OutputStream gz = new Gzip(out, level)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The file's path, its directory created once per export (not stat'ed again for every file in it). */
    private Path file(String path) {
        Path file = root.resolve(path);
        Path dir = file.getParent();
        if (!directories.contains(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            directories.add(dir);
        }
        return file;
    }

    private void write(Path file, byte[] body) {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.increment();
        bytes.add(body.length);
    }

    private void twin(Path file, byte[] gzip) {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        write(gz, gzip);
        try {
            // gzip_static serves the twin with the original's validators only when they agree.
            FileTime time = Files.getLastModifiedTime(file);
            Files.setLastModifiedTime(gz, time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GZIPOutputStream at a chosen level, with a large buffer. */
    private static final class Gzip extends GZIPOutputStream {
        Gzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(new BufferedOutputStream(out, 1 << 20));
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
