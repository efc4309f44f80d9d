package io.github.srsink;

/** Prints where the default library came from, or the error loading it (LoaderTest's child JVM). */
public final class LoaderProbe {
  public static void main(String[] args) {
    try {
      Library lib = Library.get();
      System.out.println("loaded " + lib.location() + " abi " + lib.abiMajor() + "." + lib.abiMinor());
    } catch (Throwable t) {
      System.out.println("failed " + t);
    }
  }
}
