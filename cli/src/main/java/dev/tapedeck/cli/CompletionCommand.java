package dev.tapedeck.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tapedeck completion}: a bash (and zsh) completion script, generated from the commands. */
@Command(
    name = "completion",
    description = {
      "Print a bash completion script for tapedeck (zsh too, after `autoload -U +X bashcompinit && bashcompinit`).",
      "  source <(tapedeck completion)                    # this shell",
      "  tapedeck completion > /etc/bash_completion.d/tapedeck   # every shell"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("tapedeck", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
