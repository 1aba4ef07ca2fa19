package dev.tapedeck.proxyservice.protocol;

import static dev.tapedeck.proxyservice.protocol.TestExchanges.annotated;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.bytes;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.request;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** SOAP 1.1 and 1.2 envelopes recorded as soap entries with their operation, action and fault. */
class SoapRecognizerTest {
  private static final String URL = "http://stocks.example.com/StockQuote.asmx";

  private static final String GET_QUOTE_11 =
      """
      <?xml version="1.0" encoding="utf-8"?>
      <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
                     xmlns:m="http://example.com/stock">
        <soap:Header>
          <m:Auth><m:Token>t-1</m:Token></m:Auth>
        </soap:Header>
        <soap:Body>
          <m:GetQuote>
            <m:Symbol>TAPE</m:Symbol>
          </m:GetQuote>
        </soap:Body>
      </soap:Envelope>
      """;

  private static final String FAULT_11 =
      """
      <?xml version="1.0"?>
      <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
        <SOAP-ENV:Body>
          <SOAP-ENV:Fault>
            <faultcode>SOAP-ENV:Client</faultcode>
            <faultstring>Unknown symbol: TAPE</faultstring>
            <detail><code>404</code></detail>
          </SOAP-ENV:Fault>
        </SOAP-ENV:Body>
      </SOAP-ENV:Envelope>
      """;

  private static final String CONVERT_12 =
      """
      <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
        <env:Body>
          <Convert xmlns="urn:currency"><From>EUR</From><To>USD</To></Convert>
        </env:Body>
      </env:Envelope>
      """;

  private static final String FAULT_12 =
      """
      <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
        <env:Body>
          <env:Fault>
            <env:Code><env:Value>env:Sender</env:Value></env:Code>
            <env:Reason>
              <env:Text xml:lang="en">Currency EUR is not supported</env:Text>
              <env:Text xml:lang="de">Währung EUR wird nicht unterstützt</env:Text>
            </env:Reason>
          </env:Fault>
        </env:Body>
      </env:Envelope>
      """;

  @Test
  void soap11RequestWithAFaultResponse() {
    CapturedExchange x =
        annotated(
            respond(
                request("POST", URL, "text/xml; charset=utf-8", GET_QUOTE_11, "SOAPAction", "\"http://example.com/stock/GetQuote\""),
                500,
                "text/xml; charset=utf-8",
                FAULT_11));

    assertThat(x.getEntryType()).isEqualTo(EntryType.SOAP);
    assertThat(x.getSoap().getOperation()).isEqualTo("GetQuote");
    assertThat(x.getSoap().getSoapAction()).isEqualTo("http://example.com/stock/GetQuote");
    assertThat(x.getSoap().getFault()).isTrue();
    assertThat(x.getSoap().getFaultString()).isEqualTo("Unknown symbol: TAPE");
  }

  @Test
  void soap12TakesTheActionFromTheContentTypeAndTheFaultReason() {
    CapturedExchange x =
        annotated(
            respond(
                request("POST", URL, "application/soap+xml; charset=utf-8; action=\"urn:currency/Convert\"", CONVERT_12),
                400,
                "application/soap+xml; charset=utf-8",
                FAULT_12));

    assertThat(x.getEntryType()).isEqualTo(EntryType.SOAP);
    assertThat(x.getSoap().getOperation()).isEqualTo("Convert");
    assertThat(x.getSoap().getSoapAction()).isEqualTo("urn:currency/Convert");
    assertThat(x.getSoap().getFault()).isTrue();
    assertThat(x.getSoap().getFaultString()).isEqualTo("Currency EUR is not supported");
  }

  @Test
  void aSuccessfulAnswerIsNoFault() {
    String answer =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><ConvertResponse xmlns=\"urn:currency\"><Rate>1.08</Rate></ConvertResponse></s:Body></s:Envelope>";

    CapturedExchange x =
        annotated(respond(request("POST", URL, "application/soap+xml", CONVERT_12), 200, "application/soap+xml", answer));

    assertThat(x.getEntryType()).isEqualTo(EntryType.SOAP);
    assertThat(x.getSoap().getOperation()).isEqualTo("Convert");
    assertThat(x.getSoap().getSoapAction()).isEmpty();
    assertThat(x.getSoap().getFault()).isFalse();
    assertThat(x.getSoap().getFaultString()).isEmpty();
  }

  @Test
  void aRequestCutAfterTheOperationIsStillRecognised() {
    byte[] cut = Arrays.copyOf(bytes(GET_QUOTE_11), GET_QUOTE_11.indexOf("<m:Symbol>"));

    CapturedExchange x =
        annotated(request("POST", URL, "text/xml", "", cut, true, "SOAPAction", "GetQuote"));

    assertThat(x.getEntryType()).isEqualTo(EntryType.SOAP);
    assertThat(x.getSoap().getOperation()).isEqualTo("GetQuote");
  }

  @Test
  void xmlThatIsNotAnEnvelopeStaysPlainHttp() {
    for (String body :
        new String[] {
          "<order><sku>tape-90</sku></order>",
          "<Envelope><Body><GetQuote/></Body></Envelope>",
          "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Bo",
          "not xml at all",
        }) {
      CapturedExchange x = annotated(request("POST", URL, "text/xml", body, "SOAPAction", "x"));
      assertThat(x.getEntryType()).as(body).isEqualTo(EntryType.HTTP);
      assertThat(x.hasSoap()).as(body).isFalse();
    }
  }

  @Test
  void externalEntitiesAreNeverResolved() {
    String xxe =
        """
        <?xml version="1.0"?>
        <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
        <faultstring>&xxe;</faultstring></s:Fault></s:Body></s:Envelope>
        """;

    CapturedExchange x =
        annotated(respond(request("POST", URL, "text/xml", GET_QUOTE_11, "SOAPAction", ""), 500, "text/xml", xxe));

    assertThat(x.getEntryType()).isEqualTo(EntryType.SOAP);
    assertThat(x.getSoap().getFaultString()).doesNotContain("root:");
  }
}
