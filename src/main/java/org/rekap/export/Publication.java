package org.rekap.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Where an export is written and how it is switched in: into {@code .<site>.partial-<millis>} beside the target, made
 * durable as a whole (one sync of the file system, not one per file), renamed {@code <site>.v<log size>-<millis>}, and
 * published by renaming a new symlink over the target, then that rename made durable too. A reader (or a crash) sees
 * the previous export or this one, complete, never a mix.
 */
final class Publication {
    /** Unlinks wait on the disk more than on the CPU: several at a time hide the wait. */
    private static final int DELETERS = 8;

    private final Path target;
    private final Path parent;
    private final String name;
    private final long stamp = System.currentTimeMillis();
    private final Path partial;

    /** @throws ExportException when the target cannot be used (saying what to do) */
    Publication(Path target) {
        this.target = target.toAbsolutePath().normalize();
        this.parent = this.target.getParent();
        if (parent == null) throw new ExportException("cannot export to the file system root; give a directory such as ./site");
        this.name = this.target.getFileName().toString();
        if (Files.exists(this.target, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(this.target))
            throw new ExportException(this.target + " already exists and is not an earlier export (exports are published"
                    + " by switching a symlink there, so that readers never see half an export); remove it or choose"
                    + " another --to");
        this.partial = parent.resolve("." + name + ".partial-" + stamp);
    }

    Path target() {
        return target;
    }

    /** The directory to write into (created). */
    Path begin() throws IOException {
        Files.createDirectories(partial);
        return partial;
    }

    /**
     * Makes the written tree durable, then switches the target to it.
     *
     * @return the published directory, and the directory of the export it replaced (null when none, or not ours)
     */
    Switched publish(long logSize) throws IOException {
        sync(partial);
        Path version = parent.resolve(name + ".v" + logSize + "-" + stamp);
        Files.move(partial, version, StandardCopyOption.ATOMIC_MOVE);
        Path previous = Files.isSymbolicLink(target) ? parent.resolve(Files.readSymbolicLink(target)).normalize() : null;
        Path link = parent.resolve("." + name + ".link-" + stamp);
        Files.createSymbolicLink(link, version.getFileName());
        Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(parent);
        // Only a directory this command made is removed: the name says so.
        boolean ours = previous != null && previous.getFileName().toString().startsWith(name + ".v")
                && !previous.equals(version) && previous.getParent().equals(parent);
        return new Switched(version, ours ? previous : null);
    }

    record Switched(Path directory, Path previous) {}

    /** Removes what an export that failed had written. */
    void abandon() {
        try {
            delete(partial);
        } catch (IOException | UncheckedIOException ignored) {
            // the partial directory's name says what it is; the next export does not depend on it being gone
        }
    }

    /**
     * Flushes the file system holding {@code dir}: {@code sync -f} (syncfs(2)) writes every file's data and the
     * journal once, where fsync per file would commit the journal once per file. Without it (not Linux), each file
     * and directory is fsynced, several at a time.
     */
    static void sync(Path dir) throws IOException {
        try {
            Process p = new ProcessBuilder("sync", "-f", dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (p.waitFor() == 0) return;
        } catch (IOException e) {
            // no sync(1) here: fall through to fsync file by file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + dir);
        }
        List<Path> all;
        try (var paths = Files.walk(dir)) {
            all = paths.toList();
        }
        forEach(all, p -> {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) syncDirectory(p);
            else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
        });
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            // some systems cannot open a directory for fsync; the rename is then as durable as the system makes it
        }
    }

    /** Deletes a directory tree, many unlinks at a time. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                dirs.add(d); // children before parents
                return FileVisitResult.CONTINUE;
            }
        });
        forEach(files, Files::deleteIfExists);
        for (Path d : dirs) Files.deleteIfExists(d);
    }

    private interface IoAction {
        void run(Path p) throws IOException;
    }

    /** Runs {@code action} on every path, {@link #DELETERS} threads at a time, in slices. */
    private static void forEach(List<Path> paths, IoAction action) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(DELETERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            int slice = Math.max(1, paths.size() / (DELETERS * 16));
            for (int from = 0; from < paths.size(); from += slice) {
                List<Path> part = paths.subList(from, Math.min(paths.size(), from + slice));
                done.add(pool.submit(() -> {
                    for (Path p : part) action.run(p);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
