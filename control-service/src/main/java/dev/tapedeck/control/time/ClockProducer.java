package dev.tapedeck.control.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one {@link Clock} of the control plane, in UTC. Services take it by injection, so their
 * tests pass a clock they move (testkit {@code MutableClock}) instead of waiting in real time.
 */
@ApplicationScoped
public class ClockProducer {
  // Singleton, not a client proxy: Clock is a JDK class meant to be used as it is.
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
