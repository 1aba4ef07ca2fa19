package dev.tapedeck.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tapedeck users [create | delete]}: users and their API keys (admin key only). */
@Command(
    name = "users",
    description = "Users and their API keys (needs the admin key). Lists users without a subcommand.",
    subcommands = {UserCommands.Create.class, UserCommands.Delete.class})
public final class UserCommands extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode answer = api().get("/api/v1/admin/users");
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table("ID", "NAME", "KEY PREFIX", "CREATED");
    for (JsonNode u : answer.path("users")) {
      table.row(text(u, "id"), text(u, "name"), text(u, "keyPrefix"), text(u, "createdAt"));
    }
    table.print(out());
    return 0;
  }

  @Command(name = "create", description = "Create a user; its API key is printed once, never stored in clear.")
  public static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The user's name.")
    String name;

    @Override
    public Integer call() {
      JsonNode answer = api().post("/api/v1/admin/users", Api.JSON.createObjectNode().put("name", name));
      if (json()) {
        printJson(answer);
      } else {
        printLine("user " + answer.path("user").path("id").asText() + " (" + name + ")");
        printLine("api key: " + answer.path("apiKey").asText() + "   (shown once: keep it now)");
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a user; its key stops working at once.")
  public static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "The user id.")
    String id;

    @Override
    public Integer call() {
      JsonNode answer = api().delete("/api/v1/admin/users/" + Api.encode(id));
      if (json()) {
        printJson(answer);
      } else {
        printLine("deleted user " + id);
      }
      return 0;
    }
  }
}
