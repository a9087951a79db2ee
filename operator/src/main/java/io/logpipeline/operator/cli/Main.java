package io.logpipeline.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the operator jar: {@code run}, {@code render}, {@code version}. */
@Command(
    name = "logpipeline-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.class,
    description = "Turns LogPipeline resources into Filebeat -> Kafka -> Logstash -> Elasticsearch pipelines.",
    subcommands = {RunCommand.class, RenderCommand.class, VersionCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
