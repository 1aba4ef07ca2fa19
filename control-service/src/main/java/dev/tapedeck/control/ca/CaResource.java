package dev.tapedeck.control.ca;

import dev.tapedeck.control.api.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The interception CA under {@code /api/v1/recorder/ca}, as the Mockarty reference has it. */
@Path("/api/v1/recorder/ca")
@Tag(name = "CA certificate (MITM)")
public class CaResource {
  private final CertificateAuthority ca;

  public CaResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  @GET
  @Path("/status")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Whether a CA exists, with its subject, validity and fingerprint")
  public CertificateAuthority.Status status() {
    return ca.status();
  }

  @POST
  @Path("/generate")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Generate the CA (ECDSA P-256, 10 years), or return the existing one")
  public CertificateAuthority.Status generate() {
    return ca.generate();
  }

  @GET
  @Path("/download")
  @Produces("application/x-pem-file")
  @Operation(summary = "Download the CA certificate (PEM) to add to a trust store")
  public Response download() {
    String pem =
        ca.certificatePem()
            .orElseThrow(
                () -> new ApiException(404, "not_found", "No CA yet: POST /api/v1/recorder/ca/generate first"));
    return Response.ok(pem, "application/x-pem-file")
        .header("Content-Disposition", "attachment; filename=\"tapedeck-ca.pem\"")
        .build();
  }
}
