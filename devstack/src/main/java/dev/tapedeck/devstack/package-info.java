/**
 * The embedded stack for laptops, CI and tests.
 *
 * <ul>
 *   <li>{@link dev.tapedeck.devstack.EmbeddedStack} (a main class): a real Kafka broker (KRaft,
 *       its own JVM, {@link dev.tapedeck.devstack.KafkaBroker}) and a MongoDB-wire server in
 *       process ({@link dev.tapedeck.devstack.MongoWireServer}), data kept in the {@link
 *       dev.tapedeck.devstack.DataDir};
 *   <li>{@link dev.tapedeck.devstack.TapedeckRunner} (a main class, {@code make run}): that stack
 *       plus the four services as processes ({@link dev.tapedeck.devstack.ServiceProcess}), wired
 *       by a {@link dev.tapedeck.devstack.StackLayout}, and a demo upstream.
 * </ul>
 *
 * <p>Everything listens on 127.0.0.1 only. Child JVMs exit when their parent does ({@link
 * dev.tapedeck.devstack.ParentWatch}).
 */
package dev.tapedeck.devstack;
