package io.logpipeline.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Objects;

/** Prints the operator's version and the product versions it provisions by default. */
@Command(name = "version", description = "Print the operator version and default images.")
public final class VersionCommand implements Runnable, CommandLine.IVersionProvider {

  @Override
  public void run() {
    for (String line : getVersion()) {
      System.out.println(line);
    }
  }

  @Override
  public String[] getVersion() {
    String version = Objects.requireNonNullElse(
        VersionCommand.class.getPackage().getImplementationVersion(), "dev");
    return new String[] {
        "logpipeline-operator " + version,
        "filebeat image: " + io.logpipeline.operator.model.ShipperModel.DEFAULT_IMAGE,
        "logstash image: " + io.logpipeline.operator.model.IndexerModel.DEFAULT_IMAGE,
        "logstash image (opensearch): " + io.logpipeline.operator.model.IndexerModel.DEFAULT_OPENSEARCH_IMAGE,
    };
  }
}
