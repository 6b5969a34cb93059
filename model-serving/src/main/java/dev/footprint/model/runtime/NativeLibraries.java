package dev.footprint.model.runtime;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Where JavaCPP loads TensorFlow's native libraries from.
 *
 * <p>By default JavaCPP unpacks 683 MB from the native jar into {@code ~/.javacpp/cache} on first use
 * (about 3 s), so a fresh container pays it at every start, and a read-only root filesystem cannot
 * start at all. Here the build unpacks them once into a folder ({@code target/native/linux-x86_64},
 * an image copies that folder) and JavaCPP loads them from it in place: with
 * {@code org.bytedeco.javacpp.pathsFirst} it searches {@code java.library.path} before its class-path
 * resources, and with {@code cacheLibraries=false} it neither creates nor writes a cache folder
 * (read from JavaCPP 1.5.11's Loader.findLibrary and Loader.load).
 *
 * <p>The folder is {@code TF_NATIVE_LIBRARY_DIR}, else system property
 * {@code footprint.tensorflow.native.dir}, else {@code native/linux-x86_64} next to the jar. If none
 * holds the libraries, JavaCPP's default applies (unpack from the class path into its cache).
 * {@link #use} must run before the first TensorFlow class is used: JavaCPP reads its properties once.
 */
public final class NativeLibraries {
  public static final String DIR_VARIABLE = "TF_NATIVE_LIBRARY_DIR";
  public static final String DIR_PROPERTY = "footprint.tensorflow.native.dir";
  static final List<String> LIBRARIES = List.of("libtensorflow_cc.so.2", "libtensorflow_framework.so.2", "libjnitensorflow.so");
  private static final Logger LOG = Logger.getLogger(NativeLibraries.class.getName());
  private static final AtomicReference<Path> CONFIGURED = new AtomicReference<>();

  private NativeLibraries() {
  }

  /**
   * The folder of the unpacked libraries, or null to use JavaCPP's default. Only reads: {@link #use}
   * points JavaCPP at the folder.
   */
  public static Path locate(Env env) {
    String explicit = env.raw(DIR_VARIABLE);
    String variable = DIR_VARIABLE;
    if (explicit == null) {
      explicit = System.getProperty(DIR_PROPERTY);
      variable = "-D" + DIR_PROPERTY;
    }
    Path folder;
    if (explicit != null) {
      folder = Path.of(explicit).toAbsolutePath().normalize();
      if (!holdsLibraries(folder)) {
        throw Env.invalid(variable, explicit, "a folder holding " + String.join(", ", LIBRARIES));
      }
    } else {
      folder = AppHome.resolve().resolve("native").resolve("linux-x86_64");
      if (!holdsLibraries(folder)) {
        LOG.fine(() -> "no unpacked TensorFlow libraries at " + folder + ": JavaCPP unpacks them from the class path");
        return null;
      }
    }
    return folder;
  }

  /** Points JavaCPP at {@code folder} (once; a second, different folder is an error). */
  public static synchronized Path use(Path folder) {
    Path already = CONFIGURED.get();
    if (already != null) {
      if (!already.equals(folder)) {
        throw new ConfigException("TensorFlow's native libraries are already loaded from " + already + ", not " + folder);
      }
      return already;
    }
    System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
    System.setProperty("org.bytedeco.javacpp.cacheLibraries", "false");
    String path = System.getProperty("java.library.path", "");
    System.setProperty("java.library.path", path.isEmpty() ? folder.toString() : folder + File.pathSeparator + path);
    CONFIGURED.set(folder);
    return folder;
  }

  static boolean holdsLibraries(Path folder) {
    for (String library : LIBRARIES) {
      if (!Files.isRegularFile(folder.resolve(library))) {
        return false;
      }
    }
    return true;
  }
}
