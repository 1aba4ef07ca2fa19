package dev.tapedeck.devstack;

/** A part of the dev stack could not start; the message says which and why, for a person. */
public class StackStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message meant to be printed as is. */
  public StackStartException(String message) {
    super(message);
  }

  /** A failure with a message meant to be printed as is, and its cause. */
  public StackStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
