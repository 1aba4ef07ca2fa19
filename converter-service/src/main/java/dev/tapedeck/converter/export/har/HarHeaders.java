package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarHeader;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.List;
import java.util.stream.Stream;

/** Header lists: mapped in captured order with duplicates kept, and looked up by name. */
final class HarHeaders {

  private HarHeaders() {}

  /** The HAR headers, in the order they were on the wire. */
  static List<HarHeader> of(List<Header> headers) {
    return headers.stream()
        .map(
            h -> {
              HarHeader header = new HarHeader();
              header.setName(h.getName());
              header.setValue(h.getValue());
              return header;
            })
        .toList();
  }

  /** The values of the headers called {@code name} (any case), in order. */
  static Stream<String> values(List<Header> headers, String name) {
    return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue);
  }

  /** The first value of the header called {@code name}, or "" when there is none. */
  static String first(List<Header> headers, String name) {
    return values(headers, name).findFirst().orElse("");
  }
}
