package dev.tapedeck.proxyservice.protocol;

import dev.tapedeck.proto.capture.v1.SoapInfo;
import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Recognises a SOAP 1.1 or 1.2 exchange: an XML request whose root is a SOAP {@code Envelope}.
 * The operation is the local name of the first element in the request's {@code Body}; the action
 * is the {@code SOAPAction} header (1.1) or the {@code action} parameter of {@code
 * application/soap+xml} (1.2). When the response's {@code Body} holds a {@code Fault}, its {@code
 * faultstring} (1.1) or first {@code Reason/Text} (1.2) is kept.
 *
 * <p>XML is read with the JDK's StAX parser, streaming, with DTDs and external entities off, and
 * only as far as the answer needs; a body cut at the capture limit gives what was read before the
 * cut.
 */
final class SoapRecognizer {
  static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
  /** The most characters of a fault string kept. */
  static final int MAX_FAULT_STRING = 4096;

  private SoapRecognizer() {}

  /** The SOAP details of the exchange, or null when the request is not a SOAP envelope. */
  static SoapInfo recognize(String method, Content request, Content response) {
    if (!method.equals("POST") || !request.hasBody() || !request.contentType().isXml()) {
      return null;
    }
    byte[] bytes = request.bytes();
    Envelope envelope = bytes == null ? null : Envelope.read(bytes, request.truncated());
    if (envelope == null) {
      return null;
    }
    SoapInfo.Builder info = SoapInfo.newBuilder().setOperation(envelope.firstBodyElement);
    String action = request.header("SOAPAction");
    if (action == null) {
      action = request.contentType().parameter("action").orElse(null);
    }
    if (action != null) {
      info.setSoapAction(Content.unquote(action));
    }
    if (response != null && response.hasBody() && response.contentType().isXml()) {
      byte[] answer = response.bytes();
      Envelope reply = answer == null ? null : Envelope.read(answer, response.truncated());
      if (reply != null && reply.fault) {
        info.setFault(true).setFaultString(reply.faultString);
      }
    }
    return info.build();
  }

  /** What a SOAP envelope's Body starts with. */
  private static final class Envelope {
    String firstBodyElement = "";
    boolean fault;
    String faultString = "";

    /**
     * The envelope in {@code xml}, or null when its root is not a SOAP Envelope. The XML is read
     * only as far as the answer needs.
     *
     * @param cut whether {@code xml} is only the start of the body: an error is then the cut, and
     *     what was read before it stands; otherwise the body is malformed and gives nothing
     */
    static Envelope read(byte[] xml, boolean cut) {
      Envelope envelope = null;
      XMLStreamReader reader = null;
      try {
        reader = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
        String ns = null;
        int depth = 0;
        boolean inBody = false;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
            if (depth < 2 && inBody) {
              return envelope; // the Body ended
            }
            continue;
          }
          if (event != XMLStreamConstants.START_ELEMENT) {
            continue;
          }
          depth++;
          String local = reader.getLocalName();
          String uri = reader.getNamespaceURI();
          if (depth == 1) {
            if (!local.equals("Envelope") || !(SOAP_11.equals(uri) || SOAP_12.equals(uri))) {
              return null;
            }
            ns = uri;
            envelope = new Envelope();
          } else if (depth == 2 && local.equals("Body") && ns.equals(uri)) {
            inBody = true;
          } else if (depth == 3 && inBody) {
            if (!envelope.firstBodyElement.isEmpty()) {
              continue;
            }
            envelope.firstBodyElement = local;
            envelope.fault = local.equals("Fault") && ns.equals(uri);
            if (!envelope.fault) {
              return envelope;
            }
          } else if (envelope.fault && depth == 4 && local.equals("faultstring")) {
            envelope.faultString = text(reader);
            return envelope;
          } else if (envelope.fault && depth == 5 && local.equals("Text") && ns.equals(uri)) {
            envelope.faultString = text(reader);
            return envelope;
          }
        }
        return envelope;
      } catch (XMLStreamException | RuntimeException e) {
        return cut ? envelope : null;
      } finally {
        close(reader);
      }
    }

    private static String text(XMLStreamReader reader) throws XMLStreamException {
      String text = reader.getElementText().strip();
      return text.length() > MAX_FAULT_STRING ? text.substring(0, MAX_FAULT_STRING) : text;
    }
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // Nothing to release beyond the byte array.
      }
    }
  }

  /**
   * The JDK's own StAX implementation (not whichever one the classpath offers), with DTDs and
   * external entities turned off. One per read: the specification does not promise that a
   * factory may be shared between threads, and SOAP bodies are few.
   */
  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }
}
