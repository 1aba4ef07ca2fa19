package dev.tapedeck.converter.export.har;

import static org.assertj.core.api.Assertions.assertThat;

import de.sstoehr.harreader.model.HarTiming;
import dev.tapedeck.proto.capture.v1.Timings;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarTimingsMapperTest {

  private static Timings timings(double dns, double connect, double tls, double send, double wait, double receive, double total) {
    return Timings.newBuilder()
        .setDnsMs(dns)
        .setConnectMs(connect)
        .setTlsMs(tls)
        .setSendMs(send)
        .setWaitMs(wait)
        .setReceiveMs(receive)
        .setTotalMs(total)
        .build();
  }

  /** blocked, dns, connect, ssl, send, wait, receive. */
  private static List<Integer> phases(HarTiming t) {
    return List.of(t.getBlocked(), t.getDns(), t.getConnect(), t.getSsl(), t.getSend(), t.getWait(), t.getReceive());
  }

  @Test
  void theTimeBeforeTheUpstreamLegIsBlockedSoTheTimeIsTheSumOfThePhases() {
    // As the proxy recorded a first request: 17 ms went to routing and policies before the lookup.
    HarTiming timing = HarTimingsMapper.map(timings(7.19, 6.816, -1, 1.031, 65.991, 14.542, 113.12));

    assertThat(phases(timing)).containsExactly(17, 7, 7, -1, 1, 66, 15);
    assertThat(HarTimingsMapper.time(timing)).isEqualTo(113);
  }

  @Test
  void connectIncludesSslAsHarDefinesIt() {
    // An entry imported from Chromium's HAR (blocked 2.1, dns 10.5, connect 45.0 with ssl 30.2 in
    // it, send 0.3, wait 60.1, receive 2.75, time 120.75) is stored with connect and tls apart.
    HarTiming timing = HarTimingsMapper.map(timings(10.5, 14.8, 30.2, 0.3, 60.1, 2.75, 120.75));

    assertThat(phases(timing)).containsExactly(2, 11, 45, 30, 0, 60, 3);
    assertThat(HarTimingsMapper.time(timing)).isEqualTo(121);
  }

  @Test
  void whenThePhasesRoundAboveTheTotalNothingIsBlockedAndTheTimeIsTheirSum() {
    HarTiming timing = HarTimingsMapper.map(timings(-1, -1, -1, 0.6, 0.6, 0.6, 1.8));

    assertThat(phases(timing)).containsExactly(-1, -1, -1, -1, 1, 1, 1);
    assertThat(HarTimingsMapper.time(timing)).isEqualTo(3);
  }
}
