package io.github.srsink;

import java.util.Objects;

/** A StarRocks user and password. {@link #toString()} never shows the password. */
public final class Credentials {
  private final String user;
  private final String password;

  private Credentials(String user, String password) {
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
  }

  public static Credentials of(String user, String password) {
    return new Credentials(user, password);
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public String toString() {
    return "Credentials{user=" + user + ", password=***}";
  }
}
