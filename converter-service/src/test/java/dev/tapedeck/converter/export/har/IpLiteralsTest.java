package dev.tapedeck.converter.export.har;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        // What the proxy records: ip:port, IPv6 in brackets.
        "127.0.0.1:8080, 127.0.0.1",
        "'[0:0:0:0:0:0:0:1]:8080', 0:0:0:0:0:0:0:1",
        "'[2001:db8::7]:443', 2001:db8::7",
        // What an imported HAR entry holds: the address alone.
        "93.184.216.34, 93.184.216.34",
        "2001:db8::7, 2001:db8::7",
        "'[::1]', ::1",
        // Recorded before IPv6 addresses were bracketed.
        "0:0:0:0:0:0:0:1:8080, 0:0:0:0:0:0:0:1",
        // Not an IP address.
        "example.com:80, none",
        "example.com, none",
        "'[example.com]:80', none",
        "256.1.1.1:80, none",
        "'', none",
      })
  void theIpAddressWithoutItsPort(String address, String ip) {
    assertThat(IpLiterals.normalize(address)).isEqualTo(ip);
  }
}
