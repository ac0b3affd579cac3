package dev.failover.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An incremental reader of a growing log file that finds the first complete line matching a
 * pattern, starting at a byte position.
 * <p>
 * Only complete lines are matched, so a line that the writer has half-written is never
 * mistaken for a different, shorter line. Not thread-safe: one scanner per waiting caller.
 */
final class LogScanner {

	private static final int CHUNK = 64 * 1024;

	private final Path file;

	private long position;

	private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

	LogScanner(Path file, long position) {
		this.file = file;
		this.position = position;
	}

	/**
	 * Reads what was appended since the last call and returns the first new complete line
	 * that matches.
	 * @param pattern the pattern, matched with {@link java.util.regex.Matcher#find()}
	 * @return the matching line, or empty if none has been written yet
	 */
	Optional<String> next(Pattern pattern) {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ)) {
			ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
			while (true) {
				buffer.clear();
				int read = channel.read(buffer, this.position);
				if (read <= 0) {
					return Optional.empty();
				}
				byte[] bytes = buffer.array();
				for (int i = 0; i < read; i++) {
					this.position++;
					if (bytes[i] != '\n') {
						this.partial.write(bytes[i]);
						continue;
					}
					String line = stripCarriageReturn(this.partial.toString(StandardCharsets.UTF_8));
					this.partial.reset();
					if (pattern.matcher(line).find()) {
						return Optional.of(line);
					}
				}
			}
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read log file " + this.file, ex);
		}
	}

	private static String stripCarriageReturn(String line) {
		return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
	}

	/**
	 * Returns the last lines of a file, for error messages; never throws.
	 * @param file the log file
	 * @param lines the maximum number of lines
	 * @return the lines joined with newlines, or a note saying why there are none
	 */
	static String tail(Path file, int lines) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			// lines of a Kafka log are short; reading a bounded window keeps huge logs cheap
			long start = Math.max(0, size - (long) lines * 1024);
			ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
			while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
				// keep reading until the window is full
			}
			String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
			Deque<String> last = new ArrayDeque<>();
			for (String line : text.split("\n")) {
				last.addLast(line);
				if (last.size() > lines) {
					last.removeFirst();
				}
			}
			return String.join("\n", last);
		}
		catch (IOException | RuntimeException ex) {
			return "(log file " + file + " unreadable: " + ex + ")";
		}
	}

	/**
	 * Returns the size of a file, or 0 if it does not exist.
	 * @param file the file
	 * @return the size in bytes
	 */
	static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the size of " + file, ex);
		}
	}

}
