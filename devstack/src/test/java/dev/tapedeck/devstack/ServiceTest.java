package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceTest {

  @Test
  void ingestionRunsTenStepsLowerUnlessTheEnvironmentSaysOtherwise() {
    assertThat(Service.ingestNiceness(null)).isEqualTo(10);
    assertThat(Service.ingestNiceness(" ")).isEqualTo(10);
    assertThat(Service.ingestNiceness("0")).isZero();
    assertThat(Service.ingestNiceness(" 19 ")).isEqualTo(19);
    assertThat(Service.PROXY.niceness()).isZero();
    assertThat(Service.CONTROL.niceness()).isZero();
  }

  @Test
  void aNicenessOutsideZeroToNineteenIsRefusedByName() {
    assertThatThrownBy(() -> Service.ingestNiceness("20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TAPEDECK_INGEST_NICENESS must be a whole number from 0 to 19, not 20");
    assertThatThrownBy(() -> Service.ingestNiceness("low"))
        .hasMessage("TAPEDECK_INGEST_NICENESS must be a whole number from 0 to 19, not low");
  }

  @Test
  void theCapturePathGetsTwiceTheHeapOfTheOthers() {
    assertThat(Service.PROXY.jvmOptions()).contains("-Xmx512m");
    assertThat(Service.STORAGE.jvmOptions()).contains("-Xmx512m");
    for (Service service : new Service[] {Service.CONTROL, Service.CONVERTER}) {
      assertThat(service.jvmOptions()).as(service.name()).containsExactly("-Xmx256m");
    }
  }

  @Test
  void theProxyAloneStartsWithItsWholeHeap() {
    assertThat(Service.PROXY.jvmOptions()).startsWith("-Xmx512m", "-Xms512m");
    assertThat(Service.PROXY.jvmOptions(384)).startsWith("-Xmx384m", "-Xms384m");
    for (Service service : new Service[] {Service.STORAGE, Service.CONTROL, Service.CONVERTER}) {
      assertThat(service.jvmOptions()).as(service.name()).noneMatch(option -> option.startsWith("-Xms"));
    }
  }

  @Test
  void storageAloneCollectsWithTheParallelCollector() {
    assertThat(Service.STORAGE.jvmOptions()).containsExactly("-Xmx512m", "-XX:+UseParallelGC");
    assertThat(Service.STORAGE.jvmOptions(256)).containsExactly("-Xmx256m", "-XX:+UseParallelGC");
    for (Service service : new Service[] {Service.PROXY, Service.CONTROL, Service.CONVERTER}) {
      assertThat(service.jvmOptions()).as(service.name()).noneMatch(option -> option.contains("GC"));
    }
  }

  @Test
  void nettyInTheProxyAllocatesBuffersWithoutZeroingThem() throws Exception {
    // A JVM started with the proxy's options, asked what Netty can do there; and one without them.
    assertThat(MongoWireServerOptionsTest.NettyReport.in(Service.PROXY.jvmOptions())).contains("noCleaner=true uninitializedArrays=true");
    assertThat(MongoWireServerOptionsTest.NettyReport.in(Service.CONTROL.jvmOptions())).contains("noCleaner=false uninitializedArrays=false");
  }
}
