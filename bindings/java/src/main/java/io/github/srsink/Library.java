package io.github.srsink;

import java.nio.file.Path;

/**
 * One loaded libsr_sink.so.1, used through its function table. {@link #get()} is the library
 * every {@link Connector} uses by default (see {@link NativeLoader} for where it comes from);
 * {@link #load(Path)} loads a specific file. A library of another ABI major version is refused
 * with {@link SinkException.Version}.
 */
public final class Library {
  /** The ABI version this binding was written for (1.1): major in the high 16 bits. */
  public static final int BINDING_ABI_VERSION = (1 << 16) | 2;

  private static final class Default {
    static final Library INSTANCE = NativeLoader.loadDefaultLibrary();
  }

  final long handle;
  private final String location;

  private Library(long handle, String location) {
    this.handle = handle;
    this.location = location;
  }

  /** The default library of this class loader, loaded on first use. */
  public static Library get() {
    return Default.INSTANCE;
  }

  /** Loads the libsr_sink.so.1 at path (the JNI glue still comes from the jar). */
  public static Library load(Path path) {
    return load(path, BINDING_ABI_VERSION);
  }

  /** Loads path negotiating as a host of hostAbiVersion (tests: a binding of another major). */
  static Library load(Path path, int hostAbiVersion) {
    return load(path, hostAbiVersion, 0);
  }

  /** Test hook: vtableSize > 0 makes the binding see only that much of the function table. */
  static Library load(Path path, int hostAbiVersion, int vtableSize) {
    NativeLoader.loadGlue();
    String p = path.toAbsolutePath().toString();
    return open(p, p, hostAbiVersion, vtableSize);
  }

  static Library open(String dlopenPath, String location, int hostAbiVersion) {
    return open(dlopenPath, location, hostAbiVersion, 0);
  }

  private static Library open(String dlopenPath, String location, int hostAbiVersion, int vtableSize) {
    long h = NativeBridge.load(NativeBridge.cstr("library path", dlopenPath), hostAbiVersion, vtableSize);
    Library lib = new Library(h, location);
    checkAbiVersion(lib.abiVersion(), hostAbiVersion, location);
    return lib;
  }

  /** Refuses a library whose ABI major differs from the binding's; the message names both. */
  static void checkAbiVersion(int libraryVersion, int bindingVersion, String location) {
    int have = libraryVersion >>> 16;
    int want = bindingVersion >>> 16;
    if (have != want) {
      throw SinkException.of(Status.VERSION, location + " has ABI version " + have + "." + (libraryVersion & 0xffff)
          + " (major " + have + ") but this binding needs ABI major " + want);
    }
  }

  /** Where the library came from: a path, or the jar resource it was extracted from. */
  public String location() {
    return location;
  }

  /** The library's ABI version: major in the high 16 bits, minor in the low 16. */
  public int abiVersion() {
    return NativeBridge.abiVersion(handle);
  }

  public int abiMajor() {
    return abiVersion() >>> 16;
  }

  public int abiMinor() {
    return abiVersion() & 0xffff;
  }

  /** The library's version ("1.0.0"). */
  public String version() {
    return NativeBridge.str(NativeBridge.versionString(handle));
  }

  /** Compiler, build type, libcurl version. */
  public String buildInfo() {
    return NativeBridge.str(NativeBridge.buildInfo(handle));
  }

  /** The name of a status code ("SR_SINK_E_CONFIG"; "SR_SINK_E_UNKNOWN" for unknown codes). */
  public String statusName(int status) {
    return NativeBridge.str(NativeBridge.statusName(handle, status));
  }

  /** Test hook: the raw sr_sink_get_vtable status for a host of hostAbiVersion. */
  int rawGetVtable(int hostAbiVersion) {
    return NativeBridge.rawGetVtable(handle, hostAbiVersion);
  }

  @Override
  public String toString() {
    return "libsr_sink " + version() + " (ABI " + abiMajor() + "." + abiMinor() + ") from " + location;
  }
}
