package dev.failover.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The agent jar that carries {@link OrphanGuard}, generated once into the temporary
 * directory.
 * <p>
 * Generated at run time rather than built by Maven so that it also works when the testkit is
 * used from an IDE or from plain {@code target/classes}. Its name holds the user and a hash
 * of the agent class, so every JVM of the same version shares one small file instead of
 * leaving one behind each time a JVM is killed before it can delete its own.
 */
final class OrphanGuardJar {

	private static Path jar;

	private OrphanGuardJar() {
	}

	/**
	 * Returns the {@code -javaagent} option that makes a child JVM halt when this JVM is gone.
	 * @return the JVM option
	 */
	static String jvmOption() {
		return "-javaagent:" + path() + "=" + ProcessHandle.current().pid();
	}

	private static synchronized Path path() {
		if (jar == null) {
			try {
				jar = write();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot write the orphan-guard agent jar", ex);
			}
		}
		return jar;
	}

	private static Path write() throws IOException {
		String entry = OrphanGuard.class.getName().replace('.', '/') + ".class";
		byte[] classBytes;
		try (InputStream in = OrphanGuard.class.getClassLoader().getResourceAsStream(entry)) {
			if (in == null) {
				throw new IOException("Class file " + entry + " not found on the class path");
			}
			classBytes = in.readAllBytes();
		}
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
		String name = "failover-orphan-guard-" + user + "-" + Integer.toHexString(Arrays.hashCode(classBytes)) + ".jar";
		Path target = Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
		if (Files.isRegularFile(target)) {
			return target;
		}
		// write aside and move into place, so a JVM starting at the same moment never sees half a jar
		Path partial = Files.createTempFile(target.getParent(), name, ".tmp");
		try {
			Manifest manifest = new Manifest();
			manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
			manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), OrphanGuard.class.getName());
			try (OutputStream out = Files.newOutputStream(partial);
					JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
				jarOut.putNextEntry(new JarEntry(entry));
				jarOut.write(classBytes);
				jarOut.closeEntry();
			}
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(partial);
		}
		return target;
	}

}
