package dev.tapedeck.control.auth;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link ApiKeyFilter} before any resource runs. */
@RequestScoped
public class CurrentCaller {
  private Caller caller;

  void set(Caller caller) {
    this.caller = caller;
  }

  /** The authenticated caller; fails loudly if the filter did not run for this request. */
  public Caller get() {
    if (caller == null) {
      throw new IllegalStateException("No authenticated caller for this request");
    }
    return caller;
  }
}
